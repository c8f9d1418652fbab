"""Solve an instance: lexicographic CP-SAT stages under one time limit (spec section 3)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from solver.bounds import compute_bounds
from solver.breaks import StageEnd, breaks_stage
from solver.firstfit import greedy_schedule
from solver.hint import add_greedy_hint
from solver.instance import Instance
from solver.model import Model, build_model, chosen_classes, number_tables
from solver.objective import compute_objective
from solver.probe import keep, probe_breaks
from solver.reasons import explain_infeasible, precheck
from solver.safety import at_least
from solver.schedule import Reason, ScheduledMeeting, SolveResult
from solver.search import Progress, Run, Settings, search

__all__ = ["Run", "found_on_the_way", "meetings_of", "solve"]

MAXIMISE = {"coverage": True, "weight": True, "breaks": False}
STATUS: dict[Any, str] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
}
# Deterministic time granted per second of the time limit and per worker, shared among the stages before
# the last (the last runs until it is proved or the time limit): a stage's budget is then the same on a busy
# machine as on a quiet one. Measured on the 2-core machine: a unit takes about 2 CPU seconds with the
# model building around it, so a quiet machine finishes these budgets well within the limit.
DTIME_PER_SECOND = 0.25


def _goal(m: Model, term: str) -> None:
    """Set the model's objective to one term (its per-participant form when it has one)."""
    m.cp.clear_objective()
    goal = m.goals.get(term, m.terms[term])
    if MAXIMISE[term]:
        m.cp.maximize(goal)
    else:
        m.cp.minimize(goal)


def _settings(run: Run, dtime: float) -> Settings:
    """Return the settings of a coverage or weight stage.

    A stage with a deterministic-time budget searches with one worker (deterministic); the last stage,
    which runs until it is proved or the time limit, with every worker (CP-SAT's portfolio). Breaks have
    their own stage (solver/breaks.py).
    """
    return Settings(dtime, 1 if math.isfinite(dtime) else run.workers)


def _solve_stage(m: Model, run: Run, term: str, index: int, dtime: float, lower: int = 0) -> StageEnd:
    """Optimise one term within a deterministic-time budget (breaks: solver/breaks.py)."""
    _goal(m, term)
    info = {"stage": term, "stage_index": index, "stages": len(m.inst.objective)}
    if term == "breaks":
        return breaks_stage(m, run, info, lower, dtime)
    status, solver = search(m, run, _settings(run, dtime), info)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return StageEnd(status)
    values = list(solver.response_proto.solution)
    return StageEnd(status, values, round(solver.objective_value), round(solver.best_objective_bound))


def _hint(m: Model, values: list[int]) -> None:
    """Hint every variable with the solution just found."""
    m.cp.clear_hints()
    hint = m.cp.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def _keep(m: Model, run: Run, term: str, value: int, proved: bool) -> None:
    """Constrain later stages to keep this term's value (equal when proved, a floor/ceiling otherwise)."""
    run.kept.append((term, value, proved, MAXIMISE[term]))
    keep(m, run.kept[-1:])


def _probe(m: Model, run: Run, index: int, bounds: dict[str, int]) -> int:
    """Run the break-free probe (solver/probe.py), hand its schedule to the breaks stage as a hint, and
    return the proved lower bound."""
    t0, d0, r0 = time.monotonic(), run.dtime, run.raced
    info = {"stage": "breaks", "stage_index": index, "stages": len(m.inst.objective)}
    outcome = probe_breaks(m, run, info, bounds.get("breaks", 0))
    if outcome.lower_bound is not None:
        m.cp.add(m.terms["breaks"] >= outcome.lower_bound)
        if index == 0:
            bounds["breaks"] = max(bounds.get("breaks", 0), outcome.lower_bound)
    if outcome.hint is not None:
        _hint(m, outcome.hint)
    seconds, dtime = round(time.monotonic() - t0, 3), round(run.dtime - d0, 3)
    run.probe = {
        "lower_bound": outcome.lower_bound,
        "value": outcome.value,
        "seconds": seconds,
        "dtime": dtime,
        "raced": round(run.raced - r0, 3),  # races an outcome decided (counted apart: solver/race.py)
    }
    return max(bounds.get("breaks", 0), outcome.lower_bound or 0)


def _add_bounds(m: Model, bounds: dict[str, int]) -> None:
    """Add the proved bounds as redundant constraints (they cut the search, never a schedule)."""
    for term in m.terms:
        if term in bounds:
            if MAXIMISE[term]:
                m.cp.add(m.terms[term] <= bounds[term])
            else:
                m.cp.add(m.terms[term] >= bounds[term])


def _stages(m: Model, run: Run, bounds: dict[str, int], budget: float) -> tuple[str, list[int] | None]:
    """Run every stage; return the overall status and the best solution's values (or None).

    budget is the deterministic time shared by the stages before the last one.
    """
    best: list[int] | None = None
    terms = m.inst.objective
    for index, term in enumerate(terms):
        last = index == len(terms) - 1
        dtime = math.inf if last else max(0.0, budget - run.dtime) / (len(terms) - 1 - index)
        t0, d0 = time.monotonic(), run.dtime
        lower = _probe(m, run, index, bounds) if term == "breaks" else 0
        end = _solve_stage(m, run, term, index, dtime, lower)
        if best is None and end.status == cp_model.UNKNOWN and run.left() > 0.5 and not run.cancelled:
            # Nothing found yet: a schedule matters more than time reserved for later stages.
            end = _solve_stage(m, run, term, index, math.inf, lower)
        status = end.status
        entry: dict[str, Any] = {"term": term, "status": STATUS.get(status, "unknown")}
        entry.update(seconds=round(time.monotonic() - t0, 3), dtime=round(run.dtime - d0, 3))
        if end.values is not None and end.value is not None and end.bound is not None:
            best = end.values
            entry["value"], entry["bound"] = end.value, end.bound
            _fold(bounds, term, index, end.bound, status == cp_model.OPTIMAL, run)
            _keep(m, run, term, end.value, status == cp_model.OPTIMAL)
            _hint(m, end.values)
        run.stages.append(entry)
        if best is None:
            return ("infeasible" if status == cp_model.INFEASIBLE else "unknown"), None
        if run.cancelled:
            break
    proved = len(run.stages) == len(terms) and all(s["status"] == "optimal" for s in run.stages)
    return ("optimal" if proved else "feasible"), best


