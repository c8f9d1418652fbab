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

Deterministic by construction: every search has one worker and a deterministic-time budget, and when two
run side by side, which answer counts never depends on which thread finishes first (see _everyone and
_release): the probe's outcome depends on the seed, not on the machine's load.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from solver.bounds_breaks import breaks_lower_bound
from solver.hint import add_greedy_hint
from solver.model import Model, build_model
from solver.search import FOUND, Kept, Run, Settings, in_thread, search

# Deterministic-time budgets (CP-SAT's unit: about half a second of one core on the 2-core machine).
EVERYONE_DTIME = 10.0  # each of the two searches of "everyone that can be break-free is"
ANY_ONE_DTIME = 8.0  # the single model "any one participant may be freed"
RELEASE_DTIME = 1.0  # each participant freed on its own
RELEASES_DTIME = 12.0  # all participants freed one at a time, together
COMPLETE_DTIME = 5.0  # completing a probe schedule into a hint of the main model
# max_lp's tight linear relaxation refutes "everyone that can be break-free is" at once (forumt-14crafe),
# and no_lp's plain search finds the schedule when there is one (forum-14, ticf-14crafa).
NO_LP = Settings(params=(("linearization_level", 0),))
MAX_LP = Settings(params=(("linearization_level", 2),))


@dataclass
class ProbeOutcome:
    """What the probe proved or found: a raised lower bound, a full hint for the main model, or neither."""

    lower_bound: int | None = None
    hint: list[int] | None = None
    value: int | None = None


@dataclass
class _End:
    """How one side of the release step ended: its status and deterministic time; `model` found it."""

    status: Any
    dtime: float
    model: Model | None = None
    solver: cp_model.CpSolver | None = None

    def found(self) -> bool:
        """Tell whether this side found a schedule."""
        return self.status in FOUND


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


def probe_breaks(m: Model, run: Run, info: dict[str, Any]) -> ProbeOutcome:
    """Run the probe and return what it gives the main breaks stage."""
    if not m.windows:
        return ProbeOutcome()
    base = _probe_model(m, run.kept)
    outcome = _everyone(m, _released(base, None), run, info)
    if outcome is not None or run.cancelled:
        return outcome or ProbeOutcome()
    return _release(m, base, run, info)


def _everyone(m: Model, pm: Model, run: Run, info: dict[str, Any]) -> ProbeOutcome | None:
    """Force everyone that can be break-free; return None when that is refuted.

    no_lp searches for the schedule and max_lp for the refutation, side by side. The two cannot both
    succeed, so the first success decides and stops the other; max_lp's schedules count only when no_lp
    ended without one.
    """
    other = replace(pm, cp=pm.cp.clone())
    stop_find, stop_refute = threading.Event(), threading.Event()

    def refute() -> tuple[Any, cp_model.CpSolver]:
        status, solver = search(other, run, MAX_LP.with_dtime(EVERYONE_DTIME), info, stop_refute)
        if status == cp_model.INFEASIBLE:
            stop_find.set()
        return status, solver

    refuted = in_thread(refute)
    status, solver = search(pm, run, NO_LP.with_dtime(EVERYONE_DTIME), info, stop_find, stop_refute.set)
    if status in FOUND or status == cp_model.INFEASIBLE:
        stop_refute.set()
        refuted()
        return None if status == cp_model.INFEASIBLE else _found(m, pm, solver, None, run)
    other_status, other_solver = refuted()
    if other_status == cp_model.INFEASIBLE:
        return None
    return _found(m, other, other_solver, None, run) if other_status in FOUND else ProbeOutcome()


def _release(m: Model, base: Model, run: Run, info: dict[str, Any]) -> ProbeOutcome:
    """Everyone break-free is refuted: look for a schedule where one participant may have breaks.

    Two searches run side by side: A, one model where any single participant may be freed (forumt-14crafe:
    the optimum, 5; forum-13crafb: refuted at once), and B, participants freed one at a time, fewest windows
    first (forum-13crafc and ticf-13crafc, where A finds nothing). A schedule found has one
    break-free-capable participant with breaks; when A refutes, or B refutes every release, at least two
    have: the bound rises by two. When both find a schedule, the one found in less deterministic time
    counts (A on a tie), so the answer does not depend on which thread the machine runs faster.
    """
    bound = breaks_lower_bound(m.inst, m.items, extra=1)
    raised = ProbeOutcome(lower_bound=breaks_lower_bound(m.inst, m.items, extra=2))
    any_one = _released(base, None, free=1)
    stop_a, stop_b = threading.Event(), threading.Event()
    ends: list[_End] = []

    def side_a() -> None:
        status, solver = search(any_one, run, NO_LP.with_dtime(ANY_ONE_DTIME), info, stop_a)
        ends.append(_End(status, solver.deterministic_time, any_one, solver))
        if status == cp_model.INFEASIBLE:
            stop_b.set()

    finished_a = in_thread(side_a)
    b = _one_at_a_time(m, base, run, info, ends, stop_b)
    if b is not None and b.status == cp_model.INFEASIBLE:
        stop_a.set()
        finished_a()
        return raised
    a = _end_of_a(b, ends, stop_a, finished_a, any_one, run, info)
    if a.status == cp_model.INFEASIBLE:
        return raised
    winner = a if a.found() and (b is None or a.dtime <= b.dtime) else b
    if winner is None or winner.model is None or winner.solver is None:
        return ProbeOutcome(lower_bound=bound)
    return _found(m, winner.model, winner.solver, bound, run)


