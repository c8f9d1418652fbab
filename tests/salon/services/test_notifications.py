"""Meeting notifications: outbox rows with iTIP attachments, recipients, language, and real delivery."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from salon.extensions import db as _db
from salon.models import OrganisationMember, OutboxMessage
from salon.preparing import prepare_all
from salon.services.agenda_links import agenda_link
from salon.services.mail import send_pending
from salon.services.notifications import meeting_cancelled, meeting_changed, meeting_published
from tests.factories import make_fair, make_participant, make_user
from tests.salon.calendar_helpers import add_attendee, cancel_meeting, make_meeting, move_meeting
from tests.salon.calendar_parsers import PARSERS, apply_messages, by_uid, parse_with
from tests.salon.mail_server import running_smtp_server


@pytest.fixture()
def smtp_server(app, monkeypatch):
    yield from running_smtp_server(app, monkeypatch)


def _outbox() -> list[OutboxMessage]:
    """Render the intents the notifications wrote, then return the outbox."""
    prepare_all()
    return list(_db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _ics(row: OutboxMessage) -> bytes:
    [attachment] = row.attachments
    return attachment["text"].encode("utf-8")


def _setup(**fair_fields):
    fair = make_fair(name="Salon ESS Lyon", slots_per_session=2, **fair_fields)
    buyer = make_participant(fair, "buyer", name="Hospices Civils")
    supplier = make_participant(fair, "supplier", name="ESAT Les Tilleuls")
    add_attendee(buyer, "Léa Martin", "lea@example.org")
    add_attendee(supplier, "Omar Diallo", "omar@example.org")
    return fair, buyer, supplier


def test_notification_published_attaches_agenda_with_publish_method(db):
    fair, buyer, supplier = _setup()
    add_attendee(buyer, "Paul Roy", "paul@example.org")
    meeting = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    meeting_published(buyer)
    rows = _outbox()
    assert [r.to_address for r in rows] == ["lea@example.org", "paul@example.org"]
    row = rows[0]
    assert (row.kind, row.fair_id, row.subject) == (
        "agenda_published",
        fair.id,
        "Salon ESS Lyon : votre agenda est publié",
    )
    assert row.attachments[0]["content_type"] == "text/calendar; method=PUBLISH"
    assert b"METHOD:PUBLISH\r\n" in _ics(row)
    assert list(by_uid(parse_with("ical", _ics(row)))) == [meeting.uid]
    assert "Bonjour Léa Martin," in row.body_text
    assert "ESAT Les Tilleuls" in row.body_text and "ESAT Les Tilleuls" in row.body_html
    # The agenda itself, by a link that needs no account (many attendees have none), one per address.
    agenda = agenda_link(buyer.id, "lea@example.org")
    assert f"Votre agenda en ligne (sans mot de passe) : {agenda}" in row.body_text
    assert f'href="{agenda}"' in row.body_html
    assert agenda_link(buyer.id, "paul@example.org") in rows[1].body_text


def test_notification_published_says_where_the_fair_is(db):
    fair, buyer, supplier = _setup(venue="Halle Tony Garnier", address="20 place Mérieux, 69007 Lyon")
    make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    meeting_published(buyer)
    [row] = _outbox()
    where = "Lieu : Halle Tony Garnier, 20 place Mérieux, 69007 Lyon"
    assert where in row.body_text and where in row.body_html


def test_notification_changed_tells_both_participants_with_uid_and_sequence(db):
    fair, buyer, supplier = _setup()
    meeting = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    move_meeting(meeting, fair.slots[3])
    meeting_changed(meeting)
    rows = _outbox()
    assert sorted(r.to_address for r in rows) == ["lea@example.org", "omar@example.org"]
    for row in rows:
        assert row.attachments[0]["content_type"] == "text/calendar; method=REQUEST"
        [event] = parse_with("icalendar", _ics(row))
        assert (event["uid"], event["sequence"], event["status"]) == (meeting.uid, 1, "CONFIRMED")
    lea = next(r for r in rows if r.to_address == "lea@example.org")
    assert lea.subject == "Salon ESS Lyon : rendez-vous avec ESAT Les Tilleuls déplacé"


def test_notification_cancelled_sends_cancel_method(db):
    fair, buyer, supplier = _setup()
    meeting = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    cancel_meeting(meeting)
    meeting_cancelled(meeting)
    rows = _outbox()
    assert len(rows) == 2
    for row in rows:
        assert b"METHOD:CANCEL\r\n" in _ics(row)
        [event] = parse_with("vobject", _ics(row))
        assert (event["uid"], event["sequence"], event["status"]) == (meeting.uid, 1, "CANCELLED")
        assert "annulé" in row.subject


def test_notification_recipients_fall_back_to_contact_then_members(db):
    fair = make_fair(slots_per_session=1)
    with_contact = make_participant(fair, "buyer", name="Région")
    with_contact.organisation.contact_email = "achats@region.example"
    member = make_user(email="membre@scop.example", full_name="Inès Roy")
    with_members = make_participant(fair, "supplier", user=member)
    meeting = make_meeting(with_contact, with_members, fair.slots[0], fair.tables[0])
    meeting_changed(meeting)
    assert sorted(r.to_address for r in _outbox()) == ["achats@region.example", "membre@scop.example"]
    members = _db.session.scalars(select(OrganisationMember)).all()
    assert [m.user_id for m in members] == [member.id]


def test_notification_in_english_when_fair_language_is_english(db):
    fair, buyer, supplier = _setup(language="en")
    meeting = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    meeting_changed(meeting)
    lea = next(r for r in _outbox() if r.to_address == "lea@example.org")
    assert lea.subject == "Salon ESS Lyon: new meeting with ESAT Les Tilleuls"
    assert lea.body_text.startswith("Hello Léa Martin,")


def test_notification_life_delivered_by_smtp_leaves_one_final_event(db, smtp_server):
    fair, buyer, supplier = _setup(day=date(2027, 3, 28))
    meeting = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    meeting_changed(meeting)
    move_meeting(meeting, fair.slots[2])
    meeting_changed(meeting)
    cancel_meeting(meeting)
    meeting_cancelled(meeting)
    db.session.commit()
    # Rendered only now, after the last change: each e-mail still states the meeting as it was then.
    prepare_all()
    assert send_pending().sent == 6
    received = [m for m in smtp_server.inbox.messages if m["To"] == "omar@example.org"]
    methods = []
    attachments = []
    for message in received:
        [part] = list(message.iter_attachments())
        methods.append(part.get_param("method"))
        attachments.append(part.get_payload(decode=True))
    assert methods == ["REQUEST", "REQUEST", "CANCEL"]
    for parser in PARSERS:
        state = apply_messages(parser, attachments)
        assert list(state) == [meeting.uid], parser
        assert (state[meeting.uid]["status"], state[meeting.uid]["sequence"]) == ("CANCELLED", 2), parser
