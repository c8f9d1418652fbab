"""The outbox and its sender, against a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from salon.extensions import db as _db
from salon.models import OutboxMessage
from salon.services.mail import (
    SendReport,
    _claim,
    _connect,
    _renew,
    _send_claimed,
    backoff,
    queue_email,
    send_pending,
)
from tests.factories import make_fair
from tests.salon.mail_server import SmtpServer, free_port, running_smtp_server


@pytest.fixture()
def smtp_server(app, monkeypatch):
    yield from running_smtp_server(app, monkeypatch)


ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def _queue(n: int = 1, **fields) -> list[int]:
    ids = []
    for i in range(n):
        message = queue_email(
            to=f"person{i}@example.org",
            subject=fields.get("subject", f"Rendez-vous n°{i}"),
            body_text=fields.get("body_text", "Bonjour,\nvotre rendez-vous est confirmé."),
            body_html=fields.get("body_html"),
            attachments=fields.get("attachments", ()),
            kind="test",
            fair=fields.get("fair"),
        )
        ids.append(message.id)
    _db.session.commit()
    return ids


def _make_due(ids: list[int]) -> None:
    """Pretend the back-off has elapsed."""
    past = datetime.now(UTC) - timedelta(seconds=1)
    _db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(next_attempt_at=past))
    _db.session.commit()


def test_mail_send_delivers_subject_body_and_calendar_attachment(db, smtp_server):
    fair = make_fair(name="Salon ESS Occitanie", contact_email="orga@example.org")
    [message_id] = _queue(
        subject="Votre agenda est publié",
        body_html="<p>Bonjour</p>",
        attachments=[
            {"filename": "invite.ics", "content_type": "text/calendar; method=REQUEST", "text": ICS}
        ],
        fair=fair,
    )
    report = send_pending()
    assert (report.claimed, report.sent, report.retried, report.failed) == (1, 1, 0, 0)
    [received] = smtp_server.inbox.messages
    row = db.session.get(OutboxMessage, message_id)
    assert received["Subject"] == "Votre agenda est publié"
    assert received["Message-ID"] == f"<{row.message_id}>"
    assert received["To"] == "person0@example.org"
    assert received["From"].addresses[0].display_name == "Salon ESS Occitanie"
    assert received["Reply-To"] == "orga@example.org"
    text = received.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text == "Bonjour,\nvotre rendez-vous est confirmé.\n"
    assert received.get_body(("html",)).get_content().strip() == "<p>Bonjour</p>"
    [attachment] = list(received.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_payload(decode=True) == ICS.encode()  # CRLF kept byte for byte
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)


def test_mail_send_to_refusing_server_keeps_messages_pending(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    ids = _queue(3)
    before = datetime.now(UTC)
    report = send_pending()
    assert (report.claimed, report.sent, report.retried) == (3, 0, 3)
    rows = [db.session.get(OutboxMessage, i) for i in ids]
    assert [(r.status, r.attempts, r.claimed_by) for r in rows] == [("pending", 1, None)] * 3
    assert all(r.last_error.startswith("connect:") for r in rows)
    assert all(r.next_attempt_at >= before + backoff(1) for r in rows)
    assert send_pending().claimed == 0  # not due yet: backing off


def test_mail_send_after_server_returns_sends_each_message_exactly_once(db, app, monkeypatch):
    server = SmtpServer(free_port())
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    ids = _queue(3)
    assert send_pending().retried == 3  # server down
    server.start()
    try:
        _make_due(ids)
        assert send_pending().sent == 3
        _make_due(ids)
        assert send_pending().claimed == 0
    finally:
        server.stop()
    message_ids = sorted(m["Message-ID"] for m in server.inbox.messages)
    rows = [db.session.get(OutboxMessage, i) for i in ids]
    assert message_ids == sorted(f"<{r.message_id}>" for r in rows)
    assert [(r.status, r.attempts) for r in rows] == [("sent", 2)] * 3


def test_mail_gives_up_after_max_attempts_and_keeps_the_row(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    [message_id] = _queue(1)
    send_pending()
    _make_due([message_id])
    report = send_pending()
    assert report.failed == 1
    row = db.session.get(OutboxMessage, message_id)
    assert (row.status, row.attempts) == ("failed", 2)
    _make_due([message_id])
    assert send_pending().claimed == 0


def test_mail_claims_of_two_senders_never_overlap(db):
    ids = _queue(5)
    first = _claim(3, "sender-a")
    second = _claim(10, "sender-b")
    assert sorted(first + second) == ids
    assert set(first).isdisjoint(second)
    assert _claim(10, "sender-c") == []


def test_mail_stale_claim_is_taken_over(db):
    [message_id] = _queue(1)
    assert _claim(1, "crashed") == [message_id]
    stale = datetime.now(UTC) - timedelta(hours=1)
    db.session.execute(update(OutboxMessage).values(claimed_at=stale))
    db.session.commit()
    assert _claim(1, "rescuer") == [message_id]


def _age_claims(hours: float = 1) -> None:
    stale = datetime.now(UTC) - timedelta(hours=hours)
    _db.session.execute(update(OutboxMessage).values(claimed_at=stale))
    _db.session.commit()


def test_mail_renewed_claim_is_not_taken_over_and_others_claims_are_left_alone(db):
    ids = _queue(3)
    mine, theirs = _claim(2, "sender-a"), _claim(1, "sender-b")
    _age_claims()
    _renew(ids, "sender-a")  # a live sender renews what is left of its batch
    assert _claim(10, "rival") == theirs  # only the claim nobody renewed is taken over
    assert {row.claimed_by for row in _db.session.scalars(select(OutboxMessage))} == {"sender-a", "rival"}
    assert sorted(mine) == sorted(set(ids) - set(theirs))


def test_mail_message_taken_over_is_left_to_the_sender_that_took_it(db, smtp_server):
    ids = _queue(2)
    assert _claim(2, "stalled") == ids
    _age_claims()
    assert _claim(2, "rescuer") == ids
    report, smtp = SendReport(), _connect()
    try:
        _send_claimed(smtp, ids, "stalled", report)  # the stalled sender wakes up
    finally:
        smtp.quit()
    assert (report.sent, smtp_server.inbox.envelopes) == (0, [])
    assert send_pending().sent == 0  # the rescuer's claim is fresh: no third sender takes them
    _age_claims()
    assert send_pending().sent == 2 and len(smtp_server.inbox.envelopes) == 2


def test_mail_queue_email_is_part_of_the_callers_transaction(db):
    queue_email("someone@example.org", "Objet", "Texte")
    db.session.rollback()
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_mail_backoff_grows_and_is_capped():
    assert [backoff(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert backoff(30) == timedelta(hours=6)


def test_mail_cli_sends_pending_messages(db, runner, smtp_server):
    _queue(2)
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 2" in result.output
    assert len(smtp_server.inbox.messages) == 2


def test_mail_two_concurrent_senders_send_each_message_once(db, app, smtp_server):
    ids = _queue(20)
    reports = []

    def run() -> None:
        with app.app_context():
            reports.append(send_pending(limit=20))
            _db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(r.sent for r in reports) == 20
    received = sorted(m["Message-ID"] for m in smtp_server.inbox.messages)
    assert len(received) == len(set(received)) == 20
    db.session.expire_all()
    assert {db.session.get(OutboxMessage, i).status for i in ids} == {"sent"}
