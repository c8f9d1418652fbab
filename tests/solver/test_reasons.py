"""Infeasibility reasons name exactly the ids in conflict."""

from __future__ import annotations

from solver.reasons import precheck
from solver.solve import solve
from tests.solver.test_solve import make


def rules_and_ids(inst) -> list[tuple[str, tuple]]:
    """Return (rule, ids) of every pre-check reason."""
    return [(r.rule, r.ids) for r in precheck(inst)]


def test_more_mandatory_meetings_than_free_slots():
    parts = [{"id": "p1", "unavailable": ["t3"]}, {"id": "p2"}, {"id": "p3"}, {"id": "p4"}]
    meetings = [{"participants": ["p1", q]} for q in ("p2", "p3", "p4")]
    assert rules_and_ids(make(4, 3, participants=parts, meetings=meetings)) == [
        ("mandatory-missing", ("p1", 0, 1, 2))
    ]


def test_fixed_slot_the_participant_cannot_attend():
    parts = [{"id": "p1", "unavailable": ["t2"]}, {"id": "p2"}]
    meetings = [{"participants": ["p1", "p2"], "slot": "t2"}]
    assert rules_and_ids(make(2, 2, participants=parts, meetings=meetings)) == [
        ("unavailable", (0, "p1", "t2"))
    ]


def test_fixed_slot_outside_the_meeting_session():
    slots = [{"id": "t1", "session": "am"}, {"id": "t2", "session": "pm"}]
    meetings = [{"participants": ["p1", "p2"], "session": "am", "slot": "t2"}]
    assert rules_and_ids(make(2, 2, slots=slots, meetings=meetings)) == [("wrong-session", (0, "t2"))]


def test_mandatory_meeting_between_two_home_tables():
    parts = [{"id": "p1", "table": "A"}, {"id": "p2", "table": "B"}]
    meetings = [{"participants": ["p1", "p2"]}]
    inst = make(2, 2, tables=["A", "B"], participants=parts, meetings=meetings)
    assert rules_and_ids(inst) == [("home-table", (0, "p1", "p2"))]


def test_cycle_in_after_names_the_cycle():
    meetings = [
        {"participants": ["p1", "p2"], "after": [2]},
        {"participants": ["p3", "p4"]},
        {"participants": ["p1", "p3"], "after": [0]},
    ]
    assert rules_and_ids(make(4, 3, meetings=meetings)) == [("precedence", (0, 2))]


def test_precedence_from_afternoon_only_to_morning_only():
    slots = [{"id": "t1", "session": "am"}, {"id": "t2", "session": "pm"}]
    meetings = [
        {"participants": ["p1", "p2"], "session": "am", "after": [1]},
        {"participants": ["p3", "p4"], "session": "pm"},
    ]
    assert rules_and_ids(make(4, 2, slots=slots, meetings=meetings)) == [("precedence", (0, 1))]


def test_two_fixed_meetings_of_one_participant_in_one_slot():
    meetings = [{"participants": ["p1", "p2"], "slot": "t1"}, {"participants": ["p1", "p3"], "slot": "t1"}]
    assert rules_and_ids(make(3, 2, meetings=meetings)) == [("person-double-booked", ("p1", "t1", 0, 1))]


def test_free_meeting_squeezed_out_by_fixed_meetings():
    meetings = [
        {"participants": ["p1", "p3"], "slot": "t1"},
        {"participants": ["p2", "p4"], "slot": "t2"},
        {"participants": ["p1", "p2"]},
    ]
    assert rules_and_ids(make(4, 2, meetings=meetings)) == [("mandatory-missing", (2, "p1", "p2", 0, 1))]


def test_unreachable_min_meetings():
    parts = [{"id": "p1", "min_meetings": 2}, {"id": "p2"}, {"id": "p3"}]
    inst = make(3, 3, participants=parts, wishes=[{"from": "p1", "to": "p2"}])
    assert rules_and_ids(inst) == [("min-meetings", ("p1",))]


def test_more_fixed_meetings_in_a_slot_than_tables():
    meetings = [{"participants": [f"p{2 * k + 1}", f"p{2 * k + 2}"], "slot": "t1"} for k in range(3)]
    assert rules_and_ids(make(6, 2, tables=2, meetings=meetings)) == [
        ("table-double-booked", ("t1", 0, 1, 2))
    ]


def test_feasible_instance_has_no_reason():
    assert rules_and_ids(make(4, 2, meetings=[{"participants": ["p1", "p2"]}])) == []


def test_cp_sat_core_names_the_meetings_when_prechecks_find_nothing():
    # Three people meeting pairwise in two slots: each holds two meetings, but a triangle needs three slots.
    meetings = [{"participants": list(pair)} for pair in (("p1", "p2"), ("p2", "p3"), ("p1", "p3"))]
    inst = make(5, 2, meetings=[*meetings, {"participants": ["p4", "p5"]}])
    assert rules_and_ids(inst) == []
    result = solve(inst, time_limit=10)
    assert result.status == "infeasible"
    assert [(r.rule, r.ids) for r in result.reasons] == [("mandatory-missing", ("p1", "p2", "p3", 0, 1, 2))]


def test_break_spread_alone_is_named():
    meetings = [{"participants": ["p1", "p2"], "slot": "t1"}, {"participants": ["p1", "p3"], "slot": "t3"}]
    result = solve(make(3, 3, meetings=meetings, max_break_spread=0), time_limit=10)
    assert [r.rule for r in result.reasons] == ["break-spread"]
