"""Break-free windows.

When every meeting of a participant is required (mandatory or locked, none optional), its number of meetings n
is fixed, and with breaks counted along the whole slot list it has no break exactly when its meetings fill n
consecutive slots: a *window*. A window [s, s + n) is possible on its own when the n meetings can be given
distinct slots inside it, each among the slots where both of its participants can meet (a bipartite matching).
A participant that no window fits has at least one break (a lower bound), and the others can be forced into a
window (the probe of solver/probe.py), which CP-SAT propagates far better than counting breaks.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from solver.instance import Instance

if TYPE_CHECKING:
    from solver.model import Item


def fixed_participants(inst: Instance, items: list[Item]) -> dict[int, list[int]]:
    """Return the item indices of each participant whose meetings are all required (none optional)."""
    by_p: dict[int, list[int]] = defaultdict(list)
    optional: set[int] = set()
    for k, item in enumerate(items):
        for p in item.pair:
            by_p[p].append(k)
            if not item.required:
                optional.add(p)
    if inst.breaks_within == "session" and len({s.session for s in inst.slots}) > 1:
        return {}  # breaks are counted within each session: a window is not the only break-free shape
    return {p: ks for p, ks in by_p.items() if p not in optional}


def _matched(slot_sets: list[tuple[int, ...]], lo: int, hi: int) -> bool:
    """Return True when each slot set gets a distinct slot in [lo, hi) (augmenting paths)."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for t in slot_sets[i]:
            if lo <= t < hi and t not in seen:
                seen.add(t)
                if t not in owner or augment(owner[t], seen):
                    owner[t] = i
                    return True
        return False

    return all(augment(i, set()) for i in range(len(slot_sets)))


def window_starts(inst: Instance, items: list[Item], ks: list[int]) -> list[int]:
    """Return the first slots s of the windows [s, s + n) that can hold these n meetings on their own."""
    n = len(ks)
    slot_sets = [items[k].slots for k in ks]
    return [s for s in range(len(inst.slots) - n + 1) if _matched(slot_sets, s, s + n)]


def participants_without_window(inst: Instance, items: list[Item]) -> set[int]:
    """Return the participants with fixed meetings (two or more) that no window fits: each has a break."""
    fixed = fixed_participants(inst, items)
    return {p for p, ks in fixed.items() if len(ks) > 1 and not window_starts(inst, items, ks)}


def participant_windows(inst: Instance, items: list[Item]) -> dict[int, list[int]]:
    """Return the window starts of each participant with two or more fixed meetings that a window fits."""
    out = {}
    for p, ks in fixed_participants(inst, items).items():
        if len(ks) > 1:
            starts = window_starts(inst, items, ks)
            if starts:
                out[p] = starts
    return out
