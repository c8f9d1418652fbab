"""The breaks stage's main search, after the probe (solver/probe.py) has proved a lower bound.

When the hint (the probe's schedule, or the previous stage's) meets the bound, it is the answer. Otherwise,
without a complete hint, a first schedule is searched for with one worker (deterministic), so that the
stage has a schedule to return even when the time limit cuts it short and LNS has one to improve. Then
CP-SAT's portfolio, a core-guided worker and a max_lp worker with first-solution search and LNS, optimises
until the stage's end. Its path is not deterministic, but it proves the optimum of every Girona original,
and a proved optimum is the same answer on any machine. Races of deterministic questions ("at most L
breaks?") instead of the portfolio were measured and not kept (bench/reports/girona-findings.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from solver.model import Model
from solver.search import FOUND, Run, Settings, search

FIRST_DTIME = 10.0  # a first schedule, when there is no complete hint
NO_LP = Settings(params=(("linearization_level", 0),))


@dataclass
class StageEnd:
    """How a stage ended: CP-SAT status, the solution's values, its value and the proved bound."""

    status: Any
    values: list[int] | None = None
    value: int | None = None
    bound: int | None = None


def breaks_stage(m: Model, run: Run, info: dict[str, Any], bound: int, dtime: float) -> StageEnd:
    """Minimise breaks (m's objective, already set) within dtime, from a proved lower bound."""
    start, hinted = run.dtime, _hinted(m)
    if hinted is not None and hinted[m.terms["breaks"].index] <= bound:  # the hint meets the proved bound
        return StageEnd(cp_model.OPTIMAL, hinted, hinted[m.terms["breaks"].index], bound)
    first = _first_schedule(m, run) if hinted is None else None
    end = _optimise(m, run, info, bound, dtime - (run.dtime - start))
    if end.values is None and hinted is not None:  # the time limit cut the portfolio short
        end = StageEnd(cp_model.FEASIBLE, hinted, hinted[m.terms["breaks"].index])
    if end.values is None and first is not None:
        end = first
    if end.values is not None:
        end.bound = bound if end.bound is None else max(bound, end.bound)
    return end


def _hinted(m: Model) -> list[int] | None:
    """Return the values of m's hint when it hints every variable in order (a full solution)."""
    hint = m.cp.proto.solution_hint
    count = len(m.cp.proto.variables)
    if len(hint.vars) != count or list(hint.vars) != list(range(count)):
        return None
    return list(hint.values)


def _first_schedule(m: Model, run: Run) -> StageEnd | None:
    """Find a first schedule (no_lp, one worker) and hint it; None when none is found in FIRST_DTIME."""
    fm = replace(m, cp=m.cp.clone())
    fm.cp.clear_objective()
    status, solver = search(fm, run, NO_LP.with_dtime(FIRST_DTIME))
    if status not in FOUND:
        return None
    values = list(solver.response_proto.solution)
    m.cp.clear_hints()
    m.cp.proto.solution_hint.vars.extend(range(len(values)))
    m.cp.proto.solution_hint.values.extend(values)
    return StageEnd(cp_model.FEASIBLE, values, values[m.terms["breaks"].index])


def _optimise(m: Model, run: Run, info: dict[str, Any], bound: int, dtime: float) -> StageEnd:
    """Optimise from the hint with CP-SAT's portfolio (core and max_lp workers, and one more thread for
    first solutions and LNS) until the stage's end."""
    subsolvers = ("core", "max_lp") if run.workers >= 2 else ()
    settings = Settings(
        dtime, max(run.workers, len(subsolvers) + 1), subsolvers, (("core_minimization_level", 0),)
    )
    status, solver = search(m, run, settings, info)
    if status not in FOUND:
        return StageEnd(status)
    value = round(solver.objective_value)
    proved = max(bound, round(solver.best_objective_bound))
    status = cp_model.OPTIMAL if value == proved else status
    return StageEnd(status, list(solver.response_proto.solution), value, proved)
