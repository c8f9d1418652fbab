"""Robust by construction: the same seed gives the same result, whatever else runs on the machine."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from ortools.sat.python import cp_model

from bench.busy import busy
from solver import race as race_module
from solver.instance import read_dzn
from solver.probe import EVERYONE_DTIME
from solver.race import Lane, Race
from solver.search import Run, Settings
from solver.solve import solve
from solver.validate import violations
from tests.shared import shared_dir
from tests.solver.small import tiny

LIMIT = 120.0  # a cap far above what these files need, so that it never cuts a search short
# What depends on the clock: seconds, and races an outcome decided by ruling the other lane out (the same
# outcome whichever lane reaches it first, but not the same deterministic time; counted apart).
CLOCKED = ("seconds", "raced")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "whole"),
    [
        ("forumt-14crafe", True),  # the probe's release race finds the optimum
        ("ticf-13crafc", True),  # freeing one participant at a time finds it
    ],
)
def test_same_seed_same_result_with_a_busy_process_beside(name: str, whole: bool) -> None:
    inst = read_dzn(shared_dir("bench", "anchors", "b2b", "instances", f"{name}.original.dzn"))
    quiet = solve(inst, time_limit=LIMIT, workers=2, seed=1)
    with busy(1):
        loaded = solve(inst, time_limit=LIMIT, workers=2, seed=1)
    assert violations(inst, quiet) == [] and violations(inst, loaded) == []
    assert (loaded.status, loaded.objective) == (quiet.status, quiet.objective)
    assert loaded.status == "optimal"
    probe = {k: v for k, v in quiet.stats["probe"].items() if k not in CLOCKED}
    assert {k: v for k, v in loaded.stats["probe"].items() if k not in CLOCKED} == probe
    if whole:
        assert loaded.meetings == quiet.meetings
        assert loaded.stats["dtime"] == quiet.stats["dtime"]


def _run() -> Run:
    """Return the state of a solve with a generous cap."""
    now = time.monotonic()
    return Run(now, now + LIMIT, 2, 0, None, None)


def test_race_winner_is_the_first_to_conclude_in_deterministic_time() -> None:
    # The lane that sleeps first finishes last on the clock but needs less deterministic time: it wins.
    m = _model()

    def sleepy(me: Lane) -> object:
        time.sleep(1.0)
        me.search(m, Settings(dtime=5.0))
        return "one search"

    def busy_lane(me: Lane) -> object:
        for _ in range(3):
            me.search(m, Settings(dtime=5.0))
        return "three searches"

    race = Race(_run(), [Lane(busy_lane), Lane(sleepy)])
    winner = race.winner()
    assert winner is not None and winner.outcome == "one search"
    assert 0 < winner.concluded_at < race.lanes[0].concluded_at  # type: ignore[operator]


def _refuter_and_endless(stopped: list[bool]) -> list[Lane]:
    """Return two lanes: one that concludes "refuted" after one search, one that searches on and on."""
    m = _model()

    def refuter(me: Lane) -> object:
        me.search(m, Settings(dtime=5.0))
        return "refuted"

    def endless(me: Lane) -> object:
        try:
            for _ in range(1000):
                me.search(m, Settings(dtime=5.0))
        except BaseException:
            stopped.append(True)
            raise
        return "found"

    return [Lane(endless), Lane(refuter)]


def test_race_outcome_that_rules_a_lane_out_stops_it_and_is_counted_apart() -> None:
    stopped: list[bool] = []
    run = _run()
    winner = Race(run, _refuter_and_endless(stopped), excludes=lambda o, lane: o == "refuted").winner()
    assert winner is not None and winner.outcome == "refuted"
    assert stopped == [True]
    assert run.dtime == 0 and run.raced == winner.concluded_at > 0  # out of what budgets depend on


def test_race_lane_that_can_no_longer_win_stops() -> None:
    stopped: list[bool] = []
    winner = Race(_run(), _refuter_and_endless(stopped)).winner()
    assert winner is not None and winner.outcome == "refuted"
    assert stopped == [True]


@pytest.mark.slow
def test_probe_time_does_not_depend_on_which_lane_runs_slower(monkeypatch: pytest.MonkeyPatch) -> None:
    # On forumt-14crafe both lanes of "everyone break-free" refute it, max_lp with less deterministic time.
    # Delaying one lane's thread (as a busy machine does) changes which lane refutes it first, but neither
    # the probe's outcome nor the deterministic time the later searches are budgeted from.
    inst = read_dzn(shared_dir("bench", "anchors", "b2b", "instances", "forumt-14crafe.original.dzn"))
    real = race_module.search
    probes = []
    for slow in (0, 2):  # the linearization level of the delayed lane: no_lp, then max_lp

        def delayed(m, run, settings, *args, slow=slow, **kwargs):  # type: ignore[no-untyped-def]
            if settings.dtime == EVERYONE_DTIME and dict(settings.params)["linearization_level"] == slow:
                time.sleep(2.0)
            return real(m, run, settings, *args, **kwargs)

        monkeypatch.setattr(race_module, "search", delayed)
        result = solve(inst, time_limit=LIMIT, workers=2, seed=1)
        assert violations(inst, result) == [] and result.objective == {"breaks": 5}
        probes.append({k: v for k, v in result.stats["probe"].items() if k not in CLOCKED})
    assert probes[0] == probes[1]


def test_lane_searching_after_a_conclusion_stops_at_its_deterministic_time() -> None:
    # The late lane's search could only win by proving before the first lane's conclusion: it is cut there
    # (on the clock it starts after that conclusion, as on a busy machine) instead of running its budget.
    m = _golomb(9)  # proving the optimum takes far more than either budget

    def late(me: Lane) -> object:
        time.sleep(0.5)
        me.search(m, Settings(dtime=0.08))
        return "late"

    race = Race(_run(), [Lane(lambda me: me.search(m, Settings(dtime=0.005)) and "quick"), Lane(late)])
    winner = race.winner()
    assert winner is not None and winner.outcome == "quick"
    assert race.run.dtime_all < 0.03  # run to its budget, the late search alone would take 0.08


def _golomb(marks: int) -> SimpleNamespace:
    """Return a shortest Golomb ruler model: small, yet long to prove optimal."""
    cp = cp_model.CpModel()
    x = [cp.new_int_var(0, marks * marks, f"x{i}") for i in range(marks)]
    cp.add(x[0] == 0)
    for a, b in zip(x, x[1:], strict=False):
        cp.add(a < b)
    gaps = []
    for i, a in enumerate(x):
        for b in x[i + 1 :]:
            gap = cp.new_int_var(1, marks * marks, "")
            cp.add(gap == b - a)
            gaps.append(gap)
    cp.add_all_different(gaps)
    cp.minimize(x[-1])
    return SimpleNamespace(cp=cp)


def _model():  # noqa: ANN202
    """Return a small model with an objective, solved in a few deterministic-time units."""
    from solver.model import build_model
    from solver.solve import _goal

    m = build_model(tiny(people=6, slots=4, tables=2))
    _goal(m, "weight")
    return m
