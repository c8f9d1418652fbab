"""Random small instances: every schedule is valid, and brute force confirms optimum and infeasibility."""

from __future__ import annotations

import itertools
import os
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from solver.instance import Instance, InstanceError, instance_from_dict
from solver.objective import compute_objective
from solver.schedule import ScheduledMeeting
from solver.solve import solve
from solver.validate import violations

EXAMPLES = {"quick": 25, "standard": 100, "full": 500}.get(
    os.environ.get("SALON_TEST_PROFILE", "standard"), 100
)
SENSE = {"coverage": -1, "weight": -1, "breaks": 1}


@st.composite
def instances(draw: st.DrawFn) -> dict[str, Any]:
    """Draw a small `salon-instance/1` dict using every field of the format."""
    n_people, n_slots = draw(st.integers(2, 5)), draw(st.integers(1, 3))
    people = [f"p{i}" for i in range(n_people)]
    slots = [f"t{t}" for t in range(n_slots)]
    tables = ["A", "B", "C"][: draw(st.integers(1, 3))]
    sessions = draw(st.lists(st.sampled_from(["am", "pm", None]), min_size=n_slots, max_size=n_slots))
    parts = []
    for p in people:
        part: dict[str, Any] = {"id": p, "side": draw(st.sampled_from(["buyer", "supplier"]))}
        part["unavailable"] = draw(st.lists(st.sampled_from(slots), unique=True, max_size=1))
        low = draw(st.integers(0, 1))
        part["min_meetings"] = low if draw(st.integers(0, 4)) == 0 else 0
        if draw(st.booleans()):
            part["max_meetings"] = draw(st.integers(part["min_meetings"], 3))
        if draw(st.integers(0, 5)) == 0:
            part["table"] = draw(st.sampled_from(tables))
        parts.append(part)
    pairs = [(a, b) for a, b in itertools.permutations(people, 2)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=4))
    wishes = [{"from": a, "to": b, "weight": draw(st.integers(1, 10))} for a, b in chosen]
    meetings = []
    for k in range(draw(st.integers(0, 2))):
        m: dict[str, Any] = {"participants": list(draw(st.sampled_from(pairs)))}
        if draw(st.integers(0, 3)) == 0 and any(sessions):
            m["session"] = draw(st.sampled_from([s for s in sessions if s]))
        if draw(st.integers(0, 3)) == 0:
            m["slot"] = draw(st.sampled_from(slots))
        if k and draw(st.booleans()):
            m["after"] = [0]
        meetings.append(m)
    locked = []
    if draw(st.integers(0, 3)) == 0:
        a, b = draw(st.sampled_from(pairs))
        locked.append(
            {
                "participants": [a, b],
                "slot": draw(st.sampled_from(slots)),
                "table": draw(st.sampled_from(tables)),
            }
        )
    terms = draw(st.permutations(["coverage", "weight", "breaks"]))[: draw(st.integers(1, 3))]
    return {
        "format": "salon-instance/1",
        "slots": [{"id": t, **({"session": s} if s else {})} for t, s in zip(slots, sessions, strict=True)],
        "tables": tables,
        "participants": parts,
        "wishes": wishes,
        "meetings": meetings,
        "locked": locked,
        "objective": list(terms),
        "max_break_spread": draw(st.sampled_from([None, None, 0, 1])),
        "breaks_within": draw(st.sampled_from(["all", "session"])),
    }


def with_tables(
    inst: Instance, placed: list[tuple[tuple[str, str], str, int | None]]
) -> list[ScheduledMeeting]:
    """Number tables: owners at home, the rest at the first free table nobody owns."""
    homes = {p.table for p in inst.participants if p.table}
    used: dict[str, set[str]] = {}
    for lk in inst.locked:  # locked meetings already hold their tables
        used.setdefault(lk.slot, set()).add(lk.table)
    out = []
    for pair, slot, mandatory in placed:
        home = [inst.participant_by_id[p].table for p in pair if inst.participant_by_id[p].table]
        free = [t for t in inst.tables if t not in homes and t not in used.get(slot, set())]
        table = home[0] if home else (free[0] if free else inst.tables[0])
        used.setdefault(slot, set()).add(table)
        out.append(ScheduledMeeting(pair, slot, table, mandatory))
    return out


def brute_force(inst: Instance) -> tuple[int, ...] | None:
    """Return the best lexicographic objective over every valid schedule, or None when there is none."""
    realised = {lk.mandatory for lk in inst.locked if lk.mandatory is not None}
    fixed = [ScheduledMeeting(lk.participants, lk.slot, lk.table, lk.mandatory) for lk in inst.locked]
    taken = {frozenset(m.participants) for m in inst.meetings} | {
        frozenset(lk.participants) for lk in inst.locked
    }
    required = [(m.participants, i) for i, m in enumerate(inst.meetings) if i not in realised]
    optional = sorted(
        {tuple(sorted((w.source, w.target))) for w in inst.wishes} - {tuple(sorted(p)) for p in taken}
    )
    slot_ids = [s.id for s in inst.slots]
    best = None
    for req in itertools.product(slot_ids, repeat=len(required)):
        for opt in itertools.product([None, *slot_ids], repeat=len(optional)):
            placed = [(pair, s, i) for (pair, i), s in zip(required, req, strict=True)]
            placed += [(pair, s, None) for pair, s in zip(optional, opt, strict=True) if s is not None]
            meetings = fixed + with_tables(inst, placed)
            if violations(inst, meetings):
                continue
            values = compute_objective(inst, meetings)
            key = tuple(SENSE[t] * values[t] for t in inst.objective)
            best = key if best is None or key < best else best
    return best


def small_enough(inst: Instance) -> bool:
    """Say whether brute force stays cheap."""
    wished = {frozenset((w.source, w.target)) for w in inst.wishes}
    return (len(inst.slots) + 1) ** (len(wished) + len(inst.meetings)) <= 5000


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(instances(), st.sampled_from([1, 2]))
def test_schedules_are_valid_and_optimal(data: dict[str, Any], workers: int):
    # Two workers run CP-SAT's core-guided worker on the breaks stage (solver.solve._subsolvers).
    try:
        inst = instance_from_dict(data)
    except InstanceError:
        assume(False)
        return
    result = solve(inst, time_limit=20, workers=workers)
    assert result.status in ("optimal", "infeasible")
    if result.status == "optimal":
        assert violations(inst, result) == []
        full = compute_objective(inst, result.meetings)
        assert result.objective == {t: full[t] for t in inst.objective}
        assert {s["term"]: s["value"] for s in result.stats["stages"]} == result.objective
        assert result.bounds.get("coverage", 10**9) >= full["coverage"]
        assert result.bounds.get("weight", 10**9) >= full["weight"]
        assert result.bounds.get("breaks", 0) <= full["breaks"]
    else:
        assert result.meetings == () and result.reasons
    if small_enough(inst):
        best = brute_force(inst)
        if best is None:
            assert result.status == "infeasible"
        else:
            assert result.status == "optimal"
            assert tuple(SENSE[t] * result.objective[t] for t in inst.objective) == best
