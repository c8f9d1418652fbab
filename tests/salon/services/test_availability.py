"""Availability (slots, whole sessions) and the people attending."""

from __future__ import annotations

import pytest

from salon.extensions import db as _db
from salon.models import Attendee, Participant
from salon.services import DomainError, NotAllowed, availability
from tests.factories import make_fair, make_participant


@pytest.fixture(autouse=True)
def _request(app, db):
    with app.test_request_context():
        yield


@pytest.fixture()
def participant(db):
    return make_participant(make_fair(phase="wishes"), "supplier")


def test_set_unavailability_slots_and_sessions(participant):
    fair = participant.fair
    am, pm = fair.sessions
    chosen = availability.set_unavailability(participant, slot_ids=[pm.slots[0].id], session_ids=[am.id])
    assert [s.id for s in chosen] == [s.id for s in am.slots] + [pm.slots[0].id]
    availability.set_unavailability(participant)
    assert _db.session.get(Participant, participant.id).unavailable_slots == []


def test_set_unavailability_refuses_other_fair_slot(participant):
    other = make_fair(phase="wishes")
    with pytest.raises(DomainError) as err:
        availability.set_unavailability(participant, slot_ids=[other.slots[0].id])
    assert err.value.field == "slots"
    with pytest.raises(DomainError):
        availability.set_unavailability(participant, session_ids=[other.sessions[0].id])
    assert participant.unavailable_slots == []


def test_set_unavailability_refuses_every_slot(participant):
    with pytest.raises(DomainError):
        availability.set_unavailability(participant, session_ids=[s.id for s in participant.fair.sessions])
    assert participant.unavailable_slots == []


def test_set_unavailability_refused_once_scheduling(participant):
    participant.fair.phase = "scheduling"
    with pytest.raises(NotAllowed):
        availability.set_unavailability(participant, slot_ids=[participant.fair.slots[0].id])


def test_add_and_remove_attendees(participant):
    first = availability.add_attendee(participant, "Alice Martin", "Directrice", "Alice@Example.org", "0102")
    second = availability.add_attendee(participant, "Bruno Petit")
    assert first.email == "alice@example.org"
    availability.remove_attendee(participant, second.id)
    assert [a.full_name for a in participant.attendees] == ["Alice Martin"]
    with pytest.raises(DomainError):
        availability.remove_attendee(participant, first.id)  # keep at least one


def test_add_attendee_refuses_empty_name(participant):
    with pytest.raises(DomainError) as err:
        availability.add_attendee(participant, "  ")
    assert err.value.field == "full_name"
    assert participant.attendees == []


def test_remove_attendee_of_another_participant_refused(participant):
    other = make_participant(participant.fair, "buyer")
    theirs = availability.add_attendee(other, "Claire")
    availability.add_attendee(other, "Denis")
    availability.add_attendee(participant, "Eve")
    with pytest.raises(DomainError):
        availability.remove_attendee(participant, theirs.id)
    assert _db.session.get(Attendee, theirs.id) is not None