def _fold(bounds: dict[str, int], term: str, index: int, bound: int, proved: bool, run: Run) -> None:
    """Tighten the bounds with the first stage's bound, or a later stage proved optimal (conditionally)."""
    if index == 0:
        old = bounds.get(term)
        bounds[term] = bound if old is None else (min(old, bound) if MAXIMISE[term] else max(old, bound))
        if term == "coverage" and old != bounds[term]:
            bounds.pop("weight_at_max_coverage", None)
    elif proved and index == 1 and term == "weight" and run.stages[0]["term"] == "coverage":
        if run.stages[0]["status"] == "optimal":
            old = bounds.get("weight_at_max_coverage")
            bounds["weight_at_max_coverage"] = bound if old is None else min(old, bound)


def meetings_of(m: Model, values: list[int]) -> tuple[ScheduledMeeting, ...]:
    """Turn a CP-SAT solution into numbered scheduled meetings."""
    chosen = [(k, t) for (k, t), var in m.x.items() if values[var.index]]
    out = []
    tables = number_tables(m, chosen, chosen_classes(m, values))
    for k, t, table in sorted(tables, key=lambda e: (e[1], e[2])):
        item = m.items[k]
        pair = (m.inst.participants[item.pair[0]].id, m.inst.participants[item.pair[1]].id)
        out.append(ScheduledMeeting(pair, m.inst.slots[t].id, table, item.mandatory))
    return tuple(out)


def _check_objective(m: Model, values: list[int], objective: dict[str, int]) -> None:
    """Fail loudly when the model's objective disagrees with the independent recomputation."""
    for term, var in m.terms.items():
        if values[var.index] != objective[term]:
            raise AssertionError(f"model {term} = {values[var.index]}, schedule {term} = {objective[term]}")


def solve(
    instance: Instance,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SolveResult:
    """Solve an instance lexicographically; never raise for "no solution", never return None.

    workers is the number of CP-SAT threads; every search is deterministic (solver/search.py), so the
    result depends on the instance and the seed, unless the time limit cuts a search short.
    """
    start = time.monotonic()
    run = Run(start, start + time_limit, max(1, workers), seed, progress, should_stop)
    bounds = compute_bounds(instance)
    reasons: list[Reason] = precheck(instance)
    if reasons:
        return _result(instance, run, "infeasible", (), bounds, reasons)
    greedy = greedy_schedule(instance)  # the safety net: the result is never worse (solver/safety.py)
    # Hook (solver/large.py): decomposition of large instances, and the greedy hint's safety net below.
    from solver.large import safety_net, solve_large

    large = solve_large(instance, run, bounds, greedy)
    if large is not None:
        return at_least(instance, large, greedy)
    m = build_model(instance)
    _add_bounds(m, bounds)
    add_greedy_hint(m)
    status, values = _stages(m, run, bounds, time_limit * DTIME_PER_SECOND * run.workers)
    if values is None and status == "unknown":
        rescued = safety_net(m, run, bounds) or found_on_the_way(run, bounds)
        return at_least(instance, rescued or _result(instance, run, status, (), bounds, []), greedy)
    if values is None:
        return _result(instance, run, status, (), bounds, explain_infeasible(instance, run))
    meetings = meetings_of(m, values)
    _check_objective(m, values, compute_objective(instance, meetings))
    return at_least(instance, _result(instance, run, status, meetings, bounds, []), greedy)


def found_on_the_way(run: Run, bounds: dict[str, int]) -> SolveResult | None:
    """Return the schedule the probe found (its model is the main one with more constraints), validated,
    when the time limit cut every later search short."""
    from solver.large import finish

    if run.found is None:
        return None
    pm, values = run.found
    info = {"cp_stages": run.stages, "method": "the probe's schedule (the time limit cut the later searches)"}
    return finish(pm.inst, meetings_of(pm, values), run, bounds, info)


def _result(
    instance: Instance,
    run: Run,
    status: str,
    meetings: tuple[ScheduledMeeting, ...],
    bounds: dict[str, Any],
    reasons: list[Reason],
) -> SolveResult:
    """Return the solve's result with its objective, bounds and statistics."""
    full = compute_objective(instance, meetings) if meetings or status in ("optimal", "feasible") else {}
    objective = {term: full[term] for term in instance.objective} if full else {}
    if full.get("coverage") != bounds.get("coverage"):
        bounds.pop("weight_at_max_coverage", None)
    stats: dict[str, Any] = {"stages": run.stages, "solve_seconds": round(run.elapsed(), 3)}
    stats["dtime"], stats["dtime_all"] = round(run.dtime, 3), round(run.dtime_all, 3)
    stats["dtime_raced"] = round(run.raced, 3)
    if run.cancelled:
        stats["cancelled"] = True
    if run.probe is not None:
        stats["probe"] = run.probe
    return SolveResult(status, meetings, objective, bounds, tuple(reasons), stats, instance.name)
