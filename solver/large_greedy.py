"""The first-fit greedy as a starting point of the large-fair pipeline's breaks phase.

The flow selection and placement (solver.large) usually hold more than the first-fit greedy (solver.firstfit),
but not always: on the demo fair, whose chosen meetings fill every table of every slot, the placement leaves
some out and the re-selection's wish value falls under the greedy's, on a quiet machine as on a busy one. The
safety net (solver.safety) then returned the greedy's schedule as it is, with its breaks never minimised (at
30 s: 231 breaks, where the search had 107, for 3 points of wish value). So when the greedy's schedule ranks
higher on the terms before breaks, the breaks phase starts from it instead: the answer keeps the greedy's
coverage and value, with its breaks minimised.
"""

from __future__ import annotations

from typing import Any

from solver.large_place import Board
from solver.objective import compute_objective
from solver.safety import SENSE
from solver.schedule import ScheduledMeeting, SolveResult
from solver.validate import violations


def ahead(inst: Any, greedy: dict[str, int], board: dict[str, int]) -> bool:
    """Tell whether the greedy's objective ranks higher than the board's on the terms before breaks."""
    terms = [t for t in inst.objective if t != "breaks"]
    return tuple(SENSE[t] * greedy[t] for t in terms) > tuple(SENSE[t] * board[t] for t in terms)


def greedy_board(like: Board, greedy: SolveResult) -> Board | None:
    """Return a board on like's frame holding the greedy's meetings (None when one has no item to hold it)."""
    m = like.m
    pidx = {p.id: k for k, p in enumerate(m.inst.participants)}
    sidx = {s.id: k for k, s in enumerate(m.inst.slots)}
    mandatory: dict[int, int] = {}
    locked: dict[tuple[tuple[int, int], int], int] = {}
    optional: dict[tuple[int, int], int] = {}
    for k, item in enumerate(m.items):
        if item.locked is not None and item.mandatory is None:
            locked[item.pair, item.slots[0]] = k
        elif item.mandatory is not None:
            mandatory[item.mandatory] = k
        elif not item.required:
            optional[item.pair] = k
    board = Board(m)
    for meeting in greedy.meetings:
        a, b = sorted(pidx[p] for p in meeting.participants)
        t = sidx[meeting.slot]
        if meeting.mandatory is not None:
            held = mandatory.get(meeting.mandatory)
        else:
            held = locked.get(((a, b), t), optional.get((a, b)))
        if held is None or held in board.slot_of or t not in m.items[held].slots:
            return None
        seat = None if meeting.table in board.pool else meeting.table
        board.put(held, t, seat if seat in board.classes[held] else None)
    return board


def _untabled(board: Board) -> tuple[ScheduledMeeting, ...]:
    """Return the board's meetings, all at one table: coverage, weight and breaks do not look at tables."""
    inst, items = board.m.inst, board.items
    out = []
    for k, t in board.slot_of.items():
        a, b = items[k].pair
        pair = (inst.participants[a].id, inst.participants[b].id)
        out.append(ScheduledMeeting(pair, inst.slots[t].id, inst.tables[0], items[k].mandatory))
    return tuple(out)


def better_start(board: Board, greedy: SolveResult | None) -> tuple[Board, bool]:
    """Return the board the breaks phase starts from, and whether it is the greedy's."""
    if greedy is None or not greedy.meetings:
        return board, False
    inst = board.m.inst
    held = compute_objective(inst, _untabled(board))
    if not ahead(inst, compute_objective(inst, greedy.meetings), held) or violations(inst, greedy):
        return board, False
    start = greedy_board(board, greedy)
    return (start, True) if start is not None else (board, False)
