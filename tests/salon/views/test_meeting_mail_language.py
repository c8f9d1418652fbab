"""Meeting e-mails speak the language their reader chose on the site (else the fair's), .ics included."""

from __future__ import annotations

import icalendar
from sqlalchemy import select

from salon.models import OutboxMessage
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import add_attendee
from tests.salon.services.test_publishing import make_run
from tests.salon.views.publish_helpers import publish_through_preview


def _by_address(db) -> dict[str, OutboxMessage]:
    return {m.to_address: m for m in db.session.scalars(select(OutboxMessage))}


def test_agenda_mail_in_english_for_a_reader_who_chose_english(client, app, db):
    organiser = make_user()
    fair = make_fair(organiser=organiser, phase="scheduling", slots_per_session=2, tables=2, venue="Halle 5")
    buyer = make_participant(fair, "buyer", name="Métropole de Lyon")
    supplier = make_participant(fair, "supplier", name="ESAT Les Tilleuls")
    add_attendee(buyer, "Léa", "lea@example.org")
    add_attendee(supplier, "Omar", "omar@example.org")
    make_user(email="omar@example.org", locale="en")
    run = make_run(fair, [(buyer, supplier, 0, 0)])
    db.session.commit()
    login(client, organiser)
    assert publish_through_preview(client, fair.id, run.id).status_code == 303
    mails = _by_address(db)
    french, english = mails["lea@example.org"], mails["omar@example.org"]
    assert french.subject.endswith(": votre agenda est publié")
    assert "Thursday 18 March at 09:00" in english.body_text and "Table 1" in english.body_text
    assert english.subject == f"{fair.name}: your agenda is published"
    assert '<html lang="en">' in english.body_html
    [attachment] = english.attachments
    [event] = icalendar.Calendar.from_ical(attachment["text"]).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Meeting with Métropole de Lyon"
    assert "You meet:" in str(event["DESCRIPTION"])
