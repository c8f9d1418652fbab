"""Reminder e-mails a participant can act on: greeting, place, a working link, the fair's contact."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from salon.models import OutboxMessage
from salon.services.outcomes import send_outcome_requests
from salon.services.reminders import send_agenda_tomorrow, send_deadline_reminders
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import add_attendee, make_meeting


def _mail(db, kind: str, address: str) -> OutboxMessage:
    query = select(OutboxMessage).where(OutboxMessage.kind == kind, OutboxMessage.to_address == address)
    return db.session.scalars(query).one()


def _link(text: str) -> str:
    return urlsplit(re.search(r"https?://\S+", text).group(0)).path


def _fair(**fields):
    return make_fair(venue="Parc des expositions", address="Route de la Foire, 34470 Pérols",
                     contact_email="contact@cress.example", **fields)  # fmt: skip


def test_agenda_tomorrow_mail_greets_gives_place_times_and_a_working_agenda_link(app, client, db):
    fair = _fair(phase="published", slots_per_session=2)
    buyer = make_participant(fair, "buyer", name="Ville de Sète")
    supplier = make_participant(fair, "supplier", name="ESAT Les Mains Vertes")
    add_attendee(supplier, "Léa Martin", "lea@mainsvertes.example")
    make_meeting(buyer, supplier, fair.slots[1], fair.tables[0])
    db.session.commit()
    with app.test_request_context("/"):
        send_agenda_tomorrow(fair, datetime(2027, 3, 17, 8, tzinfo=UTC))
    db.session.commit()
    mail = _mail(db, "agenda_tomorrow", "lea@mainsvertes.example")
    text = mail.body_text
    assert text.startswith("Bonjour Léa Martin,")
    assert "Voici vos rendez-vous de demain, jeudi 18 mars, à" in text
    assert "- 09:25–09:45 — Table 1 — Ville de Sète" in text
    assert "Lieu : Parc des expositions, Route de la Foire, 34470 Pérols" in text
    assert "contact@cress.example" in text and "Ville de Sète" in mail.body_html
    page = client.get(_link(text.split("sans mot de passe")[1]))
    assert page.status_code == 200 and "Ville de Sète" in page.get_data(as_text=True)


def test_wishes_reminder_links_to_the_catalogue_that_opens(app, client, db):
    now = datetime(2027, 3, 1, 9, tzinfo=UTC)
    fair = _fair(phase="wishes", wishes_deadline=now + timedelta(days=2))
    user = make_user(email="lea@mainsvertes.example")
    supplier = make_participant(fair, "supplier", user=user, name="ESAT Les Mains Vertes")
    add_attendee(supplier, "Léa Martin", "lea@mainsvertes.example")
    db.session.commit()
    with app.test_request_context("/"):
        assert send_deadline_reminders(fair, now) == 1
    db.session.commit()
    text = _mail(db, "reminder_wishes", "lea@mainsvertes.example").body_text
    assert text.startswith("Bonjour Léa Martin,")
    assert "ferment le mercredi 3 mars 2027 à 10:00." in text
    assert "Dites qui vous souhaitez rencontrer d’ici là :" in text
    login(client, user)
    assert _link(text) == f"/p/{supplier.id}/catalogue"
    assert client.get(_link(text)).status_code == 200


def test_outcome_request_greets_and_its_link_opens_the_form_without_signing_in(app, client, db):
    fair = _fair(phase="published", slots_per_session=2)
    buyer = make_participant(fair, "buyer", name="Ville de Sète")
    supplier = make_participant(fair, "supplier", name="ESAT Les Mains Vertes")
    add_attendee(supplier, "Léa Martin", "lea@mainsvertes.example")
    meeting = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    meeting.status = "held"
    db.session.commit()
    with app.test_request_context("/"):
        send_outcome_requests(fair, datetime(2027, 3, 19, 10, tzinfo=UTC))
    db.session.commit()
    mail = _mail(db, "outcome_after", "lea@mainsvertes.example")
    assert mail.body_text.startswith("Bonjour Léa Martin,")
    assert "le lien fonctionne pendant 45 jours" in mail.body_text
    assert "contact@cress.example" in mail.body_text and "Bonjour Léa Martin," in mail.body_html
    page = client.get(_link(mail.body_text))
    assert page.status_code == 200 and "Ville de Sète" in page.get_data(as_text=True)
