"""A greedy first schedule used as a CP-SAT hint: required meetings first, then wished pairs by value."""

from __future__ import annotations

from collections import defaultdict

from solver.model import Model


def greedy(m: Model) -> set[tuple[int, int]]:
    """Return (item, slot) choices that respect people, tables and caps (precedence is left to CP-SAT)."""
    busy: dict[int, set[int]] = defaultdict(set)
    load: dict[tuple[int, str | None], int] = defaultdict(int)
    pool = set(m.pool)
    caps = [p.max_meetings if p.max_meetings is not None else len(m.inst.slots) for p in m.inst.participants]
    order = sorted(range(len(m.items)), key=lambda k: (not m.items[k].required, len(m.items[k].slots)))
    needy = {p for p, part in enumerate(m.inst.participants) if part.min_meetings}
    optional = sorted(
        (k for k in order if not m.items[k].required),
        key=lambda k: (not needy & set(m.items[k].pair), -m.pair_values.get(m.items[k].pair, 0)),
    )
    chosen: set[tuple[int, int]] = set()
    for k in [k for k in order if m.items[k].required] + optional:
        item = m.items[k]
        a, b = item.pair
        if min(caps[a] - len(busy[a]), caps[b] - len(busy[b])) <= 0:
            continue
        cls = None if item.table is None or item.table in pool else item.table
        limit = len(m.pool) if cls is None else 1
        free = [t for t in item.slots if t not in busy[a] and t not in busy[b] and load[t, cls] < limit]
        if not free:
            continue
        t = max(free, key=lambda s: (_touch(busy[a], s) + _touch(busy[b], s), -s))
        chosen.add((k, t))
        busy[a].add(t)
        busy[b].add(t)
        load[t, cls] += 1
    return chosen


def _touch(slots: set[int], t: int) -> int:
    """Count the neighbours of slot t already busy (placing next to them avoids breaks)."""
    return (t - 1 in slots) + (t + 1 in slots)


def add_greedy_hint(m: Model) -> None:
    """Hint the model's x variables with the greedy schedule."""
    chosen = greedy(m)
    m.cp.clear_hints()
    for key, var in m.x.items():
        m.cp.add_hint(var, key in chosen)
