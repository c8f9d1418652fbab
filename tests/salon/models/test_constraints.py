"""Invariants held by the database itself, not only by forms and services."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from salon.models import Meeting, MeetingSeat, ScheduleRun, User, Wish
from tests.factories import make_fair, make_participant, make_user, make_wish


def _rejects(db, *rows) -> None:
    """Assert that flushing `rows` violates a database constraint, then roll back."""
    with pytest.raises(IntegrityError):
        for row in rows:
            db.session.add(row)
        db.session.flush()
    db.session.rollback()


def _meeting(fair, a, b, slot, table, status="scheduled", occurrence=0) -> Meeting:
    first, second = sorted((a, b), key=lambda p: p.id)
    return Meeting(
        fair_id=fair.id,
        participant_a_id=first.id,
        participant_b_id=second.id,
        occurrence=occurrence,
        slot_id=slot.id,
        table_id=table.id,
        status=status,
        uid=f"{uuid.uuid4()}@salon",
    )


@pytest.fixture()
def fair(db):
    return make_fair()


def test_user_email_is_unique(db):
    make_user("a@example.org")
    _rejects(db, User(email="a@example.org", password_hash="x"))


def test_user_email_must_be_stored_lowercase(db):
    _rejects(db, User(email="Mixed@Example.org", password_hash="x"))


def test_wish_unique_per_pair_and_direction(db, fair):
    buyer, supplier = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    make_wish(buyer, supplier)
    make_wish(supplier, buyer)  # the other direction is another wish
    _rejects(db, Wish(fair_id=fair.id, source_id=buyer.id, target_id=supplier.id, priority=1))


def test_wish_to_oneself_rejected(db, fair):
    buyer = make_participant(fair, "buyer")
    _rejects(db, Wish(fair_id=fair.id, source_id=buyer.id, target_id=buyer.id, priority=2))


@pytest.mark.parametrize(("priority", "veto"), [(None, False), (4, False), (0, False), (2, True)])
def test_wish_needs_a_priority_or_a_veto(db, fair, priority, veto):
    buyer, supplier = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    _rejects(
        db, Wish(fair_id=fair.id, source_id=buyer.id, target_id=supplier.id, priority=priority, veto=veto)
    )


def test_orphan_rejected_by_foreign_keys(db, fair):
    _rejects(db, Wish(fair_id=fair.id, source_id=999_999, target_id=999_998, priority=2))


def test_one_active_meeting_per_table_and_slot(db, fair):
    p = [make_participant(fair, side) for side in ("buyer", "supplier", "buyer", "supplier")]
    slot, table = fair.slots[0], fair.tables[0]
    db.session.add(_meeting(fair, p[0], p[1], slot, table))
    db.session.flush()
    _rejects(db, _meeting(fair, p[2], p[3], slot, table))


def test_cancelled_meeting_frees_its_table(db, fair):
    p = [make_participant(fair, side) for side in ("buyer", "supplier", "buyer", "supplier")]
    slot, table = fair.slots[0], fair.tables[0]
    db.session.add(_meeting(fair, p[0], p[1], slot, table, status="cancelled"))
    db.session.add(_meeting(fair, p[2], p[3], slot, table))
    db.session.flush()
    assert len(db.session.scalars(select(Meeting)).all()) == 2


def test_one_active_meeting_per_participant_and_slot(db, fair):
    buyer = make_participant(fair, "buyer")
    s1, s2 = make_participant(fair, "supplier"), make_participant(fair, "supplier")
    slot = fair.slots[0]
    m1 = _meeting(fair, buyer, s1, slot, fair.tables[0])
    m2 = _meeting(fair, buyer, s2, slot, fair.tables[1])
    db.session.add_all([m1, m2])
    db.session.flush()
    db.session.add(MeetingSeat(meeting_id=m1.id, participant_id=buyer.id, slot_id=slot.id))
    db.session.flush()
    _rejects(db, MeetingSeat(meeting_id=m2.id, participant_id=buyer.id, slot_id=slot.id))


def test_seat_slot_must_match_its_meeting(db, fair):
    buyer, supplier = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    m = _meeting(fair, buyer, supplier, fair.slots[0], fair.tables[0])
    db.session.add(m)
    db.session.flush()
    _rejects(db, MeetingSeat(meeting_id=m.id, participant_id=buyer.id, slot_id=fair.slots[1].id))


def test_seat_follows_a_moved_meeting(db, fair):
    buyer, supplier = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    m = _meeting(fair, buyer, supplier, fair.slots[0], fair.tables[0])
    db.session.add(m)
    db.session.flush()
    db.session.add(MeetingSeat(meeting_id=m.id, participant_id=buyer.id, slot_id=m.slot_id))
    db.session.flush()
    m.slot_id = fair.slots[2].id
    db.session.flush()
    db.session.expire_all()
    seat = db.session.scalars(select(MeetingSeat)).one()
    assert seat.slot_id == fair.slots[2].id


def test_meeting_identity_is_unique(db, fair):
    buyer, supplier = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    db.session.add(_meeting(fair, buyer, supplier, fair.slots[0], fair.tables[0]))
    db.session.flush()
    _rejects(db, _meeting(fair, buyer, supplier, fair.slots[1], fair.tables[1], status="cancelled"))


def test_meeting_pair_is_stored_ordered(db, fair):
    buyer, supplier = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    m = _meeting(fair, buyer, supplier, fair.slots[0], fair.tables[0])
    m.participant_a_id, m.participant_b_id = m.participant_b_id, m.participant_a_id
    _rejects(db, m)


def test_one_running_solve_per_fair(db, fair):
    db.session.add(ScheduleRun(fair_id=fair.id, status="running"))
    db.session.flush()
    _rejects(db, ScheduleRun(fair_id=fair.id, status="queued"))


def test_finished_runs_do_not_block_a_new_solve(db, fair):
    db.session.execute(
        insert(ScheduleRun), [{"fair_id": fair.id, "status": s} for s in ("done", "failed", "running")]
    )
    db.session.flush()
    assert db.session.scalar(select(ScheduleRun.id).where(ScheduleRun.status == "running")) is not None


def test_participant_min_above_max_rejected(db, fair):
    p = make_participant(fair, "buyer")
    p.min_meetings, p.max_meetings = 5, 2
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
