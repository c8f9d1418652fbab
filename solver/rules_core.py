"""Hard rules of spec section 2 as CP-SAT constraints, one add_<rule>() per rule id."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from solver.model import Model


def _items_at(m: Model) -> dict[int, list[int]]:
    """Return the item indices that may be held at each slot."""
    out: dict[int, list[int]] = defaultdict(list)
    for k, item in enumerate(m.items):
        for t in item.slots:
            out[t].append(k)
    return out


def add_person_double_booked(m: Model) -> None:
    """Add person-double-booked: a participant holds at most one meeting per slot."""
    # busy[p, t] is a Boolean equal to p's meetings at t, so it also caps them at one; summing busy gives
    # the participant's number of meetings (the implied "meetings = busy slots" link).
    by_p = m.by_participant()
    for p, ks in by_p.items():
        per_slot: dict[int, list] = defaultdict(list)
        for k in ks:
            for t in m.items[k].slots:
                per_slot[t].append(m.x[k, t])
        for t, lits in sorted(per_slot.items()):
            busy = m.cp.new_bool_var(f"busy[{p},{t}]")
            m.cp.add(busy == sum(lits))
            m.busy[p, t] = busy


def add_table_double_booked(m: Model) -> None:
    """Add table-double-booked: at most one meeting per table and slot (tables counted per slot)."""
    # Meetings without a home table share the pool of non-home tables: per slot, at most |pool| of them.
    for t, ks in sorted(_items_at(m).items()):
        in_pool = [lit for k in ks for c, lit in m.seats[k, t] if c is None]
        if in_pool:
            m.cp.add(sum(in_pool) <= len(m.pool))
        # Implied: at most two busy participants per table and slot.
        busy = [m.busy[p, t] for p in range(len(m.inst.participants)) if (p, t) in m.busy]
        m.cp.add(sum(busy) <= 2 * len(m.inst.tables))


def add_unavailable(m: Model) -> None:
    """Add unavailable: nobody meets in a slot they declared unavailable."""
    # x is only created where both can attend; locked meetings (checked by the reader) are the exception.
    sidx = {s.id: t for t, s in enumerate(m.inst.slots)}
    for k, item in enumerate(m.items):
        if item.locked is not None:
            continue
        for p in item.pair:
            for sid in m.inst.participants[p].unavailable:
                if (k, sidx[sid]) in m.x:
                    m.cp.add(m.x[k, sidx[sid]] == 0)


def add_home_table(m: Model) -> None:
    """Add home-table: owners meet at their home table, which holds one meeting per slot."""
    # Items of an owner carry its table (or a choice of tables: model.item_table), so two owners sharing a
    # table cannot both meet there at one slot; non-owners never use it (they are in the pool).
    for t, ks in sorted(_items_at(m).items()):
        per_table: dict[str, list] = defaultdict(list)
        for k in ks:
            for c, lit in m.seats[k, t]:
                if c is not None:
                    per_table[c].append(lit)
        for lits in per_table.values():
            if len(lits) > 1:
                m.cp.add(sum(lits) <= 1)


def _meetings_of(m: Model, p: int) -> list:
    """Return the busy Booleans of participant p."""
    return [m.busy[p, t] for t in range(len(m.inst.slots)) if (p, t) in m.busy]


def add_max_meetings(m: Model) -> None:
    """Add max-meetings: a participant holds at most max_meetings meetings."""
    for p, part in enumerate(m.inst.participants):
        busy = _meetings_of(m, p)
        if part.max_meetings is not None and len(busy) > part.max_meetings:
            m.cp.add(sum(busy) <= part.max_meetings)


def add_min_meetings(m: Model) -> None:
    """Add min-meetings: a participant holds at least min_meetings meetings."""
    for p, part in enumerate(m.inst.participants):
        if part.min_meetings:
            ct = m.cp.add(sum(_meetings_of(m, p)) >= part.min_meetings)
            if ("min", p) in m.enablers:
                ct.only_enforce_if(m.enablers["min", p])


def add_mandatory(m: Model) -> None:
    """Add mandatory-missing, wrong-session, wrong-fixed-slot: each mandatory meeting held once, in place."""
    # Sessions and fixed slots are enforced by creating x only at allowed slots; optional items at most once.
    for k, item in enumerate(m.items):
        lits = [m.x[k, t] for t in item.slots]
        if not item.required:
            if len(lits) > 1:
                m.cp.add_at_most_one(lits)
            continue
        ct = m.cp.add_exactly_one(lits) if lits else m.cp.add_bool_or([])
        if item.mandatory is not None and ("mandatory", item.mandatory) in m.enablers:
            ct.only_enforce_if(m.enablers["mandatory", item.mandatory])
    _order_twins(m)


def _order_twins(m: Model) -> None:
    """Break the symmetry of identical mandatory meetings of one pair by ordering their slots."""
    referenced = {j for mm in m.inst.meetings for j in mm.after}
    groups: dict[tuple, list[int]] = defaultdict(list)
    for k, item in enumerate(m.items):
        mm = m.inst.meetings[item.mandatory] if item.mandatory is not None else None
        if mm is None or item.locked is not None or mm.after or item.mandatory in referenced or m.enablers:
            continue
        groups[item.pair, item.slots].append(k)
    for ks in groups.values():
        for k1, k2 in zip(ks, ks[1:], strict=False):
            m.cp.add(_start(m, k1) < _start(m, k2))


def _start(m: Model, k: int):
    """Return the slot index of a required item as a linear expression."""
    return sum(t * m.x[k, t] for t in m.items[k].slots)


def add_precedence(m: Model) -> None:
    """Add precedence: each meeting listed in `after` of meeting i is held strictly before i."""
    item_of = {it.mandatory: k for k, it in enumerate(m.items) if it.mandatory is not None}
    for i, mm in enumerate(m.inst.meetings):
        for j in mm.after:
            ki, kj = item_of[i], item_of[j]
            if not m.items[ki].slots or not m.items[kj].slots:
                continue
            ct = m.cp.add(_start(m, kj) + 1 <= _start(m, ki))
            lits = [m.enablers[key] for key in (("mandatory", i), ("mandatory", j)) if key in m.enablers]
            if lits:
                ct.only_enforce_if(lits)


def add_pair_twice(m: Model) -> None:
    """Add pair-twice: a pair meets at most max(1, number of its mandatory meetings) times."""
    per_pair: dict[tuple[int, int], list[int]] = defaultdict(list)
    for k, item in enumerate(m.items):
        per_pair[item.pair].append(k)
    n_mand: dict[tuple[int, int], int] = defaultdict(int)
    for item in m.items:
        if item.mandatory is not None:
            n_mand[item.pair] += 1
    for pair, ks in per_pair.items():
        if len(ks) > 1:
            lits = [m.x[k, t] for k in ks for t in m.items[k].slots]
            m.cp.add(sum(lits) <= max(1, n_mand[pair]))


def add_locked_moved(m: Model) -> None:
    """Add locked-moved: every locked meeting stays at its pair, slot and table."""
    # A locked item has a single slot and carries its table, so fixing x to 1 keeps it in place.
    for k, item in enumerate(m.items):
        if item.locked is not None:
            for t in item.slots:
                m.cp.add(m.x[k, t] == 1)
