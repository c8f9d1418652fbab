"""A small published fair for the day-of tests: meetings with seats, attendees, wishes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from salon.extensions import db
from salon.models import Attendee, Fair, Meeting, MeetingSeat, Participant, User
from tests.factories import make_fair, make_participant, make_user, make_wish


@pytest.fixture()
def request_ctx(app, db):
    """Run the test inside a request (translated messages need a locale)."""
    with app.test_request_context("/"):
        yield


@dataclass
class World:
    fair: Fair
    organiser: User
    buyers: list[Participant] = field(default_factory=list)
    suppliers: list[Participant] = field(default_factory=list)
    users: dict[int, User] = field(default_factory=dict)  # participant id -> member account


def add_attendee(participant: Participant, name: str, email: str = "") -> Attendee:
    """Add a person sent by the participant."""
    attendee = Attendee(
        participant=participant, full_name=name, email=email or f"{uuid.uuid4().hex[:8]}@ex.org"
    )
    db.session.add(attendee)
    db.session.flush()
    return attendee


def book(fair: Fair, a: Participant, b: Participant, slot_index: int, table_index: int, **fields) -> Meeting:
    """Create a published meeting with its seats."""
    x, y = sorted((a.id, b.id))
    meeting = Meeting(
        fair_id=fair.id, participant_a_id=x, participant_b_id=y, slot_id=fair.slots[slot_index].id,
        table_id=fair.tables[table_index].id, uid=f"{uuid.uuid4()}@test", **fields,
    )  # fmt: skip
    db.session.add(meeting)
    db.session.flush()
    if meeting.status in ("scheduled", "held"):
        for pid in (x, y):
            db.session.add(MeetingSeat(meeting_id=meeting.id, participant_id=pid, slot_id=meeting.slot_id))
    db.session.flush()
    return meeting


def make_world(buyers: int = 2, suppliers: int = 3, **fair_fields) -> World:
    """Build a published fair with buyers, suppliers (one attendee each) and an organiser."""
    organiser = make_user(full_name="Orga Nisatrice")
    fair = make_fair(organiser=organiser, phase="published", tables=3, **fair_fields)
    world = World(fair, organiser)
    for side, n, bucket in (("buyer", buyers, world.buyers), ("supplier", suppliers, world.suppliers)):
        for i in range(n):
            user = make_user()
            p = make_participant(fair, side=side, user=user, name=f"{side.title()} {i + 1}")
            add_attendee(p, f"{'Acheteuse' if side == 'buyer' else 'Fournisseur'} {i + 1}", user.email)
            bucket.append(p)
            world.users[p.id] = user
    return world


def wish(a: Participant, b: Participant, priority: int = 2) -> None:
    """Make a wish from a to b."""
    make_wish(a, b, priority)


def paris_today() -> date:
    """Return today's date in the fairs' time zone."""
    return datetime.now(ZoneInfo("Europe/Paris")).date()


def make_day_world(**fields) -> World:
    """Build the world with its fair today: the day-of actions are open to everyone now."""
    return make_world(day=paris_today(), **fields)
