"""E-mail: queue messages in the outbox (same transaction as the change) and send them (at-least-once).

`queue_email` is a service (flush, no commit). `send_pending` is a job: with Redis, `salon scheduler`
puts the "mail" job (salon/job_kinds.py) on the salon-mail queue every SALON_MAIL_EVERY seconds and a
`salon worker` listening to that queue runs it; without Redis, cron or a timer runs `salon jobs run mail`
(or `salon mail send`). It commits after each message, because a message the SMTP server accepted must
be marked sent at once. A crash between acceptance and that commit re-sends the message with the same
Message-ID, so receivers can recognise the duplicate.

A sender claims its batch, and renews the claim on what is left of it as it goes. A sender that died
(process killed, machine lost) stops renewing, and its messages go to the next sender once the claim is
older than MAIL_CLAIM_TIMEOUT: a couple of minutes, not the length of a whole batch.
"""

from __future__ import annotations

import email.errors
import smtplib
import socket
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from salon.extensions import db
from salon.models import Fair, OutboxMessage
from salon.services.mail_build import build_email, sender_address

__all__ = ["SendReport", "backoff", "compose_email", "queue_email", "send_pending", "sender_address"]

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)


@dataclass
class SendReport:
    """What one `send_pending` run did."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0  # failed this time, will be tried again
    failed: int = 0  # gave up (permanent error or too many attempts); the row stays
    unreachable: bool = False  # the SMTP server could not be reached or dropped the connection


def compose_email(
    to: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    attachments: Iterable[dict] = (),
    kind: str = "",
    fair: Fair | None = None,
) -> OutboxMessage:
    """Return a new outbox message, not yet added (callers writing many add them at once)."""
    return OutboxMessage(
        to_address=to.strip(),
        subject=" ".join(subject.split())[:300],
        body_text=body_text,
        body_html=body_html,
        attachments=[dict(a) for a in attachments],
        kind=kind,
        fair_id=fair.id if fair is not None else None,
    )


def queue_email(
    to: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    attachments: Iterable[dict] = (),
    kind: str = "",
    fair: Fair | None = None,
) -> OutboxMessage:
    """Add a message to the outbox; it is sent once the caller's transaction commits."""
    message = compose_email(to, subject, body_text, body_html, attachments, kind, fair)
    db.session.add(message)
    db.session.flush()
    return message


def backoff(attempts: int) -> timedelta:
    """Return the wait before the next try after `attempts` failures (exponential, capped)."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def send_pending(limit: int = 100) -> SendReport:
    """Send due outbox messages over SMTP; commit each outcome; never delete a message."""
    report = SendReport()
    owner = uuid.uuid4().hex
    ids = _claim(limit, owner)
    report.claimed = len(ids)
    if not ids:
        return report
    try:
        smtp = _connect()
    except (OSError, smtplib.SMTPException) as exc:
        report.unreachable = True
        for message_id in ids:
            _record_failure(message_id, f"connect: {exc}", report)
        return report
    try:
        _send_claimed(smtp, ids, owner, report)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return report


def _send_claimed(smtp: smtplib.SMTP, ids: list[int], owner: str, report: SendReport) -> None:
    """Send each claimed message on one connection, renewing the claim on the rest; on a dropped
    connection release the rest."""
    renewed = _now()
    for index, message_id in enumerate(ids):
        if _now() - renewed > _claim_timeout() / 4:
            renewed = _renew(ids[index:], owner)
        if not _send_one(smtp, message_id, owner, report):
            report.unreachable = True
            _release(ids[index + 1 :])
            return


def _renew(ids: list[int], owner: str) -> datetime:
    """Renew this sender's claim on the messages it has not sent yet; return when."""
    now = _now()
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == owner, OutboxMessage.status == "pending"
        )
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return now


def _claim_timeout() -> timedelta:
    """Return how old a claim must be before another sender may take the message over."""
    return timedelta(seconds=current_app.config["MAIL_CLAIM_TIMEOUT"])


