"""Solve an instance: lexicographic CP-SAT stages under one time limit (spec section 3)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from solver.bounds import compute_bounds
from solver.hint import add_greedy_hint
from solver.instance import Instance
from solver.model import Model, build_model, chosen_classes, number_tables
from solver.objective import compute_objective
from solver.probe import Kept, keep, probe_breaks
from solver.reasons import explain_infeasible, precheck
from solver.schedule import Reason, ScheduledMeeting, SolveResult

MAXIMISE = {"coverage": True, "weight": True, "breaks": False}
STATUS: dict[Any, str] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
}
Progress = Callable[[dict[str, Any]], None]
PROBE_SHARE = 0.2  # of the breaks stage's time, at most, for the break-free probe


@dataclass
class Run:
    """Settings and shared state of one solve call."""

    start: float
    deadline: float
    workers: int
    seed: int
    progress: Progress | None
    should_stop: Callable[[], bool] | None
    cancelled: bool = False
    stages: list[dict[str, Any]] = field(default_factory=list)
    kept: Kept = field(default_factory=list)
    probe: dict[str, Any] | None = None

    def left(self) -> float:
        """Return the seconds left before the deadline."""
        return max(0.0, self.deadline - time.monotonic())

    def elapsed(self) -> float:
        """Return the seconds since the solve started."""
        return time.monotonic() - self.start


class _Watch(cp_model.CpSolverSolutionCallback):
    """Report each improving solution and stop when the caller cancels."""

    def __init__(self, run: Run, term: str, index: int, count: int) -> None:
        super().__init__()
        self.run, self.info = run, {"stage": term, "stage_index": index, "stages": count}

    def on_solution_callback(self) -> None:
        """Call progress with the stage, value, bound and elapsed seconds."""
        if self.run.progress is not None:
            value, bound = round(self.objective_value), round(self.best_objective_bound)
            self.run.progress({**self.info, "value": value, "bound": bound, "elapsed": self.run.elapsed()})
        if self.run.should_stop is not None and self.run.should_stop():
            self.run.cancelled = True
            self.stop_search()


def _poll_stop(
    run: Run, solver: cp_model.CpSolver, done: threading.Event, stop: threading.Event | None
) -> None:
    """Stop the search as soon as the caller's should_stop() says so, or the stop event is set.

    It asks again every tenth of a second: a request made before the search has started is not lost.
    """
    while not done.wait(0.1):
        if not run.cancelled and run.should_stop is not None and run.should_stop():
            run.cancelled = True
        if run.cancelled or (stop is not None and stop.is_set()):
            solver.stop_search()


def _solve_stage(
    m: Model,
    run: Run,
    term: str,
    index: int,
    budget: float,
    subsolvers: tuple[str, ...] = (),
    stop: threading.Event | None = None,
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    """Optimise one term within the budget and return the CP-SAT status and solver.

    Setting stop (from another thread) ends the search early, as the caller's should_stop() does.
    """
    m.cp.clear_objective()
    goal = m.goals.get(term, m.terms[term])
    if MAXIMISE[term]:
        m.cp.maximize(goal)
    else:
        m.cp.minimize(goal)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(budget, 0.01)
    solver.parameters.num_workers = run.workers
    solver.parameters.random_seed = run.seed
    solver.parameters.subsolvers.extend(subsolvers)
    if len(subsolvers) > 1:  # one thread each, and one more for first-solution search and LNS
        solver.parameters.num_workers = max(run.workers, len(subsolvers) + 1)
    if "core" in subsolvers:
        solver.parameters.core_minimization_level = 0  # see _subsolvers
    done = threading.Event()
    poller = threading.Thread(target=_poll_stop, args=(run, solver, done, stop), daemon=True)
    if run.should_stop is not None or stop is not None:
        poller.start()
    try:
        status = solver.solve(m.cp, _Watch(run, term, index, len(m.inst.objective)))
    finally:
        done.set()
    return status, solver


def _subsolvers(term: str, run: Run) -> tuple[str, ...]:
    """Return the full-problem workers of a stage; one more thread runs first-solution search and LNS.

    Breaks, given two workers or more: CP-SAT's core-guided worker and its max_lp worker, on the
    per-participant levels of rules_breaks (m.goals), so three threads. The core worker's cores are sets
    of participants that cannot all be break-free (forum-13crafb, ticf-13crafb: the optimum proved in
    seconds, where the linear relaxation stays at 0); max_lp's relaxation counts, slot by slot, who can be
    idle without a break (tic-13crafc: 4). Neither finds schedules early, hence the LNS thread. The core
    worker does not minimise its cores (core_minimization_level 0): over seeds 0-2, ticf-13crafb took 6-8 s
    instead of 8-15 s, and forum-13crafb 5-7 s instead of 10-24 s.
    """
    return ("core", "max_lp") if term == "breaks" and run.workers >= 2 else ()


def _hint(m: Model, solver: cp_model.CpSolver) -> None:
    """Hint every variable with the solution just found."""
    m.cp.clear_hints()
    values = solver.response_proto.solution
    hint = m.cp.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def _keep(m: Model, run: Run, term: str, value: int, proved: bool) -> None:
    """Constrain later stages to keep this term's value (equal when proved, a floor/ceiling otherwise)."""
    run.kept.append((term, value, proved, MAXIMISE[term]))
    keep(m, run.kept[-1:])


