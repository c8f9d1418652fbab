"""The break-free probe, run before the breaks stage.

A second model forces every participant that a window fits (solver/windows.py) to be break-free, and
minimises the breaks of the others. CP-SAT solves it far faster than the full model, because a forced window
fixes a whole busy pattern at once. Two outcomes help the full stage:
- a schedule: completed into a full hint of the main model (the main stage starts from it, and stops at once
  when it meets the lower bound);
- a proof that no such schedule exists: then some participant that could be break-free on its own is not, so
  the total is at least the sum of the per-participant bounds plus one (bounds_breaks.breaks_lower_bound).
Both are sound whatever the earlier stages kept, because the probe model carries the same kept constraints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.bounds_breaks import breaks_lower_bound
from solver.hint import add_greedy_hint
from solver.model import Model, build_model
from solver.windows import fixed_participants, window_starts

Kept = list[tuple[str, int, bool, bool]]  # term, value, proved, maximised
SolveStage = Callable[[Model, float], tuple[cp_model.CpSolverStatus, cp_model.CpSolver]]


@dataclass
class ProbeOutcome:
    """What the probe proved or found: a raised lower bound, a full hint for the main model, or neither."""

    lower_bound: int | None = None
    hint: list[int] | None = None
    value: int | None = None


def keep(m: Model, kept: Kept) -> None:
    """Constrain a model to keep earlier stages' values (equal when proved, a floor/ceiling otherwise)."""
    for term, value, proved, maximised in kept:
        expr = m.terms[term]
        if proved:
            m.cp.add(expr == value)
        elif maximised:
            m.cp.add(expr >= value)
        else:
            m.cp.add(expr <= value)


def probe_windows(m: Model) -> dict[int, list[int]]:
    """Return the window starts of each participant with two or more fixed meetings that a window fits."""
    out = {}
    for p, ks in fixed_participants(m.inst, m.items).items():
        if len(ks) > 1:
            starts = window_starts(m.inst, m.items, ks)
            if starts:
                out[p] = starts
    return out


def probe_breaks(m: Model, kept: Kept, budget: float, solve_stage: SolveStage) -> ProbeOutcome:
    """Run the probe within the budget and return what it gives the main breaks stage."""
    windows = probe_windows(m)
    if not windows or budget < 0.5:
        return ProbeOutcome()
    pm = build_model(m.inst, windows=windows)
    keep(pm, kept)
    add_greedy_hint(pm)
    pm.cp.minimize(pm.terms["breaks"])
    status, solver = solve_stage(pm, budget)
    if status == cp_model.INFEASIBLE:
        return ProbeOutcome(lower_bound=breaks_lower_bound(m.inst, m.items, extra=1))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ProbeOutcome()
    chosen = {key for key, var in pm.x.items() if solver.value(var)}
    return ProbeOutcome(hint=_complete(m, chosen), value=round(solver.objective_value))


def _complete(m: Model, chosen: set[tuple[int, int]]) -> list[int] | None:
    """Return a full solution of the main model holding the probe's meetings (None if none is found)."""
    fixed = m.cp.clone()
    for key, var in m.x.items():
        fixed.add(fixed.get_bool_var_from_proto_index(var.index) == int(key in chosen))
    fixed.clear_objective()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5.0
    solver.parameters.num_workers = 1
    if solver.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(solver.response_proto.solution)
