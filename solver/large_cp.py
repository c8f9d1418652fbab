"""CP-SAT models over chosen meetings only (x[meeting, slot], no selection of pairs) and their solving."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

from solver.model import Item, Model, add_objective_terms, add_x, pair_values, slot_runs
from solver.rules_breaks import add_break_spread, add_breaks
from solver.rules_core import (
    add_home_table,
    add_locked_moved,
    add_mandatory,
    add_person_double_booked,
    add_precedence,
    add_table_double_booked,
)

if TYPE_CHECKING:
    from solver.solve import Run

HINT_DTIME = 2.0  # completing a placement into a full hint


def skeleton(m0: Model, items: list[Item]) -> Model:
    """Return a model over the given items sharing the instance, runs and pool (no variables yet)."""
    m = Model(m0.inst, cp_model.CpModel(), items, m0.runs, m0.pool)
    m.pair_values = m0.pair_values
    return m


def base_model(frame: Model, with_breaks: bool, terms: bool = True) -> Model:
    """Return a model over frame's items: x, the hard rules the selection leaves open, terms, breaks."""
    m = skeleton(frame, frame.items)
    add_x(m)
    add_person_double_booked(m)
    add_table_double_booked(m)
    add_home_table(m)
    add_mandatory(m)
    add_precedence(m)
    add_locked_moved(m)
    if not terms:
        return m
    add_objective_terms(m)
    if with_breaks:
        add_breaks(m)
        if m.inst.max_break_spread is not None:
            add_break_spread(m)
    for term, expr in list(m.terms.items()):
        var = m.cp.new_int_var(-(10**9), 10**9, term)
        m.cp.add(var == expr)
        m.terms[term] = var
    return m


def instance_frame(inst: Any, items: list[Item], pool: list[str]) -> Model:
    """Return a variable-free model frame of an instance over the given items."""
    m = Model(inst, cp_model.CpModel(), items, slot_runs(inst), pool)
    m.pair_values = pair_values(inst)
    return m


def as_required(items: Iterable[Item]) -> list[Item]:
    """Return the items marked as required (the placed schedule is kept as a whole)."""
    return [replace(it, required=True) for it in items]


def hint(m: Model, chosen: dict[int, int], seconds: float = 2.0) -> None:
    """Hint every variable: x from an item -> slot placement, the rest by solving with x fixed to it.

    The completing search has a deterministic-time budget (HINT_DTIME) and `seconds` as its cap.
    """
    m.cp.clear_hints()
    fixed = m.cp.clone()
    for (k, t), var in m.x.items():
        fixed.add(fixed.get_bool_var_from_proto_index(var.index) == int(chosen.get(k) == t))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.01)
    solver.parameters.max_deterministic_time = HINT_DTIME
    solver.parameters.num_workers = 1
    if solver.solve(fixed) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = solver.response_proto.solution
        m.cp.proto.solution_hint.vars.extend(range(len(values)))
        m.cp.proto.solution_hint.values.extend(values)
        return
    for (k, t), var in m.x.items():
        m.cp.add_hint(var, chosen.get(k) == t)


def stopped(run: Run) -> bool:
    """Tell whether the caller cancelled (asking should_stop between phases)."""
    if not run.cancelled and run.should_stop is not None and run.should_stop():
        run.cancelled = True
    return run.cancelled


class _Watch(cp_model.CpSolverSolutionCallback):
    """Report each improving solution as progress and stop when the caller cancels."""

    def __init__(self, run: Run, info: dict[str, Any], term: cp_model.IntVar, bound: int) -> None:
        super().__init__()
        self.run, self.info, self.term, self.bound = run, info, term, bound

    def on_solution_callback(self) -> None:
        """Call progress with the stage, value, bound and elapsed seconds."""
        if self.run.progress is not None:
            found = {"value": self.value(self.term), "bound": self.bound, "elapsed": self.run.elapsed()}
            self.run.progress({**self.info, **found})
        if self.run.should_stop is not None and self.run.should_stop():
            self.run.cancelled = True
            self.stop_search()


def _poll(run: Run, solver: cp_model.CpSolver, done: threading.Event) -> None:
    """Stop the search as soon as the caller's should_stop() says so."""
    while not done.wait(0.1):
        if run.should_stop is not None and run.should_stop():
            run.cancelled = True
            solver.stop_search()
            return


def run_cp(
    m: Model, run: Run, budget: float, watch: tuple[dict[str, Any], str, int] | None = None
) -> dict[int, int] | None:
    """Solve m's objective within the budget; return item -> slot of the best solution, or None."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(budget, 0.01)
    solver.parameters.num_workers = run.workers
    solver.parameters.random_seed = run.seed
    # Probing and symmetry detection cost seconds of presolve on these models and gain nothing measured.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    done = threading.Event()
    poller = threading.Thread(target=_poll, args=(run, solver, done), daemon=True)
    if run.should_stop is not None:
        poller.start()
    callback = None if watch is None else _Watch(run, watch[0], m.terms[watch[1]], watch[2])
    try:
        status = solver.solve(m.cp, callback)
    finally:
        done.set()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {k: t for (k, t), var in m.x.items() if solver.boolean_value(var)}
