"""The decomposition of large instances (solver.large) and the greedy safety net of solve()."""

from __future__ import annotations

import dataclasses

import pytest

import solver.large as large
from bench.synthetic import make_fair
from solver.bounds import compute_bounds
from solver.instance import Instance, LockedMeeting, MandatoryMeeting, pair_key
from solver.schedule import SolveResult
from solver.solve import solve
from solver.validate import violations
from tests.solver.small import mini


def checked(instance: Instance, result: SolveResult) -> SolveResult:
    """Fail on any violation of the result, and return it."""
    assert result.status in ("optimal", "feasible"), result.status
    assert violations(instance, result) == []
    return result


def tight_fair() -> Instance:
    """Return the 200-participant fair without availability limits: its flow bounds are reachable."""
    inst = make_fair(200, 1)
    people = tuple(dataclasses.replace(p, unavailable=()) for p in inst.participants)
    return dataclasses.replace(inst, participants=people)


@pytest.fixture
def decompose(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every instance with wishes through the decomposition."""
    monkeypatch.setattr(large, "LARGE_THRESHOLD", 0)


def test_threshold_splits_small_and_large_instances() -> None:
    small = mini()
    assert not large.applies(small, large.make_items(small))
    inst = tight_fair()
    assert large.applies(inst, large.make_items(inst))
    breaks_first = dataclasses.replace(inst, objective=("breaks", "coverage"))
    assert not large.applies(breaks_first, large.make_items(breaks_first))


@pytest.mark.usefixtures("decompose")
def test_decomposition_reaches_the_flow_bounds_when_they_are_tight() -> None:
    inst = tight_fair()
    result = checked(inst, solve(inst, time_limit=3.0, workers=1))
    bounds = compute_bounds(inst)
    assert result.stats["method"].startswith("decomposition")
    assert result.objective["coverage"] == bounds["coverage"]
    assert result.objective["weight"] == bounds["weight_at_max_coverage"]
    assert [s["status"] for s in result.stats["stages"]][:2] == ["optimal", "optimal"]


@pytest.mark.usefixtures("decompose")
def test_decomposition_is_valid_with_availability_limits() -> None:
    inst = make_fair(200, 2)
    result = checked(inst, solve(inst, time_limit=2.0, workers=1))
    assert result.stats["method"].startswith("decomposition")
    assert result.objective["coverage"] <= compute_bounds(inst)["coverage"]


@pytest.mark.usefixtures("decompose")
def test_decomposition_keeps_locked_and_mandatory_meetings() -> None:
    base = tight_fair()
    buyers = [p.id for p in base.participants if p.side == "buyer"]
    suppliers = [p for p in base.participants if p.side == "supplier"]
    s0, s1 = suppliers[0], suppliers[1]
    locked = (LockedMeeting((buyers[0], s0.id), base.slots[3].id, str(s0.table)),)
    mandatory = (MandatoryMeeting((buyers[1], s1.id), session="pm"), MandatoryMeeting((buyers[2], s1.id)))
    inst = dataclasses.replace(base, locked=locked, meetings=mandatory)
    result = checked(inst, solve(inst, time_limit=2.0, workers=1))
    assert result.stats["method"].startswith("decomposition")
    held = {(pair_key(*m.participants), m.slot, m.table) for m in result.meetings}
    assert (pair_key(buyers[0], s0.id), base.slots[3].id, s0.table) in held
    realised = {m.mandatory for m in result.meetings if m.mandatory is not None}
    assert realised == {0, 1}


def test_safety_net_returns_the_greedy_hint_when_cp_sat_has_no_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(large, "LARGE_THRESHOLD", 10**9)
    inst = make_fair(200, 1)
    result = checked(inst, solve(inst, time_limit=0.0, workers=1))
    assert result.status == "feasible"
    assert "greedy" in result.stats["method"]
    assert all(s["status"] == "feasible" for s in result.stats["stages"])


@pytest.mark.usefixtures("decompose")
def test_decomposition_reports_progress_and_stops_when_asked() -> None:
    inst = make_fair(200, 1)
    events: list[dict[str, object]] = []
    result = checked(
        inst, solve(inst, time_limit=30.0, workers=1, progress=events.append, should_stop=lambda: True)
    )
    assert result.stats.get("cancelled") is True
    assert events and {"stage", "stage_index", "stages", "value", "bound", "elapsed"} <= set(events[0])


@pytest.mark.usefixtures("decompose")
def test_decomposition_respects_pool_tables_and_precedence() -> None:
    base = make_fair(200, 3)
    people = tuple(dataclasses.replace(p, table=None) for p in base.participants)
    buyers = [p.id for p in people if p.side == "buyer"]
    suppliers = [p.id for p in people if p.side == "supplier"]
    mandatory = (
        MandatoryMeeting((buyers[0], suppliers[0])),
        MandatoryMeeting((buyers[0], suppliers[1]), after=(0,)),
        MandatoryMeeting((buyers[5], suppliers[2]), slot=base.slots[2].id),
    )
    tables = tuple(f"P{i}" for i in range(14))  # fewer tables than suppliers: the pool binds
    inst = dataclasses.replace(base, participants=people, tables=tables, meetings=mandatory)
    result = checked(inst, solve(inst, time_limit=2.0, workers=1))
    assert result.stats["method"].startswith("decomposition")
    assert {m.mandatory for m in result.meetings if m.mandatory is not None} == {0, 1, 2}
