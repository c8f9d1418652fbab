"""Breaks (the objective term) and the break-spread hard rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from solver.model import Model


def _later(m: Model, p: int, run: list[int]) -> dict[int, cp_model.IntVar]:
    """Return, per slot of the run, a literal 'p meets at some later slot of the run' (absent = false)."""
    later: dict[int, cp_model.IntVar] = {}
    nxt: cp_model.IntVar | None = None
    for pos in range(len(run) - 2, -1, -1):
        b = m.busy.get((p, run[pos + 1]))
        lits = [lit for lit in (b, nxt) if lit is not None]
        if len(lits) == 1:
            nxt = lits[0]
        elif lits:
            var = m.cp.new_bool_var(f"later[{p},{run[pos]}]")
            m.cp.add_max_equality(var, lits)
            nxt = var
        if nxt is not None:
            later[run[pos]] = nxt
    return later


def _break_starts(m: Model, p: int, run: list[int]) -> list[cp_model.IntVar]:
    """Return literals 'a break of p starts at t': idle at t, busy at t-1, busy later in the run."""
    later = _later(m, p, run)
    starts = []
    for pos in range(1, len(run)):
        t = run[pos]
        before, now, after = m.busy.get((p, run[pos - 1])), m.busy.get((p, t)), later.get(t)
        if before is None or after is None:
            continue
        bs = m.cp.new_bool_var(f"break[{p},{t}]")
        conj = [before, after] + ([now.Not()] if now is not None else [])
        m.cp.add_bool_and(conj).only_enforce_if(bs)
        m.cp.add_bool_or([lit.Not() for lit in conj] + [bs])
        starts.append(bs)
    return starts


LEVELS = 3  # breaks counted one literal per level ("p has at least k breaks"), the rest as an integer


def add_breaks(m: Model) -> None:
    """Define breaks[p] (maximal idle runs between two meetings of p, within each run of slots).

    The breaks term is also written as a sum of Boolean levels, m.goals["breaks"]: "p has at least k breaks"
    for k = 1..LEVELS plus an integer rest. CP-SAT's core-guided worker (solver.solve) then reasons per
    participant, and "p has no break" puts p in a window (solver/windows.py), which propagates a whole busy
    pattern at once.
    """
    total, goal = [], []
    for p in range(len(m.inst.participants)):
        starts = [bs for run in m.runs for bs in _break_starts(m, p, run)]
        var = m.cp.new_int_var(0, len(starts), f"breaks[{p}]")
        m.cp.add(var == sum(starts))
        m.breaks.append(var)
        total.append(var)
        levels = _levels(m, p, var, len(starts))
        goal.extend(levels)
        if p in m.windows:
            _add_window(m, p, m.windows[p], levels[0] if levels else None)
            if p in m.forced and levels:
                m.forcing[p] = m.cp.new_bool_var(f"forced[{p}]")
                m.cp.add(levels[0] == 0).only_enforce_if(m.forcing[p])
    m.terms["breaks"] = sum(total)  # type: ignore[assignment]
    m.goals["breaks"] = sum(goal)  # type: ignore[assignment]


def _levels(m: Model, p: int, var: cp_model.IntVar, most: int) -> list[cp_model.IntVar]:
    """Return the literals "p has at least k breaks" (k = 1..LEVELS) and, past them, the rest (an integer)."""
    out = []
    for k in range(1, min(LEVELS, most) + 1):
        level = m.cp.new_bool_var(f"breaks[{p}]>={k}")
        m.cp.add(var >= k).only_enforce_if(level)
        m.cp.add(var <= k - 1).only_enforce_if(~level)
        out.append(level)
    if most > LEVELS:
        rest = m.cp.new_int_var(0, most - LEVELS, f"breaks[{p}]-{LEVELS}")
        m.cp.add_max_equality(rest, [var - LEVELS, 0])
        out.append(rest)
    return out


def _add_window(m: Model, p: int, starts: list[int], some: cp_model.IntVar | None) -> None:
    """Channel "p has no break" (not some) with "p's busy slots are one window [s, s + n) of the starts"."""
    n = sum(1 for item in m.items if p in item.pair)
    chosen = {s: m.cp.new_bool_var(f"window[{p},{s}]") for s in starts}
    broken = some if some is not None else 0
    m.cp.add(sum(chosen.values()) + broken == 1)
    for (q, t), busy in m.busy.items():
        if q == p:
            cover = sum(lit for s, lit in chosen.items() if s <= t < s + n)
            m.cp.add(busy >= cover)
            m.cp.add(busy <= cover + broken)


def add_break_spread(m: Model) -> None:
    """Add break-spread: max breaks - min breaks over all participants is at most max_break_spread."""
    d = m.inst.max_break_spread
    if d is None or not m.breaks:
        return
    lo = m.cp.new_int_var(0, len(m.inst.slots), "breaks_floor")
    for var in m.breaks:
        m.cp.add(var >= lo)
        m.cp.add(var <= lo + d)
