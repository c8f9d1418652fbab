"""A proved lower bound on breaks: each participant on its own, by dynamic programming over its slots.

Relaxation (so the bound is valid): other participants are ignored except through the allowed slots of each
meeting, which are widened to the participant's own available slots within the meeting's session (or its
fixed or locked slot). A participant's busy set S is then feasible exactly when it contains every fixed slot,
holds at least a_c slots of session c besides them for the a_c meetings restricted to c, has at least as many
slots as required meetings and at most as many as its meetings can be (required + optional, max_meetings,
available slots). The DP finds the fewest breaks over all such S; the sum over participants bounds the total.
A participant whose meetings are all required and that no window of consecutive slots fits (solver/windows.py,
which also looks at the partners' availability) has at least one break. With a break spread d, every
participant has at least (largest lower bound - d) breaks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from solver.instance import Instance, session_runs
from solver.windows import participants_without_window

if TYPE_CHECKING:
    from solver.model import Item

State = tuple[bool, bool, tuple[int, ...], int]
MAX_STATES = 200_000


def _demand(inst: Instance, p: int, items: list[Item]) -> tuple[set[int], dict[str | None, int], int, int]:
    """Return p's fixed slots, per-session demand, required count and most possible meetings."""
    fixed: set[int] = set()
    per_session: dict[str | None, int] = {}
    required = optional = 0
    for item in items:
        if p not in item.pair:
            continue
        if not item.required:
            optional += 1
            continue
        required += 1
        mm = inst.meetings[item.mandatory] if item.mandatory is not None else None
        if item.locked is not None or (mm is not None and mm.slot is not None):
            fixed.update(item.slots)
        elif mm is not None and mm.session is not None:
            per_session[mm.session] = per_session.get(mm.session, 0) + 1
    part = inst.participants[p]
    most = required + optional
    if part.max_meetings is not None:
        most = min(most, part.max_meetings)
    return fixed, per_session, required, min(most, len(inst.slots) - len(set(part.unavailable)))


def participant_breaks(inst: Instance, p: int, items: list[Item]) -> int:
    """Return the fewest breaks participant p can have on its own (0 when unknown or infeasible).

    items may be all items or only p's (participant_bounds passes p's own, which is much faster).
    """
    fixed, per_session, required, most = _demand(inst, p, items)
    if required == 0 or most < required:
        return 0
    labels = sorted(per_session, key=str)
    need = tuple(per_session[c] for c in labels)
    off = set(inst.participants[p].unavailable)
    states: dict[State, int] = {}
    for run in session_runs(inst):
        states = _run_dp(
            inst, run, states or {(False, False, (0,) * len(labels), 0): 0}, fixed, off, labels, need, most
        )
        if not states or len(states) > MAX_STATES:
            return 0
    done = [b for (_, _, counts, total), b in states.items() if total >= required and counts == need]
    return min(done, default=0)


def _run_dp(
    inst: Instance,
    run: list[int],
    states: dict[State, int],
    fixed: set[int],
    off: set[str],
    labels: list[str | None],
    need: tuple[int, ...],
    most: int,
) -> dict[State, int]:
    """Advance the DP over one run of slots (breaks are counted within a run only)."""
    states = {(False, False, c, n): b for (_, _, c, n), b in states.items()}
    for t in run:
        slot = inst.slots[t]
        label = labels.index(slot.session) if slot.session in labels else -1
        nxt: dict[State, int] = {}
        for (prev, seen, counts, total), brk in states.items():
            if t not in fixed:
                _put(nxt, (False, seen, counts, total), brk)
            if slot.id in off or total >= most:
                continue
            if label >= 0 and t not in fixed and counts[label] < need[label]:
                counts = counts[:label] + (counts[label] + 1,) + counts[label + 1 :]
            _put(nxt, (True, True, counts, total + 1), brk + (1 if seen and not prev else 0))
        states = nxt
    return states


def _put(states: dict[State, int], key: State, value: int) -> None:
    """Keep the smaller break count for a DP state."""
    if value < states.get(key, value + 1):
        states[key] = value


def participant_bounds(inst: Instance, items: list[Item]) -> list[int]:
    """Return each participant's lower bound on its breaks, on its own (before the spread lifts it)."""
    windowless = participants_without_window(inst, items)
    mine: dict[int, list[Item]] = {p: [] for p in range(len(inst.participants))}
    for item in items:
        for p in item.pair:
            mine[p].append(item)
    return [max(participant_breaks(inst, p, mine[p]), p in windowless) for p in range(len(inst.participants))]


def breaks_lower_bound(inst: Instance, items: list[Item], extra: int = 0) -> int:
    """Return a lower bound on total breaks (sum of per-participant bounds plus extra, lifted by the spread).

    extra counts breaks proved beyond the per-participant bounds (the probe of solver/probe.py).
    """
    per = participant_bounds(inst, items)
    lifted = per
    if inst.max_break_spread is not None and per:
        floor = max(per) - inst.max_break_spread
        lifted = [max(b, floor) for b in per]
    return max(sum(lifted), sum(per) + extra)
