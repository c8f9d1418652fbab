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


def add_breaks(m: Model) -> None:
    """Define breaks[p]: maximal idle runs between two meetings of p, within each run of slots."""
    total = []
    for p in range(len(m.inst.participants)):
        if p in m.windows:
            _add_window(m, p, m.windows[p])
            m.breaks.append(m.cp.new_constant(0))
            continue
        starts = [bs for run in m.runs for bs in _break_starts(m, p, run)]
        var = m.cp.new_int_var(0, len(starts), f"breaks[{p}]")
        m.cp.add(var == sum(starts))
        m.breaks.append(var)
        total.append(var)
    m.terms["breaks"] = sum(total)  # type: ignore[assignment]


def _add_window(m: Model, p: int, starts: list[int]) -> None:
    """Make p break-free: its busy slots are exactly one window [s, s + n) of the given first slots."""
    n = sum(1 for item in m.items if p in item.pair)
    chosen = {s: m.cp.new_bool_var(f"window[{p},{s}]") for s in starts}
    m.cp.add_exactly_one(chosen.values())
    for (q, t), busy in m.busy.items():
        if q == p:
            m.cp.add(busy == sum(lit for s, lit in chosen.items() if s <= t < s + n))


def add_break_spread(m: Model) -> None:
    """Add break-spread: max breaks - min breaks over all participants is at most max_break_spread."""
    d = m.inst.max_break_spread
    if d is None or not m.breaks:
        return
    lo = m.cp.new_int_var(0, len(m.inst.slots), "breaks_floor")
    for var in m.breaks:
        m.cp.add(var >= lo)
        m.cp.add(var <= lo + d)
