"""One test per validator rule id: each schedule breaks exactly that rule (spec section 2)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from solver.schedule import ScheduledMeeting, SolveResult
from solver.validate import COMPLETENESS_RULES, RULES, Violation, violations, violations_of_meetings
from tests.solver.small import MINI, MINI_MEETINGS, MINI_OBJECTIVE, meet, mini, tiny


def rules(found: list[Violation]) -> Counter[str]:
    """Return the multiset of rule ids."""
    return Counter(v.rule for v in found)


def changed(index: int, **fields: object) -> list[ScheduledMeeting]:
    """Return MINI_MEETINGS with one meeting's fields replaced."""
    meetings = list(MINI_MEETINGS)
    meetings[index] = replace(meetings[index], **fields)  # type: ignore[arg-type]
    return meetings


def people(**changes: dict[str, object]) -> list[dict[str, object]]:
    """Return MINI's participants with some fields changed, by participant id."""
    return [{**p, **changes.get(p["id"], {})} for p in MINI["participants"]]


def mandatory(**changes: dict[str, object]) -> list[dict[str, object]]:
    """Return MINI's mandatory meetings with some fields changed (keys m0, m1)."""
    return [{**m, **changes.get(f"m{k}", {})} for k, m in enumerate(MINI["meetings"])]


def test_valid_schedule_has_no_violation() -> None:
    assert violations(mini(), MINI_MEETINGS) == []


def test_unknown_id_for_unknown_table_is_reported_once_and_left_out() -> None:
    found = violations(mini(), changed(2, table="Z"))
    assert [(v.rule, v.ids) for v in found] == [("unknown-id", (2,))]


@pytest.mark.parametrize(
    "meeting",
    [
        ScheduledMeeting(("b2", "nobody"), "pm2", "C"),
        ScheduledMeeting(("b2", "b2"), "pm2", "C"),
        ScheduledMeeting(("b2", "s2"), "x9", "C"),
        ScheduledMeeting(("", ""), "", "", problem="not an object"),
    ],
)
def test_unknown_id_for_malformed_meetings(meeting: ScheduledMeeting) -> None:
    assert rules(violations(mini(), [*MINI_MEETINGS, meeting])) == Counter({"unknown-id": 1})


def test_unwished_pair() -> None:
    found = violations(mini(), [*MINI_MEETINGS, meet("b2", "b3", "pm1", "C")])
    assert [(v.rule, v.ids) for v in found] == [("unwished-pair", (6, "b2", "b3"))]


def test_pair_twice() -> None:
    found = violations(mini(), [*MINI_MEETINGS, meet("s2", "b2", "pm2", "B")])
    assert rules(found) == Counter({"pair-twice": 1})


def test_pair_with_two_mandatory_meetings_may_meet_twice() -> None:
    inst = tiny(meetings=[{"participants": ["p1", "p2"]}, {"participants": ["p2", "p1"]}])
    assert violations(inst, [meet("p1", "p2", "t1", "1", 0), meet("p2", "p1", "t2", "1", 1)]) == []


def test_person_double_booked() -> None:
    found = violations(mini(), changed(5, slot="am2", table="C"))
    assert [(v.rule, v.ids[:2]) for v in found] == [("person-double-booked", ("s2", "am2"))]


def test_table_double_booked() -> None:
    found = violations(tiny(), [meet("p1", "p2", "t1", "1"), meet("p3", "p4", "t1", "1")])
    assert [(v.rule, v.ids) for v in found] == [("table-double-booked", ("1", "t1", 0, 1))]


def test_unavailable() -> None:
    inst = mini(participants=people(b3={"unavailable": ["am1"]}))
    assert [(v.rule, v.ids) for v in violations(inst, MINI_MEETINGS)] == [("unavailable", (5, "b3", "am1"))]


def test_home_table_owner_away() -> None:
    found = violations(mini(), changed(4, table="C"))
    assert [(v.rule, v.ids) for v in found] == [("home-table", (4, "s1", "C"))]


def test_home_table_used_by_strangers() -> None:
    inst = tiny(participants=[{"id": "p1"}, {"id": "p2"}, {"id": "p3", "table": "2"}, {"id": "p4"}])
    found = violations(inst, [meet("p1", "p2", "t1", "2"), meet("p3", "p4", "t2", "2")])
    assert [(v.rule, v.ids) for v in found] == [("home-table", (0, "2"))]


def test_home_table_both_kinds_hit_one_meeting() -> None:
    owners = [{"id": "p1", "table": "1"}, {"id": "p2"}, {"id": "p3", "table": "2"}, {"id": "p4"}]
    found = violations(tiny(participants=owners), [meet("p1", "p2", "t1", "2")])
    assert rules(found) == Counter({"home-table": 2})


def test_max_meetings() -> None:
    inst = mini(participants=people(b1={"max_meetings": 1}))
    assert [(v.rule, v.ids) for v in violations(inst, MINI_MEETINGS)] == [("max-meetings", ("b1",))]


def test_min_meetings() -> None:
    inst = mini(participants=people(b2={"min_meetings": 3}))
    assert [(v.rule, v.ids) for v in violations(inst, MINI_MEETINGS)] == [("min-meetings", ("b2",))]


