"""Greedy first-fit: what the "schedule all" button of a meeting platform does, and the solver's safety net.

Locked meetings are kept, mandatory meetings are placed next (in precedence order), then the wished pairs,
sorted by value (the sum of their wish weights both ways, ties by pair id), each in the first slot where
both are free and available, under their meeting caps, with a table free (a participant with a home table
meets there; home tables are reserved for their owners; with away_meetings, two owners of different home
tables meet at the first of their tables that is free, then at a table nobody owns when allowed).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from solver.instance import Instance, Pair, away_tables, mandatory_counts, pair_key, pair_values
from solver.objective import instance_objective
from solver.schedule import ScheduledMeeting, SolveResult


class Board:
    """Who is busy when, which tables are taken, and the meetings placed so far."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.pos = instance.slot_position
        self.person = instance.participant_by_id
        self.away = {p.id: {self.pos[s] for s in p.unavailable} for p in instance.participants}
        self.busy: dict[str, set[int]] = {p.id: set() for p in instance.participants}
        self.taken: set[tuple[str, int]] = set()
        owned = {p.table for p in instance.participants if p.table is not None}
        self.free_tables = [t for t in instance.tables if t not in owned]
        self.pair_limit = mandatory_counts(instance)
        self.pair_count: dict[Pair, int] = {}
        self.meetings: list[ScheduledMeeting] = []

    def put(self, a: str, b: str, slot: int, table: str, mandatory: int | None = None) -> None:
        """Record one meeting."""
        self.busy[a].add(slot)
        self.busy[b].add(slot)
        self.taken.add((table, slot))
        key = pair_key(a, b)
        self.pair_count[key] = self.pair_count.get(key, 0) + 1
        sid = self.instance.slots[slot].id
        self.meetings.append(ScheduledMeeting((a, b), sid, table, mandatory))

    def pair_open(self, a: str, b: str) -> bool:
        """Tell whether the pair may meet once more (pair-twice rule)."""
        key = pair_key(a, b)
        return self.pair_count.get(key, 0) < max(1, self.pair_limit.get(key, 0))

    def can_attend(self, p: str, slot: int) -> bool:
        """Tell whether p is available, free and under its meeting cap at a slot."""
        cap = self.person[p].max_meetings
        busy = self.busy[p]
        return slot not in self.away[p] and slot not in busy and (cap is None or len(busy) < cap)

    def table_for(self, a: str, b: str, slot: int) -> str | None:
        """Return the table where a and b can meet at a slot, or None."""
        allowed = away_tables(self.instance, a, b)
        if allowed is None:
            home = self.person[a].table or self.person[b].table
            candidates = [home] if home is not None else self.free_tables
        else:
            candidates = [t for t in allowed if t is not None] + (self.free_tables if None in allowed else [])
        return next((t for t in candidates if (t, slot) not in self.taken), None)

    def first_fit(self, a: str, b: str, slots: Iterable[int], mandatory: int | None = None) -> int | None:
        """Place a meeting of a and b in the first fitting slot; return the slot or None."""
        if not self.pair_open(a, b):
            return None
        for slot in slots:
            if self.can_attend(a, slot) and self.can_attend(b, slot):
                table = self.table_for(a, b, slot)
                if table is not None:
                    self.put(a, b, slot, table, mandatory)
                    return slot
        return None


def precedence_order(instance: Instance) -> list[int]:
    """Return the mandatory meeting indices in a topological order of `after` (cycles appended last)."""
    n = len(instance.meetings)
    waiting = {i: set(m.after) for i, m in enumerate(instance.meetings)}
    order: list[int] = []
    while waiting:
        ready = sorted(i for i, deps in waiting.items() if not deps - set(order))
        if not ready:
            order.extend(sorted(waiting))
            break
        order.extend(ready)
        for i in ready:
            del waiting[i]
    return order[:n]


def place_mandatory(board: Board, realised: set[int]) -> None:
    """Place the mandatory meetings not realised by a locked one, each after its predecessors."""
    instance = board.instance
    placed_at: dict[int, int] = {}
    for lk in instance.locked:
        if lk.mandatory is not None:
            placed_at[lk.mandatory] = board.pos[lk.slot]
    for i in precedence_order(instance):
        if i in realised:
            continue
        m = instance.meetings[i]
        earliest = max((placed_at.get(j, -1) + 1 for j in m.after), default=0)
        slots = [
            k
            for k, s in enumerate(instance.slots)
            if k >= earliest
            and (m.session is None or s.session == m.session)
            and (m.slot is None or s.id == m.slot)
        ]
        slot = board.first_fit(*m.participants, slots, mandatory=i)
        if slot is not None:
            placed_at[i] = slot


def wished_pairs(instance: Instance) -> list[tuple[int, Pair]]:
    """Return (value, pair) for every wished pair, highest value first, ties by pair id."""
    return sorted(((v, pair) for pair, v in pair_values(instance).items()), key=lambda vp: (-vp[0], vp[1]))


def greedy_schedule(instance: Instance) -> SolveResult:
    """Return the greedy first-fit schedule of an instance (status "feasible", nothing proved)."""
    started = time.perf_counter()
    board = Board(instance)
    realised = set()
    for lk in instance.locked:
        board.put(*lk.participants, board.pos[lk.slot], lk.table, lk.mandatory)
        if lk.mandatory is not None:
            realised.add(lk.mandatory)
    place_mandatory(board, realised)
    all_slots = range(len(instance.slots))
    for _value, (a, b) in wished_pairs(instance):
        board.first_fit(a, b, all_slots)
    meetings = tuple(board.meetings)
    seconds = round(time.perf_counter() - started, 4)
    return SolveResult(
        status="feasible",
        meetings=meetings,
        objective=instance_objective(instance, meetings),
        bounds={},
        reasons=(),
        stats={"method": "greedy first-fit", "solve_seconds": seconds},
        instance=instance.name,
    )
