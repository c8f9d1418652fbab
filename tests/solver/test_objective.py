"""Objective terms recomputed from a schedule alone (spec section 2, "Objective terms")."""

from __future__ import annotations

from solver.instance import pair_values, session_runs
from solver.objective import breaks_per_participant, compute_objective, count_breaks, instance_objective
from solver.schedule import ScheduledMeeting
from tests.solver.small import MINI_MEETINGS, MINI_OBJECTIVE, meet, mini, tiny


def test_objective_of_mini_schedule() -> None:
    assert compute_objective(mini(), MINI_MEETINGS) == MINI_OBJECTIVE


def test_breaks_within_sessions_ignore_lunch() -> None:
    assert breaks_per_participant(mini(), MINI_MEETINGS) == {"b1": 0, "b2": 0, "b3": 0, "s1": 0, "s2": 0}
    everything = mini(breaks_within="all")
    assert breaks_per_participant(everything, MINI_MEETINGS) == {"b1": 0, "b2": 0, "b3": 1, "s1": 1, "s2": 0}
    assert compute_objective(everything, MINI_MEETINGS)["breaks"] == 2


def test_break_is_a_maximal_idle_run_between_meetings() -> None:
    assert count_breaks([[0, 1, 2, 3, 4, 5, 6]], {0, 3, 4, 6}) == 2
    assert count_breaks([[0, 1, 2, 3, 4, 5, 6]], {1, 2, 3}) == 0
    assert count_breaks([[0, 1, 2], [3, 4, 5]], {0, 2, 3, 5}) == 2
    assert count_breaks([[0, 1, 2], [3, 4, 5]], {2, 3}) == 0
    assert count_breaks([], set()) == 0


def test_pair_value_is_counted_once_and_sums_both_directions() -> None:
    inst = tiny(wishes=[{"from": "p1", "to": "p2", "weight": 3}, {"from": "p2", "to": "p1", "weight": 10}])
    assert pair_values(inst) == {("p1", "p2"): 13}
    twice = [meet("p1", "p2", "t1", "1"), meet("p2", "p1", "t3", "1")]
    assert compute_objective(inst, twice) == {"coverage": 2, "weight": 13, "breaks": 2}


def test_unwished_pairs_count_for_coverage_but_not_weight() -> None:
    assert compute_objective(tiny(), [meet("p1", "p3", "t1", "1")]) == {
        "coverage": 2,
        "weight": 0,
        "breaks": 0,
    }


def test_malformed_meetings_are_left_out() -> None:
    bad = [meet("p1", "p2", "t1", "9"), ScheduledMeeting(("", ""), "", "", problem="not an object")]
    assert compute_objective(tiny(), bad) == {"coverage": 0, "weight": 0, "breaks": 0}


def test_session_runs_cut_on_label_change() -> None:
    slots = [{"id": "a", "session": "x"}, {"id": "b"}, {"id": "c"}, {"id": "d", "session": "x"}]
    assert session_runs(tiny(slots=slots, breaks_within="session")) == [[0], [1, 2], [3]]
    assert session_runs(tiny(slots=slots)) == [[0, 1, 2, 3]]


def test_instance_objective_keeps_only_its_terms_in_order() -> None:
    inst = mini(objective=["breaks", "coverage"])
    assert list(instance_objective(inst, MINI_MEETINGS).items()) == [("breaks", 0), ("coverage", 5)]
