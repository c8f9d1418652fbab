"""Explain infeasibility: cheap sound pre-checks naming the ids in conflict, then CP-SAT cores.

Every pre-check proves that no schedule satisfies section 2, so a non-empty `precheck` means infeasible.
Mandatory meetings are named by their 0-based index, participants and slots by id.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.instance import Instance, away_tables
from solver.model import Item, build_model, make_items
from solver.reasons_order import precedence_reasons
from solver.schedule import Reason
from solver.search import Run, Settings, search

EXPLAIN_DTIME = 20.0  # deterministic time of each explaining search


def _pid(inst: Instance, p: int) -> str:
    """Return a participant's id."""
    return inst.participants[p].id


def _no_slot(inst: Instance, i: int, a: int, b: int) -> Reason:
    """Say why mandatory meeting i has no slot at all."""
    mm, pa, pb = inst.meetings[i], inst.participants[a], inst.participants[b]
    if away_tables(inst, pa.id, pb.id) == ():
        return Reason(
            "home-table", (i, pa.id, pb.id), f"meeting {i}: {pa.id} and {pb.id} have different home tables"
        )
    if mm.slot is not None:
        slot = inst.slots[inst.slot_position[mm.slot]]
        if mm.session is not None and slot.session != mm.session:
            return Reason(
                "wrong-session", (i, mm.slot), f"meeting {i} is fixed to {mm.slot}, outside {mm.session}"
            )
        who = [p.id for p in (pa, pb) if mm.slot in p.unavailable]
        return Reason(
            "unavailable",
            (i, *who, mm.slot),
            f"meeting {i} is fixed to {mm.slot}: {', '.join(who)} unavailable",
        )
    where = f"session {mm.session}" if mm.session else "the fair"
    return Reason(
        "unavailable", (i, pa.id, pb.id), f"meeting {i}: {pa.id} and {pb.id} share no free slot in {where}"
    )


def _ids(items: list[Item], ks: list[int]) -> list[int]:
    """Return the mandatory indices of some items."""
    return [items[k].mandatory for k in ks if items[k].mandatory is not None]  # type: ignore[misc]


def _overloads(inst: Instance, items: list[Item]) -> list[Reason]:
    """Find participants whose required meetings need more slots than they can use (Hall's condition)."""
    found: list[Reason] = []
    by_p: dict[int, list[int]] = defaultdict(list)
    for k, it in enumerate(items):
        if it.required and it.slots:
            by_p[it.pair[0]].append(k)
            by_p[it.pair[1]].append(k)
    for p, ks in by_p.items():
        part = inst.participants[p]
        if part.max_meetings is not None and len(ks) > part.max_meetings:
            msg = f"{part.id} has {len(ks)} required meetings and max_meetings {part.max_meetings}"
            found.append(Reason("max-meetings", (part.id, *_ids(items, ks)), msg))
            continue
        unions = {frozenset(items[k].slots) for k in ks} | {frozenset(t for k in ks for t in items[k].slots)}
        for allowed in sorted(unions, key=len):
            group = [k for k in ks if set(items[k].slots) <= allowed]
            if len(group) > len(allowed):
                found.append(_overload_reason(inst, part.id, items, group, allowed))
                break
    return found


def _overload_reason(
    inst: Instance, pid: str, items: list[Item], group: list[int], allowed: frozenset[int]
) -> Reason:
    """Build the reason for too many meetings in too few slots."""
    if len(allowed) == 1:
        sid = inst.slots[next(iter(allowed))].id
        msg = f"{pid} has {len(group)} meetings fixed to {sid}"
        return Reason("person-double-booked", (pid, sid, *_ids(items, group)), msg)
    msg = f"{pid} has {len(group)} mandatory meetings and {len(allowed)} free slots"
    return Reason("mandatory-missing", (pid, *_ids(items, group)), msg)


