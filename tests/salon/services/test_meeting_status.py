"""Marking meetings on the day: held, no-show, cancelled; seats follow."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from salon.models import Meeting, MeetingSeat
from salon.services import DomainError, NotAllowed
from salon.services.meeting_status import mark_meeting
from tests.salon.services.dayof_world import book, make_day_world, request_ctx  # noqa: F401

pytestmark = pytest.mark.usefixtures("request_ctx")


def _seats(db, meeting_id):
    return db.session.scalars(select(MeetingSeat).where(MeetingSeat.meeting_id == meeting_id)).all()


def test_mark_held_keeps_seats(app, db):
    w = make_day_world()
    m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    mark_meeting(w.fair, m.id, "held")
    assert db.session.get(Meeting, m.id).status == "held"
    assert len(_seats(db, m.id)) == 2


def test_mark_no_show_frees_seats_and_records_absent(app, db):
    w = make_day_world()
    m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    mark_meeting(w.fair, m.id, "no_show", absent_participant_id=w.suppliers[0].id)
    row = db.session.get(Meeting, m.id)
    assert (row.status, row.absent_participant_id) == ("no_show", w.suppliers[0].id)
    assert _seats(db, m.id) == []
    # the table and both people are free again at that slot: a new meeting fits there
    again = book(w.fair, w.buyers[0], w.suppliers[1], 0, 0)
    assert again.id is not None


def test_mark_no_show_refused_without_absent_person(app, db):
    w = make_day_world()
    m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    with pytest.raises(DomainError):
        mark_meeting(w.fair, m.id, "no_show", absent_participant_id=w.buyers[1].id)


def test_mark_cancelled_bumps_sequence(app, db):
    w = make_day_world()
    m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    mark_meeting(w.fair, m.id, "cancelled")
    row = db.session.get(Meeting, m.id)
    assert (row.status, row.sequence) == ("cancelled", 1)
    assert _seats(db, m.id) == []


def test_mark_meeting_of_another_fair_refused(app, db):
    w = make_day_world()
    other = make_day_world()
    m = book(other.fair, other.buyers[0], other.suppliers[0], 0, 0)
    with pytest.raises(DomainError):
        mark_meeting(w.fair, m.id, "held")
    assert db.session.get(Meeting, m.id).status == "scheduled"


def test_mark_by_participant_outside_the_pair_refused(app, db):
    w = make_day_world()
    m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    with pytest.raises(NotAllowed):
        mark_meeting(w.fair, m.id, "held", by_participant=w.buyers[1])
    mark_meeting(w.fair, m.id, "held", by_participant=w.suppliers[0])


def test_mark_freed_meeting_again_refused(app, db):
    w = make_day_world()
    m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    mark_meeting(w.fair, m.id, "cancelled")
    with pytest.raises(NotAllowed):
        mark_meeting(w.fair, m.id, "held")


def test_mark_unknown_status_refused(app, db):
    w = make_day_world()
    m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    with pytest.raises(DomainError):
        mark_meeting(w.fair, m.id, "scheduled")
