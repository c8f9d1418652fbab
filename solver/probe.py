"""The break-free probe, run before the breaks stage.

A second model forces every participant that a window fits (solver/windows.py) to be break-free, and
minimises the breaks of the others. CP-SAT solves it far faster than the full model, because a forced window
fixes a whole busy pattern at once. Its outcomes help the full stage:
- a schedule: completed into a full hint of the main model (the main stage starts from it, and stops at once
  when it meets the lower bound);
- a proof that no such schedule exists: then some participant that could be break-free on its own is not, so
  the total is at least the sum of the per-participant bounds plus one (bounds_breaks.breaks_lower_bound);
  then a participant is freed (_release), which finds a schedule or raises the bound by two.
Both are sound whatever the earlier stages kept, because the probe model carries the same kept constraints.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from solver.bounds_breaks import breaks_lower_bound
from solver.hint import add_greedy_hint
from solver.model import Model, build_model

Kept = list[tuple[str, int, bool, bool]]  # term, value, proved, maximised
SolveStage = Callable[
    [Model, float, tuple[str, ...], threading.Event | None], tuple[cp_model.CpSolverStatus, cp_model.CpSolver]
]
# max_lp's tight linear relaxation refutes "everyone that can be break-free is" at once (forumt-14crafe:
# 0.2 s, where the default worker searches the whole budget), and no_lp's plain search finds the schedule
# when there is one (ticf-14crafa: under a second; the default and max_lp workers find none in 10 s). Both
# run side by side, with a thread for first solutions and LNS.
BOTH, FIND = ("max_lp", "no_lp"), ("no_lp",)
FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)
RELEASE_SECONDS = 2.0  # per participant freed after "everyone break-free" is refuted


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


def probe_breaks(m: Model, kept: Kept, budget: float, solve_stage: SolveStage) -> ProbeOutcome:
    """Run the probe within the budget and return what it gives the main breaks stage."""
    windows = m.windows
    if not windows or budget < 0.5:
        return ProbeOutcome()
    deadline = time.monotonic() + budget
    base = _probe_model(m, kept, windows)
    pm = _released(base, None)
    status, solver = solve_stage(pm, budget, BOTH, None)
    if status in FOUND:
        return _found(m, pm, solver, None)
    if status != cp_model.INFEASIBLE:
        return ProbeOutcome()
    return _release(m, base, deadline, solve_stage)


def _release(m: Model, base: Model, deadline: float, solve_stage: SolveStage) -> ProbeOutcome:
    """Everyone break-free is refuted: look for a schedule where one participant may have breaks.

    Two searches race, one thread each, and the first conclusive one stops the other: one model where any
    single participant may be freed (forumt-14crafe: the optimum, 5, in under 2 s; forum-13crafb: refuted in
    0.2 s), and participants freed one at a time, fewest windows first (forum-13crafc and ticf-13crafc reach
    their optimum of 1 this way in under a second, where the single model finds nothing in 10 s). A schedule
    found has one break-free-capable participant with breaks; when every release is refuted, at least two
    have: the bound rises by two.
    """
    stop = threading.Event()
    answers: list[ProbeOutcome] = []
    bound = breaks_lower_bound(m.inst, m.items, extra=1)
    raised = ProbeOutcome(lower_bound=breaks_lower_bound(m.inst, m.items, extra=2))

    def conclude(outcome: ProbeOutcome) -> None:
        answers.append(outcome)
        stop.set()

    def any_one() -> None:
        pm = _released(base, None, free=1)
        status, solver = solve_stage(pm, deadline - time.monotonic(), FIND, stop)
        if status in FOUND:
            conclude(_found(m, pm, solver, bound))
        elif status == cp_model.INFEASIBLE:
            conclude(raised)

    def one_at_a_time() -> None:
        refuted = 0
        for q in sorted(m.windows, key=lambda p: (len(m.windows[p]), p)):
            left = deadline - time.monotonic()
            if left < 0.2 or stop.is_set():
                return
            pm = _released(base, q)
            status, solver = solve_stage(pm, min(RELEASE_SECONDS, left), FIND, stop)
            if status in FOUND:
                return conclude(_found(m, pm, solver, bound))
            refuted += status == cp_model.INFEASIBLE
        if refuted == len(m.windows):
            conclude(raised)

    racer = threading.Thread(target=any_one, daemon=True)
    racer.start()
    one_at_a_time()
    racer.join()
    return answers[0] if answers else ProbeOutcome(lower_bound=bound)


def _released(base: Model, q: int | None, free: int = 0) -> Model:
    """Return a copy of the probe model with the forcing literals set, except q's (q may have breaks).

    With free > 0, the literals are left to the search instead, at most free of them false.
    """
    cp = base.cp.clone()
    lits = {p: cp.get_bool_var_from_proto_index(lit.index) for p, lit in base.forcing.items()}
    if free:
        cp.add(sum(lits.values()) >= len(lits) - free)
    else:
        for p, lit in lits.items():
            cp.add(lit == int(p != q))
    return replace(base, cp=cp)


def _probe_model(m: Model, kept: Kept, windows: dict[int, list[int]]) -> Model:
    """Return the model with forcing literals for these participants, the kept stages and a greedy hint."""
    pm = build_model(m.inst, forced=set(windows))
    keep(pm, kept)
    add_greedy_hint(pm)
    return pm


def _found(m: Model, pm: Model, solver: cp_model.CpSolver, bound: int | None) -> ProbeOutcome:
    """Return the probe's schedule as a full hint of the main model, with the bound proved so far."""
    chosen = {key for key, var in pm.x.items() if solver.value(var)}
    return ProbeOutcome(lower_bound=bound, hint=_complete(m, chosen), value=round(solver.objective_value))


def _complete(m: Model, chosen: set[tuple[int, int]]) -> list[int] | None:
    """Return a full solution of the main model holding the probe's meetings (None if none is found)."""
    fixed = m.cp.clone()
    for key, var in m.x.items():
        fixed.add(fixed.get_bool_var_from_proto_index(var.index) == int(key in chosen))
    fixed.clear_objective()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5.0
    solver.parameters.num_workers = 1
    if solver.solve(fixed) not in FOUND:
        return None
    return list(solver.response_proto.solution)