def _send_one(smtp: smtplib.SMTP, message_id: int, owner: str, report: SendReport) -> bool:
    """Build and send one message and record the outcome; return False when the connection is lost.

    A message another sender took over (this one stalled past the claim timeout) is left to it.
    """
    row = db.session.get(OutboxMessage, message_id)
    db.session.refresh(row)
    if row.claimed_by != owner or row.status != "pending":
        return True
    try:
        message = build_email(row)
    except Exception as exc:  # noqa: BLE001  (whatever is stored, a bad row fails alone and is recorded)
        current_app.logger.warning("outbox message %s cannot be built: %s", message_id, exc)
        _record_failure(message_id, _reason(row, "unbuildable", exc), report, permanent=True)
        return True
    try:
        smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        _record_failure(message_id, _reason(row, "refused", exc), report, permanent=_permanent(exc))
    except smtplib.SMTPResponseException as exc:
        detail = f"{exc.smtp_code} {exc.smtp_error!r}"
        final = exc.smtp_code >= 500
        _record_failure(message_id, _reason(row, "refused" if final else "later", detail), report, final)
    except (smtplib.SMTPNotSupportedError, ValueError, TypeError, email.errors.MessageError) as exc:
        # Refused before anything was sent (an address the server cannot take, a header that will not
        # serialise): the connection is still usable.
        _record_failure(message_id, _reason(row, "unbuildable", exc), report, permanent=True)
    except (OSError, smtplib.SMTPException) as exc:
        _record_failure(message_id, _reason(row, "later", exc), report)
        return False
    else:
        _mark_sent(message_id, report)
    return True


def _reason(row: OutboxMessage, kind: str, detail: object) -> str:
    """Return why a message was not sent, in the fair's language, with the technical detail after it."""
    fair = db.session.get(Fair, row.fair_id) if row.fair_id else None
    with force_locale((fair.language if fair else None) or current_app.config["BABEL_DEFAULT_LOCALE"]):
        if kind == "unbuildable":
            text = _("The message could not be built (check the names and addresses it uses)")
        elif kind == "refused":
            text = _("The mail server refused the message for good")
        else:
            text = _("The mail server could not take the message; it will be tried again")
    return f"{text}: {detail}"


def _permanent(exc: smtplib.SMTPRecipientsRefused) -> bool:
    """Return whether every refusal is a 5xx (the address will never work)."""
    return all(code >= 500 for code, _msg in exc.recipients.values())


def _now() -> datetime:
    return datetime.now(UTC)


def _claim(limit: int, owner: str) -> list[int]:
    """Claim up to `limit` due messages for this sender and commit the claim; return their ids."""
    now = _now()
    stale = now - _claim_timeout()
    due = select(OutboxMessage.id).where(
        OutboxMessage.status == "pending",
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < stale),
    )
    due = due.order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        # Rows another sender holds are skipped, not waited for.
        due = due.with_for_update(skip_locked=True)
    candidates = list(db.session.scalars(due))
    if candidates:
        # The conditional UPDATE is the claim on SQLite (one writer at a time): a message another
        # sender claimed meanwhile no longer matches and is left alone.
        db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(candidates),
                OutboxMessage.status == "pending",
                or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < stale),
            )
            .values(claimed_at=now, claimed_by=owner)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    mine = select(OutboxMessage.id).where(
        OutboxMessage.claimed_by == owner, OutboxMessage.status == "pending"
    )
    return list(db.session.scalars(mine.order_by(OutboxMessage.id)))


def _mark_sent(message_id: int, report: SendReport) -> None:
    """Record that the server accepted the message."""
    row = db.session.get(OutboxMessage, message_id)
    row.status, row.sent_at = "sent", _now()
    row.attempts += 1
    row.claimed_at = row.claimed_by = None
    row.last_error = ""
    db.session.commit()
    report.sent += 1


def _record_failure(message_id: int, error: str, report: SendReport, permanent: bool = False) -> None:
    """Count a failed try; schedule the next one, or give up (the row stays, status failed)."""
    db.session.rollback()
    row = db.session.get(OutboxMessage, message_id)
    row.attempts += 1
    row.last_error = error[:2000]
    row.claimed_at = row.claimed_by = None
    if permanent or row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        row.status = "failed"
        report.failed += 1
    else:
        row.next_attempt_at = _now() + backoff(row.attempts)
        report.retried += 1
    db.session.commit()


def _release(ids: list[int]) -> None:
    """Give claimed messages back untouched (not tried on this run)."""
    if ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(claimed_at=None, claimed_by=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


def _connect() -> smtplib.SMTP:
    """Open an SMTP connection as configured (SSL, STARTTLS, login)."""
    config = current_app.config
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    timeout = config.get("MAIL_TIMEOUT", 30)
    if config["MAIL_USE_SSL"]:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout, local_hostname=socket.getfqdn())
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return smtp
