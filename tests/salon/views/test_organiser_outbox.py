"""The fair's e-mails: counts on the dashboard, the list with reasons of failure, and sending again."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from salon.models import OutboxMessage
from salon.services.mail import queue_email, send_pending
from tests.factories import login, make_fair, make_user
from tests.salon.mail_server import free_port


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _message(fair, to: str, status: str = "pending", **fields) -> OutboxMessage:
    row = queue_email(
        to, f"Message pour {to}", "Bonjour", kind=fields.pop("kind", "meeting_changed"), fair=fair
    )
    row.status = status
    for name, value in fields.items():
        setattr(row, name, value)
    return row


@pytest.fixture()
def outbox(client, db):
    """A fair with one message of each state (and one of another fair), its organiser signed in."""
    user = make_user()
    fair = make_fair(organiser=user, name="Salon ESS Lyon")
    other = make_fair(organiser=make_user(), name="Salon ailleurs")
    # 08:30 UTC on 18 March 2027 is 09:30 in Paris.
    moment = datetime(2027, 3, 18, 8, 30, tzinfo=UTC)
    rows = {
        "pending": _message(fair, "attente@example.org", created_at=moment),
        "sent": _message(fair, "parti@example.org", "sent", created_at=moment, sent_at=moment),
        "failed": _message(
            fair, "refus@example.org", "failed", attempts=8, created_at=moment,
            last_error="{'refus@example.org': (550, b'5.1.1 <refus@example.org>: "
            "Recipient address rejected')}",
        ),
        "foreign": _message(other, "autre@example.org", "failed", last_error="connect: refused"),
    }  # fmt: skip
    db.session.commit()
    login(client, user)
    return fair, other, {k: r.id for k, r in rows.items()}


def test_dashboard_shows_outbox_counts_and_link(client, db, outbox):
    fair, _other, _ids = outbox
    page = client.get(f"/orga/fairs/{fair.id}/").get_data(as_text=True)
    text = _text(page)
    assert "1 À envoyer 1 Envoyés 1 En échec" in text
    assert "1 e-mail n’a pas pu être envoyé : la page E-mails dit pourquoi et permet de le renvoyer." in text
    assert f'href="/orga/fairs/{fair.id}/messages"' in page
    assert f'href="/orga/fairs/{fair.id}/messages?status=failed"' in page


def test_messages_page_lists_fair_messages_with_reason_in_fair_time(client, db, outbox):
    fair, _other, ids = outbox
    page = client.get(f"/orga/fairs/{fair.id}/messages").get_data(as_text=True)
    text = _text(page)
    assert "autre@example.org" not in text  # another fair's message
    for address in ("attente@example.org", "parti@example.org", "refus@example.org"):
        assert f"Message pour {address}" in text
    assert "Rendez-vous ajouté ou déplacé" in text
    row = _text(re.search(rf'<tr id="message-{ids["failed"]}".*?</tr>', page, re.S).group(0))
    assert "En échec L’adresse du destinataire a été refusée." in row
    assert "Recipient address rejected" in row  # the server's words, under the sentence
    assert "18 mars 2027 09:30" in row and "08:30" not in row
    sent = _text(re.search(rf'<tr id="message-{ids["sent"]}".*?</tr>', page, re.S).group(0))
    assert sent.count("18 mars 2027 09:30") == 2 and "Renvoyer" not in sent
    failed_only = _text(client.get(f"/orga/fairs/{fair.id}/messages?status=failed").get_data(as_text=True))
    assert "refus@example.org" in failed_only and "parti@example.org" not in failed_only


def test_resend_puts_failed_message_back_in_line(client, db, outbox):
    fair, _other, ids = outbox
    response = client.post(f"/orga/fairs/{fair.id}/messages/{ids['failed']}/resend")
    assert response.status_code == 303
    row = db.session.get(OutboxMessage, ids["failed"])
    assert (row.status, row.attempts, row.claimed_by) == ("pending", 0, None)
    assert row.next_attempt_at <= datetime.now(UTC)
    shown = _text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "L’e-mail à refus@example.org est de nouveau dans la file d’attente" in shown


def test_resend_refused_for_sent_message_and_other_fair(client, db, outbox):
    fair, _other, ids = outbox
    before = {r.id: (r.status, r.attempts) for r in db.session.scalars(select(OutboxMessage))}
    response = client.post(f"/orga/fairs/{fair.id}/messages/{ids['sent']}/resend")
    assert response.status_code == 303
    assert "Seul un e-mail en échec peut être renvoyé." in _text(
        client.get(response.headers["Location"]).get_data(as_text=True)
    )
    assert client.post(f"/orga/fairs/{fair.id}/messages/{ids['foreign']}/resend").status_code == 404
    assert client.post(f"/orga/fairs/{fair.id}/messages/999999/resend").status_code == 404
    db.session.expire_all()
    assert {r.id: (r.status, r.attempts) for r in db.session.scalars(select(OutboxMessage))} == before


def test_resend_all_failed_touches_only_this_fair(client, db, outbox):
    fair, _other, ids = outbox
    response = client.post(f"/orga/fairs/{fair.id}/messages/resend-failed")
    assert response.status_code == 303
    statuses = {k: db.session.get(OutboxMessage, i).status for k, i in ids.items()}
    assert statuses == {"pending": "pending", "sent": "sent", "failed": "pending", "foreign": "failed"}
    assert "1 e-mail en échec est de nouveau dans la file d’attente." in _text(
        client.get(response.headers["Location"]).get_data(as_text=True)
    )


class _Refusing:
    """An SMTP server that refuses one address for good (550) and accepts the others."""

    def __init__(self, refused: set[str]) -> None:
        self.refused = refused
        self.accepted: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, N802
        if address in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
        self.accepted.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def test_refused_address_shows_reason_then_resend_delivers(client, db, app, monkeypatch):
    from aiosmtpd.controller import Controller

    user = make_user()
    fair = make_fair(organiser=user)
    row = queue_email("inconnu@example.org", "Votre agenda", "Bonjour", kind="agenda_published", fair=fair)
    db.session.commit()
    handler, port = _Refusing({"inconnu@example.org"}), free_port()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert send_pending().failed == 1
        login(client, user)
        text = _text(client.get(f"/orga/fairs/{fair.id}/messages").get_data(as_text=True))
        assert "En échec L’adresse du destinataire a été refusée." in text and "No such mailbox" in text
        handler.refused.clear()  # the participant's mailbox exists now
        assert client.post(f"/orga/fairs/{fair.id}/messages/{row.id}/resend").status_code == 303
        assert send_pending().sent == 1
    finally:
        controller.stop()
    assert handler.accepted == ["inconnu@example.org"]
    assert db.session.get(OutboxMessage, row.id).status == "sent"


@pytest.mark.parametrize(
    ("last_error", "sentence"),
    [
        ("connect: [Errno 111] Connection refused", "Le serveur d’envoi des e-mails est injoignable."),
        ("{'x@example.org': (550, b'5.1.1 No such mailbox')}", "L’adresse du destinataire a été refusée."),
        ("554 b'5.7.1 Message rejected'", "Le serveur de messagerie a refusé le message définitivement."),
        ("421 b'4.7.0 Try again later'", "Le serveur de messagerie a refusé le message pour l’instant."),
        ("build: Header values may not contain linefeed", "Le message n’a pas pu être composé."),
        ("something else", "Le message n’a pas pu être envoyé."),
    ],
)
def test_failure_reason_in_words(app, last_error, sentence):
    from salon.services.outbox import failure_reason

    with app.test_request_context():
        assert failure_reason(last_error) == sentence
