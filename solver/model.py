"""The CP-SAT model: time-indexed Booleans x[item, slot], one add_<rule>() per hard rule.

An *item* is one possible meeting occurrence: each mandatory meeting, each locked meeting that realises no
mandatory meeting, and one optional occurrence per wished pair that has neither. x[item, slot] exists only
where both participants can meet (availability, session, fixed slot, home tables). Tables are counted per
slot (pool of non-home tables, one meeting per home table) and numbered afterwards by `number_tables`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.instance import Instance, away_tables
from solver.rules_breaks import add_break_spread, add_breaks
from solver.rules_core import (
    add_home_table,
    add_locked_moved,
    add_mandatory,
    add_max_meetings,
    add_min_meetings,
    add_pair_twice,
    add_person_double_booked,
    add_precedence,
    add_table_double_booked,
    add_unavailable,
)
from solver.windows import participant_windows


@dataclass
class Item:
    """One possible meeting occurrence of a pair (participant indices, a < b)."""

    pair: tuple[int, int]
    slots: tuple[int, ...]
    required: bool
    mandatory: int | None = None
    locked: int | None = None
    table: str | None = None  # a home table or a locked table; None means the pool
    tables: tuple[str | None, ...] = ()  # when set, a choice among these (None: the pool); see item_table


def table_classes(item: Item, pool: set[str]) -> tuple[str | None, ...]:
    """Return the table classes an item may use: a home table, or None for the pool of unowned tables."""
    return tuple(None if t is None or t in pool else t for t in (item.tables or (item.table,)))


@dataclass
class Model:
    """The CP-SAT model with named handles on its variables."""

    inst: Instance
    cp: cp_model.CpModel
    items: list[Item]
    runs: list[list[int]]
    pool: list[str]
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    seats: dict[tuple[int, int], list[tuple[str | None, cp_model.IntVar]]] = field(default_factory=dict)
    busy: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    covered: list[cp_model.IntVar] = field(default_factory=list)
    breaks: list[cp_model.IntVar] = field(default_factory=list)
    pair_values: dict[tuple[int, int], int] = field(default_factory=dict)
    terms: dict[str, cp_model.IntVar] = field(default_factory=dict)
    goals: dict[str, cp_model.LinearExprT] = field(default_factory=dict)  # a stage optimises these, or terms
    enablers: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    windows: dict[int, list[int]] = field(default_factory=dict)  # fixed participants: their window starts
    forced: set[int] = field(default_factory=set)  # made break-free (the probe of solver/probe.py)
    forcing: dict[int, cp_model.IntVar] = field(default_factory=dict)  # literal: forced p has no break

    def by_participant(self) -> dict[int, list[int]]:
        """Return the item indices of each participant."""
        out: dict[int, list[int]] = defaultdict(list)
        for k, item in enumerate(self.items):
            out[item.pair[0]].append(k)
            out[item.pair[1]].append(k)
        return out


def slot_runs(inst: Instance) -> list[list[int]]:
    """Return the runs of slot indices within which breaks are counted."""
    if inst.breaks_within != "session":
        return [list(range(len(inst.slots)))]
    runs: list[list[int]] = []
    for t, slot in enumerate(inst.slots):
        if runs and inst.slots[t - 1].session == slot.session:
            runs[-1].append(t)
        else:
            runs.append([t])
    return runs


def pair_values(inst: Instance) -> dict[tuple[int, int], int]:
    """Return the value of each wished pair (sum of both directions' weights)."""
    pidx = {p.id: k for k, p in enumerate(inst.participants)}
    values: dict[tuple[int, int], int] = defaultdict(int)
    for w in inst.wishes:
        a, b = sorted((pidx[w.source], pidx[w.target]))
        values[(a, b)] += w.weight
    return dict(values)


def possible_slots(inst: Instance, a: int, b: int, session: str | None, fixed: str | None) -> tuple[int, ...]:
    """Return the slots where participants a and b can both attend a meeting."""
    pa, pb = inst.participants[a], inst.participants[b]
    if away_tables(inst, pa.id, pb.id) == ():
        return ()
    if session is None and fixed is None:
        return tuple(sorted(inst.available_positions[a] & inst.available_positions[b]))
    off = set(pa.unavailable) | set(pb.unavailable)
    return tuple(
        t
        for t, s in enumerate(inst.slots)
        if s.id not in off and (session is None or s.session == session) and (fixed is None or s.id == fixed)
    )


def item_table(inst: Instance, a: int, b: int) -> tuple[str | None, tuple[str | None, ...]]:
    """Return the table of a meeting of a and b (None: the pool) and, when it is a choice, the choices.

    A pair of owners of different home tables (away_meetings) needs no choice when one of the two tables has
    a single owner: that table is free whenever its owner is, so the meeting is held there.
    """
    choices = away_tables(inst, inst.participants[a].id, inst.participants[b].id)
    if choices is None:
        return inst.participants[a].table or inst.participants[b].table, ()
    owners = inst.home_owners
    sole = [t for t in choices if t is not None and len(owners[t]) == 1]
    if sole or not choices:
        return (sole[0] if sole else None), ()
    return choices[0], choices


def make_items(inst: Instance) -> list[Item]:
    """Return every possible meeting occurrence of the instance."""
    pidx = {p.id: k for k, p in enumerate(inst.participants)}
    sidx = {s.id: k for k, s in enumerate(inst.slots)}
    items: list[Item] = []
    realised = {lk.mandatory: k for k, lk in enumerate(inst.locked) if lk.mandatory is not None}
    used: set[tuple[int, int]] = set()
    for i, m in enumerate(inst.meetings):
        a, b = sorted((pidx[m.participants[0]], pidx[m.participants[1]]))
        used.add((a, b))
        if i in realised:
            lk = inst.locked[realised[i]]
            items.append(Item((a, b), (sidx[lk.slot],), True, i, realised[i], lk.table))
        else:
            slots = possible_slots(inst, a, b, m.session, m.slot)
            items.append(Item((a, b), slots, True, i, None, *item_table(inst, a, b)))
    for k, lk in enumerate(inst.locked):
        if lk.mandatory is None or lk.mandatory not in realised or realised[lk.mandatory] != k:
            a, b = sorted((pidx[lk.participants[0]], pidx[lk.participants[1]]))
            used.add((a, b))
            items.append(Item((a, b), (sidx[lk.slot],), True, None, k, lk.table))
    for pair in sorted(pair_values(inst)):
        if pair not in used:
            slots = possible_slots(inst, pair[0], pair[1], None, None)
            if slots:
                items.append(Item(pair, slots, False, None, None, *item_table(inst, *pair)))
    return items


def build_model(
    inst: Instance,
    with_spread: bool = True,
    enablers: bool = False,
    forced: set[int] | None = None,
) -> Model:
    """Build the CP-SAT model of every hard rule of the spec (section 2) and the objective terms.

    forced gives these participants a literal m.forcing[p] that, when true, makes p break-free: its meetings
    fill one of its windows (solver/windows.py; used by the probe of solver/probe.py).
    """
    homes = {p.table for p in inst.participants if p.table}
    pool = [t for t in inst.tables if t not in homes]
    items = make_items(inst)
    m = Model(inst, cp_model.CpModel(), items, slot_runs(inst), pool, windows={})
    if not enablers:  # switched-off mandatory meetings would change a participant's meeting count
        m.windows = participant_windows(inst, items)
    m.forced = set(forced or ()) & set(m.windows)
    m.pair_values = pair_values(inst)
    add_x(m)
    if enablers:
        for item in m.items:
            if item.mandatory is not None and item.locked is None:
                m.enablers["mandatory", item.mandatory] = m.cp.new_bool_var(f"on[m{item.mandatory}]")
        for p, part in enumerate(inst.participants):
            if part.min_meetings:
                m.enablers["min", p] = m.cp.new_bool_var(f"on[min{p}]")
    add_person_double_booked(m)
    add_table_double_booked(m)
    add_unavailable(m)
    add_home_table(m)
    add_max_meetings(m)
    add_min_meetings(m)
    add_mandatory(m)
    add_precedence(m)
    add_pair_twice(m)
    add_locked_moved(m)
    add_objective_terms(m)
    needs_breaks = "breaks" in inst.objective or (with_spread and inst.max_break_spread is not None)
    if needs_breaks:
        add_breaks(m)
    if with_spread and inst.max_break_spread is not None:
        add_break_spread(m)
    for term, expr in list(m.terms.items()):
        var = m.cp.new_int_var(-(10**9), 10**9, term)
        m.cp.add(var == expr)
        m.terms[term] = var
    return m


def add_x(m: Model) -> None:
    """Create x[item, slot] and the seats: per (item, slot), its table classes with their literals."""
    pool = set(m.pool)
    for k, item in enumerate(m.items):
        classes = table_classes(item, pool)
        for t in item.slots:
            x = m.x[k, t] = m.cp.new_bool_var(f"x[{k},{t}]")
            if len(classes) == 1:
                m.seats[k, t] = [(classes[0], x)]
                continue
            lits = [m.cp.new_bool_var(f"seat[{k},{t},{c}]") for c in classes]
            m.cp.add(sum(lits) == x)
            m.seats[k, t] = list(zip(classes, lits, strict=True))


def chosen_classes(m: Model, values: list[int]) -> dict[tuple[int, int], str | None]:
    """Return the table class chosen in a solution for each held (item, slot) with a choice."""
    return {
        key: next(c for c, lit in seats if values[lit.index])
        for key, seats in m.seats.items()
        if len(seats) > 1 and values[m.x[key].index]
    }


def add_objective_terms(m: Model) -> None:
    """Define the coverage and weight terms (breaks are defined by add_breaks)."""
    by_p = m.by_participant()
    n_slots = len(m.inst.slots)
    for p in range(len(m.inst.participants)):
        cov = m.cp.new_bool_var(f"covered[{p}]")
        busy = [m.busy[p, t] for t in range(n_slots) if (p, t) in m.busy]
        if not by_p.get(p) or not busy:
            m.cp.add(cov == 0)
        else:
            m.cp.add_max_equality(cov, busy)
        m.covered.append(cov)
    m.terms["coverage"] = sum(m.covered)  # type: ignore[assignment]
    by_pair: dict[tuple[int, int], list[int]] = defaultdict(list)
    for k, it in enumerate(m.items):
        by_pair[it.pair].append(k)
    weight: list[cp_model.LinearExprT] = []
    for pair, value in m.pair_values.items():
        ks = by_pair.get(pair, [])
        if any(m.items[k].required for k in ks):
            weight.append(value)
        elif ks:
            weight.append(value * sum(m.x[k, t] for k in ks for t in m.items[k].slots))
    m.terms["weight"] = sum(weight)  # type: ignore[assignment, arg-type]


def number_tables(
    m: Model, chosen: list[tuple[int, int]], classes: dict[tuple[int, int], str | None] | None = None
) -> list[tuple[int, int, str]]:
    """Give each chosen (item, slot) a table: locked and home tables first, then free pool tables.

    classes gives the class chosen for items with a table choice (default: their first choice).
    """
    out: list[tuple[int, int, str]] = []
    taken: dict[int, set[str]] = defaultdict(set)
    rest: list[tuple[int, int]] = []
    for k, t in chosen:
        item = m.items[k]
        table = (classes or {}).get((k, t), item.table) if item.tables else item.table
        if table is not None:
            out.append((k, t, table))
            taken[t].add(table)
        else:
            rest.append((k, t))
    for k, t in rest:
        table = next(tb for tb in m.pool if tb not in taken[t])
        taken[t].add(table)
        out.append((k, t, table))
    return out
