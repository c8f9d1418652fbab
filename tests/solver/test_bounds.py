"""Proved bounds: exact b-matching on two-sided fairs, valid relaxations elsewhere, a breaks lower bound."""

from __future__ import annotations

from solver.bounds import compute_bounds
from solver.instance import read_dzn
from solver.solve import solve
from tests.shared import shared_dir
from tests.solver.small import mini
from tests.solver.test_solve import make, wishes

POSITIVE_OPTIMA = {
    "forum-13crafb": 6, "forum-13crafc": 1, "forum-14": 2, "forumt-14": 5, "forumt-14crafc": 5,
    "forumt-14crafd": 4, "forumt-14crafe": 5, "tic-13crafc": 4, "ticf-13crafb": 3, "ticf-13crafc": 1,
}  # fmt: skip


def test_two_sided_bounds_are_the_b_matching_optimum():
    parts = [{"id": "b1", "max_meetings": 1}, {"id": "b2"}, {"id": "s1"}, {"id": "s2"}]
    inst = make(4, 3, participants=parts, wishes=wishes("b1-s1", "b1-s2", weight=5) + wishes("b2-s1"))
    assert compute_bounds(inst) == {"coverage": 4, "weight": 6, "weight_at_max_coverage": 6, "breaks": 0}


def test_weight_at_max_coverage_trades_weight_for_coverage():
    # Star: b1 may meet once; the heavy pair leaves s2 alone, covering everyone costs weight.
    parts = [{"id": "b1", "max_meetings": 1}, {"id": "s1"}, {"id": "s2"}, {"id": "b2"}]
    inst = make(4, 2, participants=parts, wishes=wishes("b1-s1", weight=9) + wishes("b1-s2", "b2-s1"))
    bounds = compute_bounds(inst)
    assert (bounds["coverage"], bounds["weight"], bounds["weight_at_max_coverage"]) == (4, 10, 2)


def test_mandatory_and_locked_meetings_count_toward_coverage_and_weight():
    locked = [{"participants": ["p3", "p4"], "slot": "t1", "table": "1"}]
    inst = make(
        4, 2, meetings=[{"participants": ["p1", "p2"]}], locked=locked, wishes=wishes("p1-p2", weight=4)
    )
    bounds = compute_bounds(inst)
    assert (bounds["coverage"], bounds["weight"]) == (4, 4)


def test_triangle_bound_stays_above_the_optimum():
    # Non-bipartite: the double cover gives a valid (here exact) bound.
    parts = [{"id": f"p{i}", "max_meetings": 1} for i in (1, 2, 3)]
    inst = make(3, 3, participants=parts, wishes=wishes("p1-p2", "p2-p3", "p1-p3"))
    bounds = compute_bounds(inst)
    result = solve(inst, time_limit=5)
    assert bounds["coverage"] >= result.objective["coverage"] == 2
    assert bounds["weight"] >= result.objective["weight"]


def test_unavailable_slots_cap_the_number_of_meetings():
    parts = [{"id": "p1", "unavailable": ["t1"]}, {"id": "p2"}, {"id": "p3"}]
    inst = make(3, 2, participants=parts, wishes=wishes("p1-p2", "p1-p3", weight=3))
    assert compute_bounds(inst)["weight"] == 3


def test_breaks_lower_bound_from_a_forbidden_slot_inside_the_span():
    # p1 must meet at t1 and t3 and cannot meet at t2: one break whatever the others do.
    parts = [{"id": "p1", "unavailable": ["t2"]}, {"id": "p2"}, {"id": "p3"}]
    meetings = [{"participants": ["p1", "p2"], "slot": "t1"}, {"participants": ["p1", "p3"]}]
    inst = make(3, 3, participants=parts, meetings=meetings, objective=["breaks"])
    assert compute_bounds(inst)["breaks"] == 1
    assert solve(inst, time_limit=5).objective["breaks"] == 1


def test_mini_bounds_match_its_optimum():
    assert compute_bounds(mini()) == {"coverage": 5, "weight": 16, "weight_at_max_coverage": 16, "breaks": 0}


def test_breaks_lower_bound_positive_on_most_positive_girona_originals():
    folder = shared_dir("bench", "anchors", "b2b", "instances")
    lower = {
        name: compute_bounds(read_dzn(folder / f"{name}.original.dzn"))["breaks"] for name in POSITIVE_OPTIMA
    }
    assert all(lower[name] <= POSITIVE_OPTIMA[name] for name in lower)
    assert sum(1 for value in lower.values() if value > 0) >= 5
