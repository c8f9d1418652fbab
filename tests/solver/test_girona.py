"""The 20 Girona B2B originals: a valid schedule within a short limit, never below the published optimum."""

from __future__ import annotations

import os
import time

import pytest

from solver.bounds import compute_bounds
from solver.instance import read_dzn
from solver.model import build_model
from solver.probe import probe_breaks
from solver.search import Run
from solver.solve import found_on_the_way, solve
from solver.validate import violations
from tests.shared import shared_dir

SECONDS = float(os.environ.get("SALON_GIRONA_SECONDS", "20"))  # a busy CI machine: forumt-14crafe needs ~10 s
OPTIMA = {
    "forum-13": 0, "tic-12": 0, "tic-12crafc": 0, "tic-13": 0, "tic-13crafb": 0, "tic-14crafa": 0,
    "tic-14crafc": 0, "tic-14crafd": 0, "ticf-13crafa": 0, "ticf-14crafa": 0, "forum-13crafb": 6,
    "forum-13crafc": 1, "forum-14": 2, "forumt-14": 5, "forumt-14crafc": 5, "forumt-14crafd": 4,
    "forumt-14crafe": 5, "tic-13crafc": 4, "ticf-13crafb": 3, "ticf-13crafc": 1,
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_girona_original_gets_a_valid_schedule(name: str):
    inst = read_dzn(shared_dir("bench", "anchors", "b2b", "instances", f"{name}.original.dzn"))
    result = solve(inst, time_limit=SECONDS, workers=2)
    assert result.status in ("optimal", "feasible")
    assert violations(inst, result) == []
    assert result.objective["breaks"] >= OPTIMA[name]
    assert result.bounds["breaks"] <= OPTIMA[name]
    if result.status == "optimal":
        assert result.objective["breaks"] == OPTIMA[name]


def test_schedule_found_by_the_probe_is_a_valid_last_resort():
    # When the time limit falls just after the probe (a busy machine), every later search is cut short: the
    # probe's schedule, of a model with more constraints than the main one, is then the answer.
    inst = read_dzn(shared_dir("bench", "anchors", "b2b", "instances", "forum-14.original.dzn"))
    now = time.monotonic()
    run = Run(now, now + 60, 2, 0, None, None)
    probe_breaks(build_model(inst), run, {})
    assert run.found is not None
    result = found_on_the_way(run, compute_bounds(inst))
    assert result is not None and result.status in ("optimal", "feasible")
    assert violations(inst, result) == []
    assert len(result.meetings) == len(inst.meetings)


def test_probe_stops_when_its_schedule_meets_the_proved_bound():
    # forum-14's per-participant bound (2) is its optimum: with the bound in its model, the probe's search
    # ends when it finds such a schedule instead of proving its own optimum (deterministic time, one worker).
    from ortools.sat.python import cp_model

    from solver.probe import NO_LP, _probe_model, _released
    from solver.search import search

    inst = read_dzn(shared_dir("bench", "anchors", "b2b", "instances", "forum-14.original.dzn"))
    base = _probe_model(build_model(inst), [])
    spent = {}
    for lower in (0, compute_bounds(inst)["breaks"]):
        now = time.monotonic()
        run = Run(now, now + 60, 1, 0, None, None)
        status, solver = search(_released(base, None, lower=lower), run, NO_LP.with_dtime(10))
        assert (status, solver.objective_value) == (cp_model.OPTIMAL, 2)
        spent[lower] = solver.deterministic_time
    assert spent[2] < spent[0]
