"""Publishing a run: identity kept, moves bump the sequence, gone meetings are cancelled, seats in sync."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from salon.models import DraftMeeting, Meeting, MeetingSeat, ScheduleRun
from salon.services import NotAllowed
from salon.services.publishing import publish_run
from tests.factories import make_fair, make_participant


@pytest.fixture(autouse=True)
def _request(app, db):
    """Services translate their messages: run each test inside a request."""
    with app.test_request_context():
        yield


@pytest.fixture()
def fair(db):
    return make_fair(phase="scheduling")


def make_run(fair, drafts, status="done"):
    """Create a finished run with drafts given as (a, b, slot index, table index[, occurrence])."""
    run = ScheduleRun(fair_id=fair.id, status=status)
    for a, b, slot, table, *occ in drafts:
        lo, hi = sorted((a.id, b.id))
        run.drafts.append(
            DraftMeeting(
                participant_a_id=lo,
                participant_b_id=hi,
                occurrence=occ[0] if occ else 0,
                slot_id=fair.slots[slot].id,
                table_id=fair.tables[table].id,
            )
        )
    from salon.extensions import db

    db.session.add(run)
    db.session.flush()
    return run


def seats(db, meeting_id):
    rows = db.session.scalars(select(MeetingSeat).where(MeetingSeat.meeting_id == meeting_id)).all()
    return sorted((s.participant_id, s.slot_id) for s in rows)


def test_publish_first_time_creates_meetings_with_uid_and_seats(db, fair):
    b, s = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    summary = publish_run(make_run(fair, [(b, s, 0, 0)]))
    db.session.commit()
    (m,) = db.session.scalars(select(Meeting)).all()
    assert (len(summary.created), m.sequence, m.status, fair.phase) == (1, 0, "scheduled", "published")
    assert m.uid.endswith("@salon") and len(m.uid) == 36 + 6
    assert seats(db, m.id) == sorted([(b.id, fair.slots[0].id), (s.id, fair.slots[0].id)])


def test_publish_again_moves_same_row_and_bumps_sequence(db, fair):
    b, s = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    publish_run(make_run(fair, [(b, s, 0, 0)]))
    first = db.session.scalars(select(Meeting)).one()
    uid, mid = first.uid, first.id
    summary = publish_run(make_run(fair, [(b, s, 2, 1)]))
    db.session.commit()
    m = db.session.get(Meeting, mid)
    assert (len(summary.moved), m.uid, m.sequence, m.slot_id, m.table_id) == (
        1,
        uid,
        1,
        fair.slots[2].id,
        fair.tables[1].id,
    )
    assert seats(db, mid) == sorted([(b.id, fair.slots[2].id), (s.id, fair.slots[2].id)])


def test_publish_again_cancels_gone_meeting_keeping_row(db, fair):
    b, s, s2 = make_participant(fair, "buyer"), make_participant(fair, "supplier"), make_participant(fair)
    publish_run(make_run(fair, [(b, s, 0, 0), (b, s2, 1, 0)]))
    gone = db.session.scalars(select(Meeting).where(Meeting.participant_b_id == max(b.id, s2.id))).one()
    summary = publish_run(make_run(fair, [(b, s, 0, 0)]))
    db.session.commit()
    m = db.session.get(Meeting, gone.id)
    assert (m.status, m.sequence, summary.unchanged, len(summary.cancelled)) == ("cancelled", 1, 1, 1)
    assert seats(db, m.id) == []


def test_publish_swap_of_two_meetings_passes_unique_indexes(db, fair):
    b, s, s2 = make_participant(fair, "buyer"), make_participant(fair, "supplier"), make_participant(fair)
    publish_run(make_run(fair, [(b, s, 0, 0), (b, s2, 1, 0)]))
    publish_run(make_run(fair, [(b, s, 1, 0), (b, s2, 0, 0)]))
    db.session.commit()
    rows = {
        m.participant_b_id if m.participant_a_id == b.id else m.participant_a_id: m
        for m in db.session.scalars(select(Meeting))
    }
    assert (rows[s.id].slot_id, rows[s2.id].slot_id) == (fair.slots[1].id, fair.slots[0].id)
    assert [m.sequence for m in rows.values()] == [1, 1]


def test_publish_reactivates_cancelled_identity(db, fair):
    b, s = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    s2 = make_participant(fair)
    publish_run(make_run(fair, [(b, s, 0, 0)]))
    publish_run(make_run(fair, [(b, s2, 0, 0)]))
    publish_run(make_run(fair, [(b, s, 3, 2)]))
    db.session.commit()
    m = db.session.scalars(
        select(Meeting).where(
            Meeting.participant_b_id == max(b.id, s.id), Meeting.participant_a_id == min(b.id, s.id)
        )
    ).one()
    assert (m.status, m.sequence, m.slot_id) == ("scheduled", 2, fair.slots[3].id)
    assert len(seats(db, m.id)) == 2


def test_publish_refused_for_unfinished_run(db, fair):
    b, s = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    with pytest.raises(NotAllowed):
        publish_run(make_run(fair, [(b, s, 0, 0)], status="running"))


def test_publish_refused_in_wrong_phase(db):
    fair = make_fair(phase="wishes")
    b, s = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    with pytest.raises(NotAllowed):
        publish_run(make_run(fair, [(b, s, 0, 0)]))
    assert db.session.scalars(select(Meeting)).all() == []
