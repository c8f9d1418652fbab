"""Reminders and organiser messages: the right people, through the outbox, never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from salon.models import OutboxMessage
from salon.services import DomainError
from salon.services.checkin import check_in
from salon.services.reminders import (
    send_agenda_tomorrow,
    send_deadline_reminders,
    send_due_reminders,
    send_organiser_message,
)
from tests.salon.services.dayof_world import book, make_world, request_ctx  # noqa: F401

pytestmark = pytest.mark.usefixtures("request_ctx")


def _outbox(db, kind):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def test_wishes_reminder_sent_once_before_deadline(app, db):
    now = datetime(2027, 3, 1, 9, tzinfo=UTC)
    w = make_world(wishes_deadline=now + timedelta(days=2))
    w.fair.phase = "wishes"
    assert send_deadline_reminders(w.fair, now) == 5
    assert send_deadline_reminders(w.fair, now + timedelta(hours=1)) == 0
    assert len(_outbox(db, "reminder_wishes")) == 5


def test_wishes_reminder_not_sent_long_before_or_after_deadline(app, db):
    now = datetime(2027, 3, 1, 9, tzinfo=UTC)
    w = make_world(wishes_deadline=now + timedelta(days=10))
    w.fair.phase = "wishes"
    assert send_deadline_reminders(w.fair, now) == 0
    assert send_deadline_reminders(w.fair, now + timedelta(days=11)) == 0


def test_registration_reminder_goes_to_pending_only(app, db):
    now = datetime(2027, 3, 1, 9, tzinfo=UTC)
    w = make_world(registration_deadline=now + timedelta(days=1))
    w.fair.phase = "registration"
    w.buyers[0].status = "pending"
    db.session.flush()
    assert send_deadline_reminders(w.fair, now) == 1
    assert [m.to_address for m in _outbox(db, "reminder_registration")] == [w.buyers[0].attendees[0].email]


def test_agenda_tomorrow_carries_ics_and_goes_once(app, db):
    w = make_world()  # fair day 2027-03-18
    book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    eve = datetime(2027, 3, 17, 8, tzinfo=UTC)
    assert send_agenda_tomorrow(w.fair, eve) == 2
    assert send_agenda_tomorrow(w.fair, eve + timedelta(hours=2)) == 0
    assert send_agenda_tomorrow(w.fair, datetime(2027, 3, 10, tzinfo=UTC)) == 0
    message = _outbox(db, "agenda_tomorrow")[0]
    cal = Calendar.from_ical(message.attachments[0]["text"])
    assert len([c for c in cal.walk("VEVENT")]) == 1
    assert "Supplier 1" in message.body_text or "Buyer 1" in message.body_text


def test_organiser_message_filtered_by_side_and_presence(app, db):
    w = make_world()
    check_in(w.suppliers[0].attendees[0], now=datetime(2027, 3, 18, 8, tzinfo=UTC))
    assert (
        send_organiser_message(w.fair, "Café", "Le café est servi.", side="supplier", checked_in="yes") == 1
    )
    assert (
        send_organiser_message(w.fair, "Café", "Le café est servi.", side="supplier", checked_in="yes") == 0
    )
    assert send_organiser_message(w.fair, "Info", "Salle B.", side="buyer") == 2
    assert len(_outbox(db, "organiser_message")) == 3


def test_organiser_message_filtered_by_structure_type(app, db):
    w = make_world()
    w.suppliers[1].organisation.structure_types = ["scop"]
    db.session.flush()
    assert send_organiser_message(w.fair, "SCOP", "Réunion.", structure_type="scop") == 1


def test_organiser_message_refused_when_empty(app, db):
    w = make_world()
    with pytest.raises(DomainError):
        send_organiser_message(w.fair, " ", "x")


def test_due_reminders_idempotent(app, db):
    w = make_world()
    book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    eve = datetime(2027, 3, 17, 8, tzinfo=UTC)
    assert send_due_reminders(eve) == 2
    assert send_due_reminders(eve) == 0
