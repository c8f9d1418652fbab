"""Fairs whose wish graph is not two-sided: suppliers wishing suppliers, participants without a side."""

from __future__ import annotations

import dataclasses

import pytest

import solver.large as large
from bench.synthetic import FairShape, generate
from solver.bounds import compute_bounds
from solver.bounds_degree import forced_breaks, room
from solver.firstfit import greedy_schedule
from solver.instance import Instance, Participant, Slot, Wish
from solver.model import make_items
from solver.safety import at_least, rank
from solver.schedule import SolveResult
from solver.solve import solve
from solver.validate import violations

SMALL = FairShape(
    buyers=60, suppliers=40, wishes=420, slots=8, days=1, exhibitors=20, shared_tables=12,
    same_side=(0.05, 0.25), away_meetings="home-or-shared",
)  # fmt: skip


def checked(instance: Instance, result: SolveResult) -> SolveResult:
    """Fail on any violation of the result, and return it."""
    assert result.status in ("optimal", "feasible"), result.status
    assert violations(instance, result) == []
    return result


def same_side_fair(seed: int = 1) -> Instance:
    """Return a 100-participant fair where a quarter of the wishes join two suppliers."""
    return generate(SMALL, seed)


def test_small_fair_really_has_same_side_wishes_and_exhibitors_meeting_away() -> None:
    fair = same_side_fair()
    side = fair.participant_by_id
    assert sum(side[w.source].side == side[w.target].side for w in fair.wishes) >= 100
    tables = {p.id: p.table for p in fair.participants}
    assert any(tables[w.source] and tables[w.target] for w in fair.wishes)


@pytest.mark.parametrize("seed", [1, 2])
def test_solver_is_at_least_the_greedy_on_a_small_same_side_fair(seed: int) -> None:
    fair = same_side_fair(seed)
    greedy = greedy_schedule(fair)
    assert violations(fair, greedy) == []
    result = checked(fair, solve(fair, time_limit=10, workers=2))
    assert rank(fair, result.objective) >= rank(fair, greedy.objective)


def test_decomposition_handles_same_side_wishes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(large, "LARGE_THRESHOLD", 0)
    fair = same_side_fair()
    result = checked(fair, solve(fair, time_limit=10, workers=2))
    assert result.stats["method"].startswith("decomposition")
    assert rank(fair, result.objective) >= rank(fair, greedy_schedule(fair).objective)
    bounds = compute_bounds(fair)
    assert result.objective["coverage"] <= bounds["coverage"]
    assert result.objective["weight"] <= bounds["weight"]
    stage = next(s for s in result.stats["stages"] if s["term"] == "breaks")
    assert 0 <= stage["bound"] <= result.objective["breaks"]
    assert any(m.table.startswith("T") and len({p[0] for p in m.participants}) == 1 for m in result.meetings)


def test_participants_without_a_side_are_scheduled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(large, "LARGE_THRESHOLD", 0)
    fair = same_side_fair()
    people = tuple(dataclasses.replace(p, side="participant") for p in fair.participants)
    fair = dataclasses.replace(fair, participants=people)
    result = checked(fair, solve(fair, time_limit=10, workers=1))
    assert result.stats["method"].startswith("decomposition")
    assert rank(fair, result.objective) >= rank(fair, greedy_schedule(fair).objective)


def test_safety_net_returns_the_greedy_when_the_search_did_worse() -> None:
    fair = same_side_fair()
    greedy = greedy_schedule(fair)
    worse = SolveResult("feasible", greedy.meetings[:5], {}, {"coverage": 100}, (), {"stages": []}, fair.name)
    worse = dataclasses.replace(worse, objective=fair and _objective(fair, worse))
    chosen = at_least(fair, worse, greedy)
    assert chosen.meetings == greedy.meetings and chosen.status == "feasible"
    assert chosen.stats["method"].startswith("first-fit greedy")
    assert violations(fair, chosen) == []
    proved = dataclasses.replace(worse, status="optimal")
    assert at_least(fair, proved, greedy) is proved


def _objective(fair: Instance, result: SolveResult) -> dict[str, int]:
    """Return the objective of a result's meetings in the instance's terms."""
    from solver.objective import instance_objective

    return instance_objective(fair, result.meetings)


def tiny_exhibitors() -> Instance:
    """Return four exhibitors wishing each other; a and b each miss one slot in the middle of the day."""
    slots = tuple(Slot(f"t{i}", session="day") for i in range(4))
    people = (
        Participant("a", "supplier", ("t1",), table="A"),
        Participant("b", "supplier", ("t2",), table="B"),
        Participant("c", "supplier", table="C"),
        Participant("d", "supplier", table="D"),
    )
    wishes = tuple(Wish(x, y, 5) for x in "abcd" for y in "abcd" if x < y)
    return Instance(slots, ("A", "B", "C", "D"), people, wishes, away_meetings="home")


def test_forced_breaks_is_sound_on_a_tiny_fair() -> None:
    fair = tiny_exhibitors()
    result = checked(fair, solve(fair, time_limit=10, workers=1))
    assert result.status == "optimal"
    assert result.objective["weight"] == 30  # all six pairs meet: a and b have three meetings each
    assert room(fair, 0) == 2 and room(fair, 1) == 2  # a: t2, t3; b: t0, t1
    idx = {p.id: i for i, p in enumerate(fair.participants)}
    counts = [0] * 4
    for m in result.meetings:
        for p in m.participants:
            counts[idx[p]] += 1
    given = {"coverage": result.objective["coverage"], "weight": result.objective["weight"]}
    found = forced_breaks(fair, make_items(fair), given, counts)
    assert found["forced"] == 2  # both must hold three meetings around their missing slot
    assert found["breaks"] == 2 <= result.objective["breaks"]  # the optimum (4): c and d have one too
