"""The CP-SAT scheduler on small hand-made instances, one or more per hard rule."""

from __future__ import annotations

from typing import Any

from solver.instance import Instance, instance_from_dict
from solver.objective import compute_objective
from solver.solve import solve
from solver.validate import violations
from tests.solver.small import MINI_OBJECTIVE, mini


def make(people: int, n_slots: int, tables: int | list[str] = 2, **fields: Any) -> Instance:
    """Return an instance p1..pn, slots t1..tk, with the given top-level fields."""
    data: dict[str, Any] = {
        "format": "salon-instance/1",
        "slots": [{"id": f"t{t}"} for t in range(1, n_slots + 1)],
        "tables": tables,
        "participants": [{"id": f"p{i}"} for i in range(1, people + 1)],
    }
    data.update(fields)
    return instance_from_dict(data)


def wishes(*pairs: str, weight: int = 1) -> list[dict[str, Any]]:
    """Return wishes 'a-b' from a to b."""
    return [{"from": p.split("-")[0], "to": p.split("-")[1], "weight": weight} for p in pairs]


def solved(inst: Instance, **options: Any):
    """Solve, check the schedule with the independent validator and return the result."""
    result = solve(inst, time_limit=options.pop("time_limit", 10.0), **options)
    if result.status in ("optimal", "feasible"):
        assert violations(inst, result) == []
        full = compute_objective(inst, result.meetings)
        assert result.objective == {term: full[term] for term in inst.objective}
    return result


def slots_of(result, person: str) -> list[str]:
    """Return the slots where a participant meets."""
    return sorted(m.slot for m in result.meetings if person in m.participants)


def test_mini_reaches_known_optimum():
    result = solved(mini())
    assert result.status == "optimal"
    assert result.objective == MINI_OBJECTIVE


def test_person_double_booked_one_slot_holds_one_meeting_per_person():
    result = solved(make(3, 1, wishes=wishes("p1-p2", "p1-p3")))
    assert result.status == "optimal"
    assert len(result.meetings) == 1


def test_table_double_booked_one_table_per_slot():
    result = solved(make(4, 1, tables=1, wishes=wishes("p1-p2", "p3-p4")))
    assert result.objective["coverage"] == 2


def test_unavailable_slot_is_avoided():
    inst = make(
        2, 2, participants=[{"id": "p1", "unavailable": ["t1"]}, {"id": "p2"}], wishes=wishes("p1-p2")
    )
    assert slots_of(solved(inst), "p1") == ["t2"]


def test_home_table_owner_meets_at_home_and_others_stay_away():
    parts = [{"id": "p1", "table": "H"}, {"id": "p2"}, {"id": "p3"}, {"id": "p4"}]
    inst = make(4, 1, tables=["H", "F"], participants=parts, wishes=wishes("p1-p2", "p3-p4"))
    result = solved(inst)
    tables = {m.participants: m.table for m in result.meetings}
    assert tables == {("p1", "p2"): "H", ("p3", "p4"): "F"}


def test_home_table_shared_by_two_owners_holds_one_of_their_meetings_per_slot():
    parts = [{"id": "p1", "table": "H"}, {"id": "p2", "table": "H"}, {"id": "p3"}, {"id": "p4"}]
    inst = make(4, 1, tables=["H", "F"], participants=parts, wishes=wishes("p1-p3", "p2-p4"))
    assert len(solved(inst).meetings) == 1


def test_max_meetings_caps_a_participant():
    parts = [{"id": "p1", "max_meetings": 1}, {"id": "p2"}, {"id": "p3"}]
    result = solved(make(3, 3, participants=parts, wishes=wishes("p1-p2", "p1-p3")))
    assert len(slots_of(result, "p1")) == 1


def test_min_meetings_forces_a_meeting_the_objective_does_not_want():
    parts = [{"id": "p1", "min_meetings": 2}, {"id": "p2"}, {"id": "p3"}]
    inst = make(3, 3, participants=parts, wishes=wishes("p1-p2", "p1-p3"), objective=["breaks"])
    assert len(slots_of(solved(inst), "p1")) == 2


