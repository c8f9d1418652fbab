"""The waiting list: replacement proposals (always valid), acceptance, walk-ins, and their refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from salon.models import Meeting, MeetingSeat
from salon.services import DomainError, NotAllowed
from salon.services.checkin import check_in
from salon.services.meeting_status import mark_meeting
from salon.services.scheduling import build_instance
from salon.services.waiting_list import Proposal, accept_replacement, book_walk_in, propose_replacements
from solver.schedule import ScheduledMeeting
from solver.validate import violations_of_meetings
from tests.salon.services.dayof_world import book, make_day_world, request_ctx, wish  # noqa: F401

pytestmark = pytest.mark.usefixtures("request_ctx")


def _present(*participants):
    for p in participants:
        check_in(p.attendees[0])


def _day(tables_busy: bool = False):
    """B1-S1 at slot 0 table 1 (S1 will not come); B2 and S2, S3 present, with wishes."""
    w = make_day_world(buyers=2, suppliers=3)
    b1, b2 = w.buyers
    s1, s2, s3 = w.suppliers
    m = book(w.fair, b1, s1, 0, 0)
    book(w.fair, b2, s3, 1, 0)
    wish(b1, s2, 3)
    wish(b2, s2, 1)
    wish(s3, b1, 2)
    _present(b1, b2, s2, s3)
    return w, m


def _assert_valid(w, proposals):
    full = build_instance(w.fair)
    locked = [ScheduledMeeting(lk.participants, lk.slot, lk.table, lk.mandatory) for lk in full.locked]
    tables = {t.id: t.name for t in w.fair.tables}
    slots = {s.id: s.key for s in w.fair.slots}
    new = [ScheduledMeeting((f"p{p.a}", f"p{p.b}"), slots[p.slot_id], tables[p.table_id]) for p in proposals]
    assert violations_of_meetings(full, locked + new, complete=False) == []


def test_proposal_fills_no_show_with_best_wished_pair(app, db):
    w, m = _day()
    b1, b2 = w.buyers
    s1, s2, s3 = w.suppliers
    mark_meeting(w.fair, m.id, "no_show", absent_participant_id=s1.id)
    proposals = propose_replacements(w.fair, w.fair.slots[0])
    assert proposals, "a replacement must be proposed"
    assert (proposals[0].a, proposals[0].b) == tuple(sorted((b1.id, s2.id)))
    _assert_valid(w, proposals)


def test_proposal_excludes_participant_not_present(app, db):
    w, m = _day()
    b1 = w.buyers[0]
    s2, s3 = w.suppliers[1], w.suppliers[2]
    s2.attendees[0].checked_in_at = None  # B1's favourite (priority 3) has not arrived
    db.session.flush()
    mark_meeting(w.fair, m.id, "no_show", absent_participant_id=w.suppliers[0].id)
    proposals = propose_replacements(w.fair, w.fair.slots[0])
    # Present, free and wished: only S3 -> B1. Were S2 counted as present, B1-S2 would come first.
    assert [(p.a, p.b) for p in proposals] == [tuple(sorted((b1.id, s3.id)))]
    _assert_valid(w, proposals)
    with pytest.raises(NotAllowed):
        accept_replacement(
            w.fair, Proposal(*sorted((b1.id, s2.id)), w.fair.slots[0].id, w.fair.tables[0].id, 0)
        )


def test_proposal_skips_pair_that_already_met(app, db):
    w, m = _day()
    b2, s3 = w.buyers[1], w.suppliers[2]
    wish(b2, s3, 3)  # B2 and S3 want each other most, but already have their meeting (second slot)
    wish(s3, b2, 3)
    mark_meeting(w.fair, m.id, "no_show", absent_participant_id=w.suppliers[0].id)
    proposals = propose_replacements(w.fair, w.fair.slots[0])
    pairs = {(p.a, p.b) for p in proposals}
    assert proposals, "the freed table is offered to another wished pair"
    assert tuple(sorted((b2.id, s3.id))) not in pairs
    _assert_valid(w, proposals)


def test_accept_replacement_books_meeting_with_seats(app, db):
    w, m = _day()
    mark_meeting(w.fair, m.id, "no_show", absent_participant_id=w.suppliers[0].id)
    best = propose_replacements(w.fair, w.fair.slots[0])[0]
    new = accept_replacement(w.fair, best)
    row = db.session.get(Meeting, new.id)
    assert (row.source, row.status, row.slot_id) == ("replacement", "scheduled", w.fair.slots[0].id)
    assert row.uid != m.uid
    seats = db.session.scalars(select(MeetingSeat).where(MeetingSeat.meeting_id == new.id)).all()
    assert sorted(s.participant_id for s in seats) == [best.a, best.b]
    with pytest.raises(NotAllowed):  # the same proposal cannot be booked twice
        accept_replacement(w.fair, best)


def test_accept_by_participant_refused_unless_fair_allows(app, db):
    w, m = _day()
    mark_meeting(w.fair, m.id, "no_show", absent_participant_id=w.suppliers[0].id)
    best = propose_replacements(w.fair, w.fair.slots[0])[0]
    with pytest.raises(NotAllowed):
        accept_replacement(w.fair, best, by_participant=w.buyers[0])
    w.fair.participants_can_accept_replacements = True
    db.session.flush()
    with pytest.raises(NotAllowed):
        accept_replacement(w.fair, best, by_participant=w.buyers[1])
    assert accept_replacement(w.fair, best, by_participant=w.buyers[0]).source == "replacement"


def test_accept_unwished_pair_refused(app, db):
    w, m = _day()
    b2 = w.buyers[1]
    mark_meeting(w.fair, m.id, "no_show", absent_participant_id=w.suppliers[0].id)
    _present(w.suppliers[0])
    s1 = w.suppliers[0]
    with pytest.raises(NotAllowed):
        accept_replacement(
            w.fair, Proposal(*sorted((b2.id, s1.id)), w.fair.slots[2].id, w.fair.tables[0].id, 0)
        )


def test_walk_in_between_present_people_on_free_table(app, db):
    w, _m = _day()
    b2, s2 = w.buyers[1], w.suppliers[1]
    meeting = book_walk_in(w.fair, b2.id, s2.id, w.fair.slots[0], w.fair.tables[1])
    assert db.session.get(Meeting, meeting.id).source == "walk_in"


def test_walk_in_refused_on_busy_table_or_absent_person(app, db):
    w, _m = _day()
    b2, s1, s2 = w.buyers[1], w.suppliers[0], w.suppliers[1]
    with pytest.raises(NotAllowed):
        book_walk_in(w.fair, b2.id, s2.id, w.fair.slots[0], w.fair.tables[0])
    with pytest.raises(NotAllowed):
        book_walk_in(w.fair, b2.id, s1.id, w.fair.slots[0], w.fair.tables[1])


def test_proposal_for_slot_of_another_fair_refused(app, db):
    w, _m = _day()
    other = make_day_world()
    with pytest.raises(DomainError):
        propose_replacements(w.fair, other.fair.slots[0])


def test_random_days_proposals_always_valid(app, db):
    import random

    rng = random.Random(7)
    for _ in range(3):
        w = make_day_world(buyers=4, suppliers=6)
        people = w.buyers + w.suppliers
        for b in w.buyers:
            for s in rng.sample(w.suppliers, 3):
                wish(b, s, rng.randint(1, 3))
        for k, b in enumerate(w.buyers[:3]):
            book(w.fair, b, w.suppliers[k], 0, k)
        _present(*rng.sample(people, 7))
        proposals = propose_replacements(w.fair, w.fair.slots[0])
        _assert_valid(w, proposals)
        for slot in w.fair.slots[1:3]:
            _assert_valid(w, propose_replacements(w.fair, slot))
