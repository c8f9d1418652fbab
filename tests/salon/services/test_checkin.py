"""Check-in: signed tokens, one check-in per person, name search."""

from __future__ import annotations

import pytest

from salon.services import DomainError, NotAllowed
from salon.services.checkin import (
    attendee_from_token,
    check_in,
    checkin_url,
    make_checkin_token,
    present_participant_ids,
    search_attendees,
)
from tests.factories import make_fair
from tests.salon.services.dayof_world import make_day_world, request_ctx  # noqa: F401

pytestmark = pytest.mark.usefixtures("request_ctx")


def test_token_round_trip_names_the_attendee(app, db):
    world = make_day_world()
    attendee = world.buyers[0].attendees[0]
    token = make_checkin_token(attendee)
    assert attendee_from_token(world.fair, token) == attendee
    assert attendee_from_token(world.fair, checkin_url(attendee)) == attendee


def test_token_refused_when_forged(app, db):
    world = make_day_world()
    token = make_checkin_token(world.buyers[0].attendees[0])
    with pytest.raises(DomainError):
        attendee_from_token(world.fair, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))


def test_token_refused_at_another_fair(app, db):
    world = make_day_world()
    other = make_fair()
    with pytest.raises(DomainError):
        attendee_from_token(other, make_checkin_token(world.buyers[0].attendees[0]))


def test_check_in_twice_refused(app, db):
    world = make_day_world()
    attendee = world.buyers[0].attendees[0]
    check_in(attendee)
    with pytest.raises(NotAllowed):
        check_in(attendee)
    assert present_participant_ids(world.fair) == {world.buyers[0].id}


def test_search_finds_name_without_accents(app, db):
    world = make_day_world()
    world.suppliers[0].attendees[0].full_name = "Hélène Dupré"
    db.session.flush()
    found = search_attendees(world.fair, "helene DUPRE")
    assert [a.id for a in found] == [world.suppliers[0].attendees[0].id]
    assert search_attendees(world.fair, "   ") == []
