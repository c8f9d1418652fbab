"""A greedy first schedule used as a CP-SAT hint: required meetings first, then wished pairs by value."""

from __future__ import annotations

from collections import defaultdict

from solver.model import Model, table_classes

MISSING = object()


def greedy(m: Model) -> dict[tuple[int, int], str | None]:
    """Return (item, slot) -> table class choices that respect people, tables and caps (not precedence)."""
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
    chosen: dict[tuple[int, int], str | None] = {}
    for k in [k for k in order if m.items[k].required] + optional:
        item = m.items[k]
        a, b = item.pair
        if min(caps[a] - len(busy[a]), caps[b] - len(busy[b])) <= 0:
            continue
        classes = table_classes(item, pool)
        seat = {
            t: next((c for c in classes if load[t, c] < (len(m.pool) if c is None else 1)), MISSING)
            for t in item.slots
            if t not in busy[a] and t not in busy[b]
        }
        free = [t for t, c in seat.items() if c is not MISSING]
        if not free:
            continue
        t = max(free, key=lambda s: (_touch(busy[a], s) + _touch(busy[b], s), -s))
        chosen[k, t] = seat[t]  # type: ignore[assignment]
        busy[a].add(t)
        busy[b].add(t)
        load[t, seat[t]] += 1  # type: ignore[index]
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
        if len(m.seats[key]) > 1:
            for c, lit in m.seats[key]:
                m.cp.add_hint(lit, key in chosen and chosen[key] == c)
