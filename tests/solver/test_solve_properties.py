"""Random small instances: every schedule is valid, and brute force confirms optimum and infeasibility.

The instances use every field of the format, the away_meetings extension (docs/format) included; wishes
join any two participants, so buyers and suppliers also wish their own side.
"""

from __future__ import annotations

import itertools
import os
from typing import Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from solver.bounds_degree import forced_breaks
from solver.instance import Instance, InstanceError, away_tables, instance_from_dict
from solver.model import make_items
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
        if draw(st.integers(0, 3)) == 0:  # home tables, sometimes shared by two owners
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
        "away_meetings": draw(st.sampled_from(["none", "home", "home-or-shared"])),
    }


def allowed_tables(inst: Instance, pair: tuple[str, str]) -> list[str]:
    """Return the tables where a pair may meet: home tables (away_meetings), else the unowned ones."""
    homes = {p.table for p in inst.participants if p.table}
    unowned = [t for t in inst.tables if t not in homes]
    away = away_tables(inst, *pair)
    if away is not None:
        return [t for t in away if t is not None] + (unowned if None in away else [])
    home = [inst.participant_by_id[p].table for p in pair if inst.participant_by_id[p].table]
    return [str(home[0])] if home else unowned


def match_tables(inst: Instance, pairs: list[tuple[str, str]], taken: set[str]) -> dict[str, int] | None:
    """Give each pair meeting in one slot a different table it may use (augmenting paths), or None."""
    owner: dict[str, int] = {}

    def augment(i: int, seen: set[str]) -> bool:
        for t in allowed_tables(inst, pairs[i]):
            if t not in seen and t not in taken:
                seen.add(t)
                if t not in owner or augment(owner[t], seen):
                    owner[t] = i
                    return True
        return False

    return owner if all(augment(i, set()) for i in range(len(pairs))) else None


def with_tables(
    inst: Instance, placed: list[tuple[tuple[str, str], str, int | None]]
) -> list[ScheduledMeeting] | None:
    """Give each meeting a table it may use, none twice in a slot; None when that is impossible."""
    used: dict[str, set[str]] = {}
    for lk in inst.locked:  # locked meetings already hold their tables
        used.setdefault(lk.slot, set()).add(lk.table)
    tables: dict[int, str] = {}
    for slot in {s for _, s, _ in placed}:
        here = [i for i, (_, s, _) in enumerate(placed) if s == slot]
        owner = match_tables(inst, [placed[i][0] for i in here], used.get(slot, set()))
        if owner is None:
            return None
        tables.update((here[j], t) for t, j in owner.items())
    return [
        ScheduledMeeting(pair, slot, tables[i], mandatory) for i, (pair, slot, mandatory) in enumerate(placed)
    ]


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
            tabled = with_tables(inst, placed)
            if tabled is None:
                continue
            meetings = fixed + tabled
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


@st.composite
def exhibitor_fairs(draw: st.DrawFn) -> dict[str, Any]:
    """Draw an instance whose participants all have home tables (some shared), meeting away from them."""
    data = draw(instances())
    tables = data["tables"] + ["S"] * draw(st.integers(0, 1))  # sometimes a table nobody owns
    data["tables"] = tables
    owned = [t for t in tables if t != "S"]
    for part in data["participants"]:
        part["table"] = draw(st.sampled_from(owned))
    data["away_meetings"] = draw(st.sampled_from(["home", "home-or-shared"]))
    return data


SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


@SETTINGS
@given(instances(), st.sampled_from([1, 2]))
def test_schedules_are_valid_and_optimal(data: dict[str, Any], workers: int):
    check_against_brute_force(data, workers)


@SETTINGS
@given(exhibitor_fairs(), st.sampled_from([1, 2]))
def test_exhibitors_meeting_away_are_valid_and_optimal(data: dict[str, Any], workers: int):
    check_against_brute_force(data, workers)


def breaks_given_the_rest(inst: Instance, result: Any) -> int:
    """Return the proved breaks bound given the coverage and weight of an optimal result (0 if breaks
    are not last), which must not exceed its breaks (solver/bounds_degree.py)."""
    if inst.objective[-1] != "breaks" or len(inst.objective) == 1:
        return 0
    index = {p.id: i for i, p in enumerate(inst.participants)}
    counts = [0] * len(inst.participants)
    for m in result.meetings:
        for p in m.participants:
            counts[index[p]] += 1
    floors = {t: v for t, v in result.objective.items() if t != "breaks"}
    return forced_breaks(inst, make_items(inst), floors, counts)["breaks"]


def check_against_brute_force(data: dict[str, Any], workers: int) -> None:
    """Solve; the result is valid, reports its objective, and brute force agrees on small instances."""
    try:
        inst = instance_from_dict(data)
    except InstanceError:
        assume(False)
        return
    by_id = inst.participant_by_id
    wished = {(w.source, w.target) for w in inst.wishes}
    if any(away_tables(inst, a, b) for a, b in wished):
        event("a wished pair may meet at a home table that is not its own (away_meetings)")
    if any(by_id[a].side == by_id[b].side for a, b in wished):
        event("a wish within one side")
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
        assert breaks_given_the_rest(inst, result) <= full["breaks"]
    else:
        assert result.meetings == () and result.reasons
    if small_enough(inst):
        best = brute_force(inst)
        if best is None:
            assert result.status == "infeasible"
        else:
            assert result.status == "optimal"
            assert tuple(SENSE[t] * result.objective[t] for t in inst.objective) == best
