"""The greedy first-fit baseline: valid schedules, placed exactly as specified."""

from __future__ import annotations

from dataclasses import replace

from bench.greedy import greedy_schedule, unmet
from bench.synthetic import make_fair
from solver.instance import (
    Instance,
    LockedMeeting,
    MandatoryMeeting,
    Participant,
    Slot,
    Wish,
    read_dzn,
)
from solver.objective import compute_objective
from solver.schedule import ScheduledMeeting
from solver.validate import violations
from tests.shared import shared_dir


def hand_fair() -> Instance:
    """Return two suppliers at home tables, three buyers and one free table."""
    return Instance(
        slots=(Slot("t1"), Slot("t2"), Slot("t3")),
        tables=("T1", "T2", "F1"),
        participants=(
            Participant("s1", "supplier", table="T1"),
            Participant("s2", "supplier", table="T2"),
            Participant("b1", "buyer"),
            Participant("b2", "buyer", unavailable=("t1",)),
            Participant("b3", "buyer", max_meetings=1),
        ),
        wishes=(
            Wish("b1", "s1", 10),
            Wish("s1", "b1", 3),
            Wish("b2", "s1", 10),
            Wish("b3", "s2", 3),
            Wish("b3", "s1", 3),
            Wish("b1", "b2", 1),
        ),
    )


def test_greedy_places_pairs_by_value_in_their_first_free_slot() -> None:
    result = greedy_schedule(hand_fair())
    assert list(result.meetings) == [
        ScheduledMeeting(("b1", "s1"), "t1", "T1"),  # value 13
        ScheduledMeeting(("b2", "s1"), "t2", "T1"),  # value 10; b2 is away at t1
        ScheduledMeeting(("b3", "s1"), "t3", "T1"),  # value 3, (b3, s1) sorts before (b3, s2)
        ScheduledMeeting(("b1", "b2"), "t3", "F1"),  # b3 is at its cap; buyers use the free table
    ]


def test_greedy_schedule_of_hand_fair_is_valid() -> None:
    fair = hand_fair()
    result = greedy_schedule(fair)
    assert violations(fair, result) == []
    assert result.status == "feasible"
    assert result.objective == {
        "coverage": 4,
        "weight": 13 + 10 + 3 + 1,
        "breaks": 1,
    }  # s2 unmet, b1 idle at t2
    assert unmet(fair, result) == (1, 1)


def test_greedy_places_locked_then_mandatory_meetings_first() -> None:
    fair = Instance(
        slots=(Slot("a1", session="am"), Slot("a2", session="am"), Slot("p1", session="pm")),
        tables=("1", "2"),
        participants=tuple(Participant(p) for p in "wxyz"),
        wishes=(Wish("x", "w", 10),),
        meetings=(MandatoryMeeting(("x", "z"), after=(1,)), MandatoryMeeting(("z", "w"), session="am")),
        locked=(LockedMeeting(("x", "y"), "a1", "1"),),
    )
    result = greedy_schedule(fair)
    assert list(result.meetings) == [
        ScheduledMeeting(("x", "y"), "a1", "1"),
        ScheduledMeeting(("z", "w"), "a1", "2", mandatory=1),
        ScheduledMeeting(("x", "z"), "a2", "1", mandatory=0),
        ScheduledMeeting(("w", "x"), "p1", "1"),  # pairs are named in sorted order
    ]
    assert violations(fair, result) == []


def test_greedy_never_meets_two_owners_of_different_home_tables() -> None:
    fair = replace(hand_fair(), wishes=(Wish("s1", "s2", 10),))
    assert greedy_schedule(fair).meetings == ()


def test_greedy_schedule_of_synthetic_fair_is_valid() -> None:
    fair = make_fair(200, 1)
    result = greedy_schedule(fair)
    assert violations(fair, result) == []
    assert result.objective == compute_objective(fair, result.meetings)
    assert len(result.meetings) > 200


def test_greedy_breaks_no_hard_rule_on_a_girona_file() -> None:
    path = shared_dir("bench", "anchors", "b2b", "instances", "forum-13crafb.original.dzn")
    fair = read_dzn(path)
    result = greedy_schedule(fair)
    assert violations(fair, result, skip={"mandatory-missing", "break-spread"}) == []
