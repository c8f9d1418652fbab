"""Large-neighbourhood search on breaks: re-place the meetings of a few participants, the rest fixed."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from solver.large_cp import as_required, base_model, skeleton, stopped
from solver.model import Model, table_classes
from solver.objective import count_breaks
from solver.rules_breaks import _break_starts

if TYPE_CHECKING:
    from solver.solve import Run

NEIGHBOURS = 6  # partners of the seed participant whose meetings are freed with it
SUB_DTIME = 0.1  # deterministic time limit of one neighbourhood (reproducible under machine load)


def _breaks(frame: Model, placed: dict[int, int]) -> dict[int, int]:
    """Return each participant's breaks under a placement."""
    busy: dict[int, set[int]] = defaultdict(set)
    for k, t in placed.items():
        for p in frame.items[k].pair:
            busy[p].add(t)
    return {p: count_breaks(frame.runs, slots) for p, slots in busy.items()}


def _neighbourhood(
    frame: Model, breaks: dict[int, int], by_p: dict[int, list[int]], rng: random.Random
) -> set[int]:
    """Pick a participant with breaks and a few partners; return the placed items they take part in."""
    seeds = sorted(p for p, b in breaks.items() if b)
    if not seeds:
        return set()
    seed = rng.choice(seeds)
    partners = sorted({q for k in by_p[seed] for q in frame.items[k].pair if q != seed})
    people = {seed, *rng.sample(partners, min(NEIGHBOURS, len(partners)))}
    return {k for p in people for k in by_p[p]}


def sub_model(
    frame: Model,
    placed: dict[int, int],
    free: set[int],
    by_p: dict[int, list[int]],
    seat: dict[int, str | None] | None = None,
) -> tuple[Model, list[int]]:
    """Return the model of the free items, every other placed meeting of their participants fixed.

    The tables that placed meetings outside the model hold at each slot are taken off its capacity (seat:
    the table class of each placed item when it differs from its frame item's own).
    """
    touched = {p for k in free for p in frame.items[k].pair}
    linked = {k for k in placed if frame.items[k].mandatory in _precedence_linked(frame)}
    keys = sorted(free) + sorted(({k for p in touched for k in by_p[p]} | linked) - free)
    items = [frame.items[k] if k in free else replace(frame.items[k], slots=(placed[k],)) for k in keys]
    m = base_model(skeleton(frame, as_required(items)), False, terms=False)
    inside, pool = set(keys), set(frame.pool)
    outside: dict[tuple[int, str | None], int] = defaultdict(int)
    for k, t in placed.items():
        if k not in inside:
            outside[t, (seat or {}).get(k, table_classes(frame.items[k], pool)[0])] += 1
    lits: dict[tuple[int, str | None], list[cp_model.IntVar]] = defaultdict(list)
    for (_, t), seats in m.seats.items():
        for c, lit in seats:
            lits[t, c].append(lit)
    for (t, c), held in outside.items():
        if lits.get((t, c)):
            m.cp.add(sum(lits[t, c]) <= (len(frame.pool) if c is None else 1) - held)
    return m, keys


def _breaks_of(m: Model, people: set[int]) -> cp_model.LinearExprT:
    """Return the breaks of these participants in a sub-model holding all their meetings."""
    return sum(bs for p in sorted(people) for run in m.runs for bs in _break_starts(m, p, run))


def _precedence_linked(frame: Model) -> set[int]:
    """Return the mandatory meetings that take part in a precedence."""
    meetings = frame.inst.meetings
    return {i for i, mm in enumerate(meetings) if mm.after} | {j for mm in meetings for j in mm.after}


def _improve(
    frame: Model, placed: dict[int, int], free: set[int], by_p: dict[int, list[int]], seconds: float
) -> dict[int, int] | None:
    """Re-place the free items with every other meeting of their participants fixed; None if no gain."""
    m, keys = sub_model(frame, placed, free, by_p)
    touched = {p for k in free for p in frame.items[k].pair}
    breaks = _breaks_of(m, touched)
    now = _breaks(frame, {k: placed[k] for p in touched for k in by_p[p]})
    m.cp.add(breaks <= sum(now[p] for p in touched) - 1)
    m.cp.minimize(breaks)
    for (i, t), var in m.x.items():
        m.cp.add_hint(var, placed[keys[i]] == t)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.max_deterministic_time = SUB_DTIME
    solver.parameters.num_workers = 1
    if solver.solve(m.cp) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {keys[i]: t for (i, t), var in m.x.items() if solver.boolean_value(var)}


def polish(
    frame: Model, placed: dict[int, int], run: Run, end: float, report: Callable[[int], None]
) -> tuple[dict[int, int], int]:
    """Improve breaks by re-placing small neighbourhoods until `end`; return the placement and gains."""
    if frame.inst.max_break_spread is not None:
        return placed, 0
    by_p: dict[int, list[int]] = defaultdict(list)
    for k in placed:
        for p in frame.items[k].pair:
            by_p[p].append(k)
    rng = random.Random(run.seed)
    placed, gains = dict(placed), 0
    breaks = _breaks(frame, placed)  # kept up to date for the participants each gain moves
    while time.monotonic() + 0.05 < end and not stopped(run):
        free = _neighbourhood(frame, breaks, by_p, rng)
        if not free:
            break
        better = _improve(frame, placed, free, by_p, end - time.monotonic())
        if better is not None:
            placed.update(better)
            gains += 1
            moved = {p for k in better for p in frame.items[k].pair}
            counted = _breaks(frame, {k: placed[k] for p in moved for k in by_p[p]})
            breaks.update((p, counted.get(p, 0)) for p in moved)  # partners' counts there are partial
            report(sum(breaks.values()))
    return placed, gains
