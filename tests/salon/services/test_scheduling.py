"""Building a salon-instance/1 from the database, and drafts from a solver result."""

from __future__ import annotations

import pytest

from salon.models import DraftMeeting, MandatoryMeeting, Meeting, ScheduleRun
from salon.services import DomainError, NotAllowed, scheduling
from salon.services.publishing import add_seats
from solver.schedule import ScheduledMeeting, SolveResult
from tests.factories import make_fair, make_participant, make_user, make_wish


@pytest.fixture(autouse=True)
def _request(app, db):
    """Services translate their messages: run each test inside a request."""
    with app.test_request_context():
        yield


@pytest.fixture()
def fair(db):
    return make_fair(phase="scheduling", weight_high=10, weight_mid=3, weight_low=1)


def test_instance_weights_follow_fair_priorities(db, fair):
    b = make_participant(fair, "buyer")
    s = make_participant(fair, "supplier")
    make_wish(b, s, 3)
    make_wish(s, b, 1)
    inst = scheduling.build_instance(fair)
    assert [(w.source, w.target, w.weight) for w in inst.wishes] == [(b.key, s.key, 10), (s.key, b.key, 1)]
    assert inst.objective == ("coverage", "weight", "breaks")
    assert inst.breaks_within == "session"


def test_instance_veto_removes_both_wishes_of_pair(db, fair):
    b = make_participant(fair, "buyer")
    s = make_participant(fair, "supplier")
    make_wish(b, s, 3)
    make_wish(s, b, veto=True)
    assert scheduling.build_instance(fair).wishes == ()


def test_instance_only_approved_participants(db, fair):
    b = make_participant(fair, "buyer")
    pending = make_participant(fair, "supplier", status="pending")
    refused = make_participant(fair, "supplier", status="refused")
    make_wish(b, pending, 2)
    make_wish(refused, b, 2)
    inst = scheduling.build_instance(fair)
    assert inst.participant_ids == (b.key,)
    assert inst.wishes == ()


def test_instance_constraints_slots_tables_and_sessions(db, fair):
    table = fair.tables[1]
    b = make_participant(fair, "buyer", min_meetings=1, max_meetings=3)
    s = make_participant(fair, "supplier", home_table_id=table.id)
    b.unavailable_slots.append(fair.slots[0])
    db.session.flush()
    inst = scheduling.build_instance(fair)
    pb, ps = inst.participant_by_id[b.key], inst.participant_by_id[s.key]
    assert (pb.min_meetings, pb.max_meetings, pb.unavailable) == (1, 3, (fair.slots[0].key,))
    assert ps.table == table.name
    assert inst.tables == ("1", "2", "3")
    assert [s.session for s in inst.slots] == ["am"] * 4 + ["pm"] * 4
    assert inst.slots[0].start == "2027-03-18T09:00:00+01:00"
    scheduling.checked_instance(inst)  # the reader accepts it


def test_instance_mandatory_and_published_meetings_locked(db, fair):
    b = make_participant(fair, "buyer")
    s = make_participant(fair, "supplier")
    s2 = make_participant(fair, "supplier")
    pm = fair.sessions[1]
    mm = MandatoryMeeting(fair_id=fair.id, participant_a_id=b.id, participant_b_id=s.id, session_id=pm.id)
    db.session.add(mm)
    meeting = Meeting(
        fair_id=fair.id,
        participant_a_id=b.id,
        participant_b_id=s2.id,
        slot_id=fair.slots[2].id,
        table_id=fair.tables[0].id,
        uid="x@salon",
    )
    db.session.add(meeting)
    db.session.flush()
    add_seats(meeting)
    db.session.flush()
    inst = scheduling.checked_instance(scheduling.build_instance(fair))
    assert [(m.participants, m.session) for m in inst.meetings] == [((b.key, s.key), "pm")]
    assert [(lk.participants, lk.slot, lk.table) for lk in inst.locked] == [
        ((b.key, s2.key), fair.slots[2].key, "1")
    ]


def test_drafts_written_from_result_with_occurrences(db, fair):
    b = make_participant(fair, "buyer")
    s = make_participant(fair, "supplier")
    for _ in range(2):
        db.session.add(MandatoryMeeting(fair_id=fair.id, participant_a_id=s.id, participant_b_id=b.id))
    db.session.flush()
    run = ScheduleRun(fair_id=fair.id, status="done")
    db.session.add(run)
    maps = scheduling.load_maps(fair)
    result = SolveResult(
        "optimal",
        meetings=[
            ScheduledMeeting((s.key, b.key), fair.slots[3].key, "2", 1),
            ScheduledMeeting((b.key, s.key), fair.slots[0].key, "1", 0),
        ],
    )
    assert scheduling.write_drafts(run, result, [], maps) == 2
    rows = sorted(db.session.scalars(db.select(DraftMeeting)), key=lambda d: d.occurrence)
    assert [(d.participant_a_id, d.participant_b_id, d.occurrence, d.slot_id) for d in rows] == [
        (b.id, s.id, 0, fair.slots[0].id),
        (b.id, s.id, 1, fair.slots[3].id),
    ]
    assert rows[0].mandatory_meeting_id == maps.mandatory[0].id


def test_request_solve_refused_in_wrong_phase(db):
    fair = make_fair(phase="wishes")
    make_participant(fair, "buyer")
    with pytest.raises(NotAllowed):
        scheduling.request_solve(fair, None, 5)


def test_request_solve_refused_without_participants(db, fair):
    with pytest.raises(DomainError):
        scheduling.request_solve(fair, None, 5)


def test_request_solve_refused_while_another_runs(db, fair):
    make_participant(fair, "buyer")
    user = make_user()
    first = scheduling.request_solve(fair, user, 5)
    with pytest.raises(NotAllowed):
        scheduling.request_solve(fair, user, 5)
    db.session.commit()
    assert db.session.get(ScheduleRun, first.id).status == "queued"
    assert db.session.scalar(db.select(db.func.count(ScheduleRun.id))) == 1