def _one_at_a_time(
    m: Model, base: Model, run: Run, info: dict[str, Any], ends: list[_End], stop: threading.Event
) -> _End | None:
    """Free participants one at a time; return a schedule found, every release refuted, or None.

    It gives up as soon as A has ended with a schedule in no more deterministic time than its own so far.
    """
    spent, refuted = 0.0, 0
    order = sorted(m.windows, key=lambda p: (len(m.windows[p]), p))
    for q in order:
        a = ends[0] if ends else None
        if a is not None and (a.status == cp_model.INFEASIBLE or (a.found() and a.dtime <= spent)):
            return None
        if spent >= RELEASES_DTIME or stop.is_set() or run.cancelled:
            return None
        pm = _released(base, q)
        status, solver = search(pm, run, NO_LP.with_dtime(RELEASE_DTIME), info, stop)
        spent += solver.deterministic_time
        if status in FOUND:
            return _End(status, spent, pm, solver)
        refuted += status == cp_model.INFEASIBLE
    return _End(cp_model.INFEASIBLE, spent) if refuted == len(order) else None


def _end_of_a(
    b: _End | None,
    ends: list[_End],
    stop: threading.Event,
    finished: Any,
    any_one: Model,
    run: Run,
    info: dict[str, Any],
) -> _End:
    """Return how A ends, as far as it matters against B's schedule found at b.dtime (if any).

    Without a schedule from B, A runs to its own end. With one, A is stopped: if it had not yet proved its
    optimum but had searched less than B, it is run again up to B's deterministic time (a search with one
    worker is the same up to any deterministic time, whatever its budget).
    """
    if b is None or b.dtime >= ANY_ONE_DTIME:
        finished()
        return ends[0]
    stop.set()
    finished()
    a = ends[0]
    if a.status in (cp_model.OPTIMAL, cp_model.INFEASIBLE) or a.dtime >= b.dtime:
        return a if a.status in (cp_model.OPTIMAL, cp_model.INFEASIBLE) else _End(cp_model.UNKNOWN, a.dtime)
    again = replace(any_one, cp=any_one.cp.clone())
    status, solver = search(again, run, NO_LP.with_dtime(b.dtime), info)
    proved = status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    return (
        _End(status, solver.deterministic_time, again, solver) if proved else _End(cp_model.UNKNOWN, b.dtime)
    )


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


def _probe_model(m: Model, kept: Kept) -> Model:
    """Return the model with forcing literals for the windowed participants, the kept stages, a greedy hint
    and the breaks objective."""
    pm = build_model(m.inst, forced=set(m.windows))
    keep(pm, kept)
    add_greedy_hint(pm)
    pm.cp.minimize(pm.goals["breaks"])
    return pm


def _found(m: Model, pm: Model, solver: cp_model.CpSolver, bound: int | None, run: Run) -> ProbeOutcome:
    """Return the probe's schedule as a full hint of the main model, with the bound proved so far."""
    chosen = {key for key, var in pm.x.items() if solver.value(var)}
    return ProbeOutcome(
        lower_bound=bound, hint=_complete(m, chosen, run), value=round(solver.objective_value)
    )


def _complete(m: Model, chosen: set[tuple[int, int]], run: Run) -> list[int] | None:
    """Return a full solution of the main model holding the probe's meetings (None if none is found)."""
    fixed = replace(m, cp=m.cp.clone())
    for key, var in m.x.items():
        fixed.cp.add(fixed.cp.get_bool_var_from_proto_index(var.index) == int(key in chosen))
    fixed.cp.clear_objective()
    status, solver = search(fixed, run, Settings(dtime=COMPLETE_DTIME))
    return list(solver.response_proto.solution) if status in FOUND else None
