"""A fair's outbox as its organisers see it: counts, the list of messages, failures in words, resending.

Sending itself lives in salon/services/mail.py; this module only reads the outbox and puts failed
messages back in line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from salon.extensions import db
from salon.models import Fair, OutboxMessage
from salon.models.base import utcnow
from salon.services import NotAllowed

STATUSES = ("pending", "sent", "failed")
STATUS_LABELS = {"pending": _l("to send"), "sent": _l("sent"), "failed": _l("failed")}
COUNT_LABELS = {"pending": _l("Waiting to be sent"), "sent": _l("Sent"), "failed": _l("Not sent (failed)")}
KIND_LABELS = {
    "agenda_published": _l("Agenda published"),
    "meeting_changed": _l("Meeting added or moved"),
    "meeting_cancelled": _l("Meeting cancelled"),
    "confirm": _l("Address confirmation"),
    "organiser_invitation": _l("Co-organiser invitation"),
    "participant_invitation": _l("Invitation to create the participant's account"),
    "reminder_registration": _l("Registration reminder"),
    "reminder_wishes": _l("Wishes reminder"),
    "agenda_tomorrow": _l("Agenda for tomorrow"),
    "organiser_message": _l("Message from the organisers"),
    "claim_decided": _l("Answer to a request to act for a participant"),
    "registration_decided": _l("Answer to a registration"),
    "outcome_after": _l("What came of the meetings (after the fair)"),
    "outcome_three_months": _l("What came of the meetings (three months later)"),
}
PAGE_SIZE = 50


@dataclass
class MessagePage:
    """One page of a fair's messages, newest first."""

    messages: list[OutboxMessage]
    page: int
    pages: int
    total: int


def kind_label(kind: str) -> str:
    """Return what kind of e-mail a message is, in words."""
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else _("Other e-mail")


def outbox_counts(fair: Fair) -> dict[str, int]:
    """Count the fair's messages to send, sent and failed."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.fair_id == fair.id)
        .group_by(OutboxMessage.status)
    ).all()
    found = dict(rows)
    return {status: found.get(status, 0) for status in STATUSES}


def fair_messages(fair: Fair, status: str | None = None, page: int = 1) -> MessagePage:
    """Return one page of the fair's messages (optionally of one status), newest first."""
    where = [OutboxMessage.fair_id == fair.id]
    if status in STATUSES:
        where.append(OutboxMessage.status == status)
    total = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(*where)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return MessagePage(list(messages), page, pages, total)


def message_of_fair(fair: Fair, message_id: int) -> OutboxMessage | None:
    """Return the fair's message with this id, or None (another fair's message is not found)."""
    message = db.session.get(OutboxMessage, message_id)
    return message if message is not None and message.fair_id == fair.id else None


def resend(message: OutboxMessage) -> None:
    """Put a failed message back in line: the next run of the sender tries it again."""
    if message.status != "failed":
        raise NotAllowed(_("Only a failed e-mail can be sent again."), "message")
    _requeue(OutboxMessage.id == message.id)
    db.session.expire(message)


def resend_failed(fair: Fair) -> int:
    """Put every failed message of the fair back in line; return how many."""
    return _requeue(OutboxMessage.fair_id == fair.id)


def _requeue(condition) -> int:  # noqa: ANN001
    """Set failed messages matching `condition` pending, due now, with a fresh count of attempts."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(condition, OutboxMessage.status == "failed")
        .values(status="pending", attempts=0, next_attempt_at=utcnow(), claimed_at=None, claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return result.rowcount or 0


# The sender stores what went wrong as the SMTP server or the network said it; the organiser reads
# a sentence first, the server's words beneath.
_REASONS = (
    (re.compile(r"^connect:|Connection refused|timed out|not known|Network is unreachable", re.I),
     _l("The mail server could not be reached.")),
    (re.compile(r"Recipient|\b55[0-3]\b|user unknown|mailbox unavailable|does not exist", re.I),
     _l("The recipient's address was refused.")),
    (re.compile(r"\b5\d\d\b"), _l("The mail server refused the message for good.")),
    (re.compile(r"\b4\d\d\b"), _l("The mail server refused the message for now.")),
    (re.compile(r"header|linefeed|encode|build", re.I), _l("The message could not be built.")),
)  # fmt: skip


def failure_reason(last_error: str) -> str:
    """Say in words why a message could not be sent."""
    for pattern, sentence in _REASONS:
        if pattern.search(last_error or ""):
            return str(sentence)
    return _("The message could not be sent.")