def _crowded(inst: Instance, items: list[Item]) -> list[Reason]:
    """Find free meetings whose two participants' fixed meetings take every allowed slot."""
    fixed: dict[int, dict[int, int]] = defaultdict(dict)
    for k, it in enumerate(items):
        if it.required and len(it.slots) == 1:
            for p in it.pair:
                fixed[p][it.slots[0]] = k
    found = []
    for it in items:
        if not it.required or it.mandatory is None or len(it.slots) < 2:
            continue
        blockers = {t: fixed[p][t] for p in it.pair for t in it.slots if t in fixed[p]}
        if len(blockers) == len(it.slots):
            a, b = (_pid(inst, p) for p in it.pair)
            others = sorted(set(_ids(items, list(blockers.values()))))
            msg = f"meeting {it.mandatory}: the fixed meetings of {a} and {b} take every slot it could use"
            found.append(Reason("mandatory-missing", (it.mandatory, a, b, *others), msg))
    return found


def _tables(inst: Instance, items: list[Item]) -> list[Reason]:
    """Find slots with more fixed or locked meetings than tables."""
    per_slot: dict[int, list[int]] = defaultdict(list)
    for k, it in enumerate(items):
        if it.required and len(it.slots) == 1:
            per_slot[it.slots[0]].append(k)
    found = []
    for t, ks in sorted(per_slot.items()):
        if len(ks) > len(inst.tables):
            sid = inst.slots[t].id
            msg = f"{len(ks)} meetings are fixed to {sid} and there are {len(inst.tables)} tables"
            found.append(Reason("table-double-booked", (sid, *_ids(items, ks)), msg))
    return found


def _min_meetings(inst: Instance, items: list[Item]) -> list[Reason]:
    """Find participants whose min_meetings exceeds the meetings they could possibly have."""
    count: dict[int, int] = defaultdict(int)
    for it in items:
        if it.slots:
            for p in it.pair:
                count[p] += 1
    found = []
    for p, part in enumerate(inst.participants):
        most = min(count[p], len(inst.slots) - len(set(part.unavailable)))
        if part.min_meetings > most:
            msg = f"{part.id} needs {part.min_meetings} meetings and can have at most {most}"
            found.append(Reason("min-meetings", (part.id,), msg))
    return found


def _pair_twice(inst: Instance, items: list[Item]) -> list[Reason]:
    """Find pairs whose mandatory and locked meetings exceed what pair-twice allows."""
    count: dict[tuple[int, int], list[int]] = defaultdict(list)
    for k, it in enumerate(items):
        if it.required:
            count[it.pair].append(k)
    found = []
    for pair, ks in count.items():
        if len(ks) > max(1, len(_ids(items, ks))):
            a, b = (_pid(inst, p) for p in pair)
            found.append(Reason("pair-twice", (a, b), f"{a} and {b} have {len(ks)} fixed meetings"))
    return found


def precheck(inst: Instance) -> list[Reason]:
    """Return the reasons that make the instance infeasible, found without search (empty if none)."""
    items = make_items(inst)
    found = [
        _no_slot(inst, it.mandatory, *it.pair)
        for it in items
        if it.required and not it.slots and it.mandatory is not None
    ]
    for check in (_overloads, _crowded, _tables, _min_meetings, _pair_twice):
        found.extend(check(inst, items))
    found.extend(precedence_reasons(inst, items))
    return found


def explain_infeasible(inst: Instance, run: Run) -> list[Reason]:
    """Explain a CP-SAT infeasibility: the break spread alone, or a small set of mandatory meetings."""
    if inst.max_break_spread is not None:
        status, _ = search(build_model(inst, with_spread=False), run, Settings(EXPLAIN_DTIME))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            msg = f"every schedule has max breaks - min breaks above {inst.max_break_spread}"
            return [Reason("break-spread", (), msg)]
    m = build_model(inst, enablers=True)
    m.cp.add_assumptions(list(m.enablers.values()))
    status, solver = search(m, run, Settings(EXPLAIN_DTIME))
    if status != cp_model.INFEASIBLE:
        return [
            Reason(
                "mandatory-missing", (), "proved infeasible; no small conflicting set was isolated in time"
            )
        ]
    core = set(solver.sufficient_assumptions_for_infeasibility())
    named = [key for key, lit in m.enablers.items() if lit.index in core]
    meetings = sorted(v for kind, v in named if kind == "mandatory")
    people = sorted({_pid(inst, p) for kind, p in named if kind == "min"})
    for i in meetings:
        people = sorted(set(people) | set(inst.meetings[i].participants))
    rule = "mandatory-missing" if meetings else "min-meetings"
    return [
        Reason(rule, (*people, *meetings), f"these {len(meetings)} mandatory meetings cannot all be held")
    ]