@pytest.mark.parametrize("index", [0, 7, -1])
def test_mandatory_mismatch_wrong_index(index: int) -> None:
    found = violations(mini(), changed(2, mandatory=index))
    assert [(v.rule, v.ids) for v in found] == [("mandatory-mismatch", (2, index))]


def test_mandatory_mismatch_realised_twice_skips_its_other_checks() -> None:
    extra = meet("s1", "b2", "pm1", "A", 0)  # outside session am: not reported, realised twice
    found = violations(mini(), [*MINI_MEETINGS, extra])
    assert rules(found) == Counter({"mandatory-mismatch": 1, "pair-twice": 1})


def test_mandatory_missing_when_unmarked() -> None:
    found = violations(mini(), changed(1, mandatory=None))
    assert [(v.rule, v.ids) for v in found] == [("mandatory-missing", (0, "b2", "s1"))]


def test_wrong_session() -> None:
    inst = mini(meetings=mandatory(m0={"session": "pm"}))
    assert [(v.rule, v.ids) for v in violations(inst, MINI_MEETINGS)] == [("wrong-session", (0, "am1"))]


def test_wrong_fixed_slot() -> None:
    inst = mini(meetings=mandatory(m1={"slot": "pm1"}))
    assert [(v.rule, v.ids) for v in violations(inst, MINI_MEETINGS)] == [("wrong-fixed-slot", (1, "pm2"))]


def test_precedence() -> None:
    inst = mini(meetings=mandatory(m0={"after": [1]}, m1={"after": []}))
    assert [(v.rule, v.ids) for v in violations(inst, MINI_MEETINGS)] == [("precedence", (1, 0))]


def test_precedence_same_slot_is_not_strictly_earlier() -> None:
    inst = tiny(meetings=[{"participants": ["p1", "p2"]}, {"participants": ["p3", "p4"], "after": [0]}])
    found = violations(inst, [meet("p1", "p2", "t2", "1", 0), meet("p3", "p4", "t2", "2", 1)])
    assert [(v.rule, v.ids) for v in found] == [("precedence", (0, 1))]


def test_locked_moved() -> None:
    found = violations(mini(), changed(3, table="C"))
    assert [(v.rule, v.ids) for v in found] == [("locked-moved", (0, "b1", "s2"))]


def test_break_spread() -> None:
    inst = mini(breaks_within="all", max_break_spread=0)
    assert rules(violations(inst, MINI_MEETINGS)) == Counter({"break-spread": 1})
    assert violations(mini(breaks_within="all", max_break_spread=1), MINI_MEETINGS) == []


def test_break_spread_counts_participants_without_meetings() -> None:
    inst = tiny(people=6, max_break_spread=0)
    assert rules(violations(inst, [meet("p1", "p2", "t1", "1"), meet("p1", "p2", "t3", "1")])) == Counter(
        {"break-spread": 1, "pair-twice": 1}
    )


@pytest.mark.parametrize(
    "reported",
    [
        {"coverage": 5, "weight": 15, "breaks": 0},
        {"coverage": 5, "weight": 16},
        {**MINI_OBJECTIVE, "breaks": False},
    ],
)
def test_objective_mismatch(reported: dict[str, object]) -> None:
    result = SolveResult("feasible", MINI_MEETINGS, objective=reported)
    assert rules(violations(mini(), result)) == Counter({"objective-mismatch": 1})


def test_objective_checked_only_for_optimal_and_feasible() -> None:
    assert violations(mini(), SolveResult("optimal", MINI_MEETINGS, objective=MINI_OBJECTIVE)) == []
    assert violations(mini(), SolveResult("unknown", (), objective={})) != []  # mandatory meetings missing
    assert rules(violations(mini(), SolveResult("unknown", MINI_MEETINGS))) == Counter()


def test_every_rule_id_is_known() -> None:
    assert len(RULES) == len(set(RULES)) == 17
    assert COMPLETENESS_RULES <= set(RULES)


def test_partial_schedule_skips_completeness_rules() -> None:
    inst = mini(participants=people(b2={"min_meetings": 3}), max_break_spread=0, breaks_within="all")
    partial = [MINI_MEETINGS[3], MINI_MEETINGS[5]]  # s2 meets at am1 and pm1: one break
    assert rules(violations_of_meetings(inst, partial)) == Counter(
        {"min-meetings": 1, "mandatory-missing": 2, "break-spread": 1}
    )
    assert violations_of_meetings(inst, partial, complete=False) == []
    moved = [replace(m, table="C") if m.participants == ("b1", "s2") else m for m in partial]
    assert rules(violations_of_meetings(inst, moved, complete=False)) == Counter({"locked-moved": 1})
    assert violations_of_meetings(inst, moved, complete=False, skip={"locked-moved"}) == []


def test_partial_schedule_still_reports_hard_rules() -> None:
    partial = [*MINI_MEETINGS[:2], meet("b1", "s1", "am1", "A")]
    found = violations_of_meetings(mini(), partial, complete=False, skip={"locked-moved"})
    expected = {"unavailable": 1, "pair-twice": 1, "person-double-booked": 1, "table-double-booked": 1}
    assert rules(found) == Counter(expected)


def test_violation_prints_rule_and_ids() -> None:
    assert str(Violation("precedence", (1, 0), "...")) == "precedence: 1, 0"