def test_mandatory_meeting_respects_session_fixed_slot_and_precedence():
    slots = [{"id": "t1", "session": "am"}, {"id": "t2", "session": "am"}, {"id": "t3", "session": "pm"}]
    meetings = [
        {"participants": ["p1", "p2"], "session": "pm"},
        {"participants": ["p1", "p3"], "slot": "t2"},
        {"participants": ["p3", "p4"], "after": [1]},
    ]
    result = solved(make(4, 3, slots=slots, meetings=meetings))
    held = {m.mandatory: m.slot for m in result.meetings}
    assert held == {0: "t3", 1: "t2", 2: "t3"}


def test_unwished_pair_never_meets():
    result = solved(make(4, 2, wishes=wishes("p1-p2")))
    assert [m.participants for m in result.meetings] == [("p1", "p2")]


def test_pair_twice_wished_pair_meets_once_and_doubly_requested_pair_twice():
    once = solved(make(2, 3, wishes=wishes("p1-p2")))
    twice = solved(make(2, 3, meetings=[{"participants": ["p1", "p2"]}, {"participants": ["p2", "p1"]}]))
    assert (len(once.meetings), len(twice.meetings)) == (1, 2)


def test_locked_meeting_stays_put():
    locked = [{"participants": ["p1", "p2"], "slot": "t3", "table": "2"}]
    result = solved(make(2, 3, wishes=wishes("p1-p2"), locked=locked))
    assert [(m.slot, m.table) for m in result.meetings] == [("t3", "2")]


def test_breaks_are_minimised_within_sessions_only():
    slots = [{"id": "t1", "session": "am"}, {"id": "t2", "session": "am"}, {"id": "t3", "session": "pm"}]
    meetings = [{"participants": ["p1", "p2"], "slot": "t1"}, {"participants": ["p1", "p3"], "slot": "t3"}]
    inst = make(3, 3, slots=slots, meetings=meetings, breaks_within="session")
    assert solved(inst).objective["breaks"] == 0


def test_break_spread_makes_two_breaks_impossible():
    meetings = [{"participants": ["p1", "p2"], "slot": "t1"}, {"participants": ["p1", "p3"], "slot": "t3"}]
    inst = make(3, 3, meetings=meetings, max_break_spread=0, objective=["breaks"])
    result = solved(inst)
    assert result.status == "infeasible"
    assert [r.rule for r in result.reasons] == ["break-spread"]


def test_objective_order_weight_before_coverage():
    inst = make(3, 1, wishes=wishes("p1-p2", weight=5) + wishes("p1-p3"), objective=["weight", "coverage"])
    result = solved(inst)
    assert result.objective == {"weight": 5, "coverage": 2}
    assert [s["term"] for s in result.stats["stages"]] == ["weight", "coverage"]


def test_infeasible_returns_no_meetings_and_reasons():
    inst = make(2, 1, meetings=[{"participants": ["p1", "p2"]}, {"participants": ["p1", "p2"]}])
    result = solved(inst)
    assert (result.status, result.meetings, result.objective) == ("infeasible", (), {})
    assert result.reasons


def test_bounds_are_reported_and_respected():
    result = solved(mini())
    assert result.bounds["coverage"] >= result.objective["coverage"]
    assert result.bounds["weight"] >= result.objective["weight"]
    assert result.bounds["breaks"] <= result.objective["breaks"]
    assert None not in result.bounds.values()


def test_progress_reports_stage_value_bound_and_elapsed():
    seen: list[dict] = []
    solved(mini(), progress=seen.append)
    assert seen
    assert {"stage", "value", "bound", "elapsed"} <= set(seen[0])
    assert {e["stage"] for e in seen} <= {"coverage", "weight", "breaks"}


def test_should_stop_cancels_and_still_returns_a_result():
    result = solved(mini(), should_stop=lambda: True)
    assert result.status in ("feasible", "unknown")
    assert result.stats.get("cancelled") is True


def test_stats_list_every_stage():
    result = solved(mini())
    assert [s["term"] for s in result.stats["stages"]] == ["coverage", "weight", "breaks"]
    assert all(s["status"] == "optimal" for s in result.stats["stages"])
    assert result.stats["solve_seconds"] >= 0