def _probe(m: Model, run: Run, index: int, budget: float, bounds: dict[str, int]) -> None:
    """Run the break-free probe (solver/probe.py) and hand its bound and schedule to the breaks stage."""
    t0 = time.monotonic()

    def stage(
        pm: Model, seconds: float, subsolvers: tuple[str, ...], stop: threading.Event | None = None
    ) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
        return _solve_stage(pm, run, "breaks", index, seconds, subsolvers, stop)

    outcome = probe_breaks(m, run.kept, budget, stage)
    if outcome.lower_bound is not None:
        m.cp.add(m.terms["breaks"] >= outcome.lower_bound)
        if index == 0:
            bounds["breaks"] = max(bounds.get("breaks", 0), outcome.lower_bound)
    if outcome.hint is not None:
        m.cp.clear_hints()
        m.cp.proto.solution_hint.vars.extend(range(len(outcome.hint)))
        m.cp.proto.solution_hint.values.extend(outcome.hint)
    seconds = round(time.monotonic() - t0, 3)
    run.probe = {"lower_bound": outcome.lower_bound, "value": outcome.value, "seconds": seconds}


def _add_bounds(m: Model, bounds: dict[str, int]) -> None:
    """Add the proved bounds as redundant constraints (they cut the search, never a schedule)."""
    for term in m.terms:
        if term in bounds:
            if MAXIMISE[term]:
                m.cp.add(m.terms[term] <= bounds[term])
            else:
                m.cp.add(m.terms[term] >= bounds[term])


def _stages(m: Model, run: Run, bounds: dict[str, int]) -> tuple[str, list[int] | None]:
    """Run every stage; return the overall status and the best solution's values (or None)."""
    best: list[int] | None = None
    terms = m.inst.objective
    for index, term in enumerate(terms):
        budget = run.left() / (len(terms) - index)
        t0 = time.monotonic()
        if term == "breaks":
            _probe(m, run, index, min(budget * PROBE_SHARE, run.left()), bounds)
        left = budget - (time.monotonic() - t0)
        status, solver = _solve_stage(m, run, term, index, left, _subsolvers(term, run))
        if best is None and status == cp_model.UNKNOWN and run.left() > 0.5 and not run.cancelled:
            # Nothing found yet: a schedule matters more than time reserved for later stages.
            status, solver = _solve_stage(m, run, term, index, run.left() * 0.8)
        name = STATUS.get(status, "unknown")
        entry: dict[str, Any] = {"term": term, "status": name, "seconds": round(time.monotonic() - t0, 3)}
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = list(solver.response_proto.solution)
            entry["value"], entry["bound"] = round(solver.objective_value), round(solver.best_objective_bound)
            _fold(bounds, term, index, entry["bound"], status == cp_model.OPTIMAL, run)
            _keep(m, run, term, entry["value"], status == cp_model.OPTIMAL)
            _hint(m, solver)
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

    workers is the number of CP-SAT threads, except that with two the breaks stage runs three
    (see _subsolvers).
    """
    start = time.monotonic()
    run = Run(start, start + time_limit, max(1, workers), seed, progress, should_stop)
    bounds = compute_bounds(instance)
    reasons: list[Reason] = precheck(instance)
    meetings: tuple[ScheduledMeeting, ...] = ()
    objective: dict[str, int] = {}
    full: dict[str, int] = {}
    status = "infeasible"
    if not reasons:
        # Hook (solver/large.py): decomposition of large instances, and the greedy safety net below.
        from solver.large import safety_net, solve_large

        large = solve_large(instance, run, bounds)
        if large is not None:
            return large
        m = build_model(instance)
        _add_bounds(m, bounds)
        add_greedy_hint(m)
        status, values = _stages(m, run, bounds)
        if values is None and status == "unknown":
            rescued = safety_net(m, run, bounds)
            if rescued is not None:
                return rescued
        if values is not None:
            meetings = meetings_of(m, values)
            full = compute_objective(instance, meetings)
            _check_objective(m, values, full)
            objective = {term: full[term] for term in instance.objective}
        elif status == "infeasible":
            reasons = explain_infeasible(instance, run.left(), run.workers)
    if full.get("coverage") != bounds.get("coverage"):
        bounds.pop("weight_at_max_coverage", None)
    stats: dict[str, Any] = {"stages": run.stages, "solve_seconds": round(run.elapsed(), 3)}
    if run.cancelled:
        stats["cancelled"] = True
    if run.probe is not None:
        stats["probe"] = run.probe
    return SolveResult(status, meetings, objective, bounds, tuple(reasons), stats, instance.name)
