"""The large-fair pipeline starts its breaks phase from the first-fit greedy when the greedy holds more."""

from __future__ import annotations

import dataclasses

import pytest

import solver.large as large
from bench.synthetic import make_fair
from solver.firstfit import greedy_schedule
from solver.instance import Instance, LockedMeeting, MandatoryMeeting
from solver.large_cp import instance_frame
from solver.large_greedy import ahead, better_start, greedy_board
from solver.large_place import Board
from solver.objective import compute_objective
from solver.safety import at_least
from solver.schedule import SolveResult
from solver.solve import solve
from solver.validate import violations


def fair_with_locks() -> Instance:
    """Return a 200-participant fair with a locked meeting and two mandatory ones."""
    base = make_fair(200, 3)
    buyers = [p.id for p in base.participants if p.side == "buyer"]
    suppliers = [p for p in base.participants if p.side == "supplier"]
    s0, s1 = suppliers[0], suppliers[1]
    locked = (LockedMeeting((buyers[0], s0.id), base.slots[3].id, str(s0.table)),)
    mandatory = (MandatoryMeeting((buyers[1], s1.id)), MandatoryMeeting((buyers[2], s1.id)))
    return dataclasses.replace(base, locked=locked, meetings=mandatory)


def empty_board(inst: Instance) -> Board:
    """Return an empty board on the instance's frame, as the pipeline builds it."""
    items = large.make_items(inst)
    homes = {p.table for p in inst.participants if p.table}
    return Board(instance_frame(inst, items, [t for t in inst.tables if t not in homes]))


def test_the_greedy_board_holds_the_greedys_schedule_at_its_tables() -> None:
    inst = fair_with_locks()
    greedy = greedy_schedule(inst)
    assert violations(inst, greedy) == []
    board = greedy_board(empty_board(inst), greedy)
    assert board is not None
    meetings = large.to_meetings(large._frozen(board), dict(board.slot_of))
    assert violations(inst, dataclasses.replace(greedy, meetings=meetings)) == []
    assert compute_objective(inst, meetings) == compute_objective(inst, greedy.meetings)
    held = {(m.pair, m.slot, m.table) for m in meetings}
    assert held == {(m.pair, m.slot, m.table) for m in greedy.meetings}


def test_the_board_stays_when_the_greedy_holds_no_more() -> None:
    inst = fair_with_locks()
    greedy = greedy_schedule(inst)
    board = greedy_board(empty_board(inst), greedy)
    assert board is not None
    assert better_start(board, greedy) == (board, False)
    assert better_start(empty_board(inst), None)[1] is False
    empty = empty_board(inst)
    start, taken = better_start(empty, greedy)
    assert taken and start is not empty and len(start.slot_of) == len(greedy.meetings)


def test_ahead_compares_only_the_terms_before_breaks() -> None:
    inst = make_fair(200, 1)
    assert inst.objective == ("coverage", "weight", "breaks")
    assert ahead(inst, {"coverage": 5, "weight": 1, "breaks": 50}, {"coverage": 4, "weight": 9, "breaks": 0})
    assert ahead(inst, {"coverage": 5, "weight": 9, "breaks": 50}, {"coverage": 5, "weight": 8, "breaks": 0})
    same = {"coverage": 5, "weight": 8}
    assert not ahead(inst, {**same, "breaks": 0}, {**same, "breaks": 9})


def test_breaks_are_minimised_from_the_greedy_when_the_placement_holds_less(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The demo fair at 30 s on a busy machine: the placement lost meetings, the greedy's schedule won on
    wish value and was returned with its breaks never minimised. Now they are minimised from it."""
    monkeypatch.setattr(large, "LARGE_THRESHOLD", 0)
    real = large._choose_and_place

    def short(*args: object) -> Board:
        board = real(*args)  # type: ignore[arg-type]
        for k in [k for k in board.slot_of if not board.items[k].required][::2]:
            board.take(k)  # as if the placement had left half of the wished meetings out
        return board

    monkeypatch.setattr(large, "_choose_and_place", short)
    inst = fair_with_locks()
    greedy = greedy_schedule(inst)
    result = solve(inst, time_limit=4.0, workers=1)
    assert violations(inst, result) == []
    assert result.stats["method"].startswith("decomposition")
    assert result.stats["greedy_start"] is True
    for term in ("coverage", "weight"):
        assert result.objective[term] == greedy.objective[term]
    assert result.objective["breaks"] < greedy.objective["breaks"]
    realised = {m.mandatory for m in result.meetings if m.mandatory is not None}
    assert realised == {0, 1}


def test_the_safety_net_says_which_of_its_stages_meet_their_bound() -> None:
    """A greedy schedule that reaches the coverage bound is shown as proved on that stage."""
    inst = make_fair(200, 1)
    greedy = greedy_schedule(inst)
    cover, weight = greedy.objective["coverage"], greedy.objective["weight"]
    bounds = {"coverage": cover, "weight": weight + 10, "breaks": 0}
    weaker = {**greedy.objective, "coverage": greedy.objective["coverage"] - 1}
    search = SolveResult("feasible", greedy.meetings[:-1], weaker, bounds, (), {}, inst.name)
    result = at_least(inst, search, greedy)
    assert violations(inst, result) == []
    assert result.stats["method"] == "first-fit greedy (the safety net)"
    stages = {s["term"]: s for s in result.stats["stages"]}
    assert stages["coverage"]["status"] == "optimal"
    assert stages["coverage"]["bound"] == greedy.objective["coverage"]
    assert stages["weight"]["status"] == "feasible"
    assert stages["weight"]["bound"] == greedy.objective["weight"] + 10
    assert result.status == "feasible"
