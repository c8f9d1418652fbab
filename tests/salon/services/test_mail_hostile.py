"""Hostile or broken outbox rows: each fails alone, with its reason; the others are delivered (aiosmtpd)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from salon.extensions import db as _db
from salon.models import OutboxMessage
from salon.services.mail import queue_email, send_pending
from tests.factories import make_fair
from tests.salon.mail_server import running_smtp_server

INJECTED = "Fair Two\r\nBcc: attacker@evil.example"


@pytest.fixture()
def smtp_server(app, monkeypatch):
    yield from running_smtp_server(app, monkeypatch)


def _queue_for(fair, n: int, prefix: str) -> list[int]:
    ids = [
        queue_email(f"{prefix}{i}@example.org", f"Rendez-vous {i}", "Bonjour.", kind="test", fair=fair).id
        for i in range(n)
    ]
    _db.session.commit()
    return ids


def _row(message_id: int) -> OutboxMessage:
    _db.session.expire_all()
    return _db.session.get(OutboxMessage, message_id)


def test_fair_name_with_line_break_stops_no_mail(db, runner, smtp_server):
    # The probe's attack: the name is stored as it came (whatever a form or an import let through).
    hostile = make_fair(name="Fair Two")
    hostile.name = INJECTED
    other = make_fair(name="Salon Un")
    _db.session.commit()
    [first] = _queue_for(hostile, 1, "victim")  # first in line
    others = _queue_for(other, 10, "person")

    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 0, result.output
    delivered = {m["To"]: m for m in smtp_server.inbox.messages}
    assert set(delivered) == {f"person{i}@example.org" for i in range(10)} | {"victim0@example.org"}
    # The name is sent on one line: no header of its own, no hidden recipient.
    sent = delivered["victim0@example.org"]
    assert sent["From"].addresses[0].display_name == "Fair Two Bcc: attacker@evil.example"
    assert sent["Bcc"] is None
    envelopes = [rcpts for _from, rcpts, _raw in smtp_server.inbox.envelopes]
    assert all("attacker@evil.example" not in rcpts for rcpts in envelopes)
    assert [_row(i).status for i in [first, *others]] == ["sent"] * 11


def test_unbuildable_message_is_failed_with_reason_and_others_go(db, runner, smtp_server):
    fair = make_fair(name="Salon Deux")
    _db.session.commit()
    [bad_address] = _queue_for(fair, 1, "victim")
    [bad_attachment] = _queue_for(fair, 1, "attached")
    others = _queue_for(make_fair(name="Salon Un"), 10, "person")
    rows = _db.session.get(OutboxMessage, bad_address), _db.session.get(OutboxMessage, bad_attachment)
    rows[0].to_address = "victim@example.org\r\nBcc: attacker@evil.example"
    rows[1].attachments = [{"filename": "x.ics", "content_type": "text/calendar", "base64": "%%"}]
    _db.session.commit()

    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 0, result.output
    assert "sent 10" in result.output and "failed 2" in result.output
    expected = sorted(f"person{i}@example.org" for i in range(10))
    assert sorted(m["To"] for m in smtp_server.inbox.messages) == expected
    for message_id in (bad_address, bad_attachment):
        row = _row(message_id)
        assert (row.status, row.attempts, row.claimed_by) == ("failed", 1, None)
        assert row.last_error.startswith("Le message n’a pas pu être construit")
    assert "victim@example.org" in _row(bad_address).last_error
    assert {_row(i).status for i in others} == {"sent"}
    assert send_pending().claimed == 0  # the failed rows are not taken again


def test_server_refusal_for_good_fails_that_message_only(db, app, monkeypatch):
    from aiosmtpd.controller import Controller

    from tests.salon.mail_server import Inbox, free_port

    class Refusing(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
            if address.startswith("gone"):
                return "550 5.1.1 No such user here"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    inbox = Refusing()
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        fair = make_fair(name="Salon")
        _db.session.commit()
        [gone] = _queue_for(fair, 1, "gone")
        others = _queue_for(fair, 3, "person")
        report = send_pending()
    finally:
        controller.stop()
    assert (report.sent, report.failed, report.unreachable) == (3, 1, False)
    row = _row(gone)
    assert row.status == "failed"
    assert row.last_error.startswith("Le serveur de messagerie a refusé définitivement le message")
    assert "550" in row.last_error
    assert {_row(i).status for i in others} == {"sent"}


def test_mail_send_exits_1_when_the_server_cannot_be_reached(db, app, runner, monkeypatch):
    from tests.salon.mail_server import free_port

    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    _queue_for(make_fair(), 2, "person")
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 1
    assert "could not be reached" in result.output
    assert {r.status for r in _db.session.scalars(select(OutboxMessage))} == {"pending"}
