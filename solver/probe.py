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
run side by side, the one that concludes in less deterministic time counts (solver/race.py): the probe's
outcome depends on the seed, not on the machine's load.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from solver.bounds_breaks import breaks_lower_bound
from solver.hint import add_greedy_hint
from solver.model import Model, build_model
from solver.race import Lane, Race
from solver.search import FOUND, Kept, Run, Settings, search

# Deterministic-time budgets (CP-SAT's unit: about half a second of one core on the 2-core machine).
EVERYONE_DTIME = 10.0  # each of the two searches of "everyone that can be break-free is"
ANY_ONE_DTIME = 8.0  # the single model "any one participant may be freed"
RELEASE_DTIME = 2.0  # each participant freed on its own
RELEASES_DTIME = 16.0  # all participants freed one at a time, together
COMPLETE_DTIME = 5.0  # completing a probe schedule into a hint of the main model
# max_lp's tight linear relaxation refutes "everyone that can be break-free is" at once (forumt-14crafe),
# and no_lp's plain search finds the schedule when there is one (forum-14, ticf-14crafa).
REFUTED = "refuted"  # a lane's outcome: its model has no schedule
NO_LP = Settings(params=(("linearization_level", 0),))
MAX_LP = Settings(params=(("linearization_level", 2),))


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


def probe_breaks(m: Model, run: Run, info: dict[str, Any], lower: int = 0) -> ProbeOutcome:
    """Run the probe and return what it gives the main breaks stage.

    lower is a proved lower bound on breaks (solver/bounds_breaks.py). The break-free model carries it, and
    the "any one freed" model the bound raised on the way, so that their searches stop as soon as a schedule
    meets it instead of proving their own optimum (forum-14, forumt-14crafe). The models that free one
    participant at a time do not: with it, ticf-13crafc's releases found nothing in their budget.
    """
    if not m.windows:
        return ProbeOutcome()
    base = _probe_model(m, run.kept)
    outcome = _everyone(m, _released(base, None, lower=lower), run, info)
    if outcome is not None or run.cancelled:
        return outcome or ProbeOutcome()
    return _release(m, base, run, info, lower)


def _everyone(m: Model, pm: Model, run: Run, info: dict[str, Any]) -> ProbeOutcome | None:
    """Force everyone that can be break-free; return None when that is refuted.

    no_lp searches for the schedule and max_lp for the refutation, side by side (solver/race.py). Either
    answer rules the other out; max_lp's schedule counts only when neither concludes.
    """
    other = replace(pm, cp=pm.cp.clone())

    def find(lane: Lane) -> Any:
        status, solver = lane.search(pm, NO_LP.with_dtime(EVERYONE_DTIME), info)
        if status == cp_model.INFEASIBLE:
            return REFUTED
        return (pm, solver) if status in FOUND else None

    def refute(lane: Lane) -> Any:
        status, solver = lane.search(other, MAX_LP.with_dtime(EVERYONE_DTIME), info)
        if status in FOUND:
            lane.result = (other, solver)
        return REFUTED if status == cp_model.INFEASIBLE else None

    lanes = [Lane(find), Lane(refute)]
    winner = Race(run, lanes, excludes=lambda outcome, lane: True).winner()
    if winner is not None and winner.outcome is REFUTED:
        return None
    found = winner.outcome if winner is not None else lanes[1].result
    return _found(m, found[0], found[1], None, run) if found else ProbeOutcome()


def _release(m: Model, base: Model, run: Run, info: dict[str, Any], lower: int) -> ProbeOutcome:
    """Everyone break-free is refuted: look for a schedule where one participant may have breaks.

    Two lanes race (solver/race.py): one model where any single participant may be freed (forumt-14crafe:
    the optimum, 5; forum-13crafb: refuted at once), and participants freed one at a time, fewest windows
    first (forum-13crafc and ticf-13crafc, where the single model finds nothing). A schedule found has one
    break-free-capable participant with breaks; when the single model is refuted, or every release is, at
    least two have: the bound rises by two.
    """
    bound = max(lower, breaks_lower_bound(m.inst, m.items, extra=1))
    any_one = _released(base, None, free=1, lower=bound)
    order = sorted(m.windows, key=lambda p: (len(m.windows[p]), p))

    def single(lane: Lane) -> Any:
        status, solver = lane.search(any_one, NO_LP.with_dtime(ANY_ONE_DTIME), info)
        if status == cp_model.INFEASIBLE:
            return REFUTED
        return (any_one, solver) if status in FOUND else None

    def one_at_a_time(lane: Lane) -> Any:
        refuted = 0
        for q in order:
            if lane.spent >= RELEASES_DTIME:
                return None
            pm = _released(base, q)
            status, solver = lane.search(pm, NO_LP.with_dtime(RELEASE_DTIME), info)
            if status in FOUND:
                return (pm, solver)
            refuted += status == cp_model.INFEASIBLE
        return REFUTED if refuted == len(order) else None

    winner = Race(run, [Lane(single), Lane(one_at_a_time)], excludes=lambda o, lane: o is REFUTED).winner()
    if winner is None:
        return ProbeOutcome(lower_bound=bound)
    if winner.outcome is REFUTED:
        return ProbeOutcome(lower_bound=breaks_lower_bound(m.inst, m.items, extra=2))
    return _found(m, winner.outcome[0], winner.outcome[1], bound, run)


def _released(base: Model, q: int | None, free: int = 0, lower: int = 0) -> Model:
    """Return a copy of the probe model with the forcing literals set, except q's (q may have breaks).

    With free > 0, the literals are left to the search instead, at most free of them false. lower is a
    proved lower bound on breaks, added to the objective's expression (redundant for any schedule).
    """
    cp = base.cp.clone()
    if lower > 0:
        cp.add(_rebound(cp) >= lower)
    lits = {p: cp.get_bool_var_from_proto_index(lit.index) for p, lit in base.forcing.items()}
    if free:
        cp.add(sum(lits.values()) >= len(lits) - free)
    else:
        for p, lit in lits.items():
            cp.add(lit == int(p != q))
    return replace(base, cp=cp)


def _rebound(cp: cp_model.CpModel) -> cp_model.LinearExprT:
    """Return the probe model's objective expression (its breaks goal) over the clone cp's variables."""
    objective = cp.proto.objective
    terms: list[cp_model.LinearExprT] = [round(objective.offset)]
    for ref, coeff in zip(objective.vars, objective.coeffs, strict=True):
        var = cp.get_int_var_from_proto_index(ref if ref >= 0 else -ref - 1)
        terms.append(coeff * (var if ref >= 0 else 1 - var))
    return sum(terms)


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
    run.found = (pm, list(solver.response_proto.solution))  # a schedule, should the time limit leave no other
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
