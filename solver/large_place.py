"""Greedy placement of chosen meetings in slots (a list edge colouring), with one-move repairs and a fill.

The board respects availability (items only list slots both can attend), one meeting per person and slot,
the pool of non-home tables and one meeting per home table and slot. Precedence is left to CP-SAT.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from solver.model import Item, Model, table_classes

Links = dict[int, list[int]]


class Board:
    """Who meets when, and how many meetings each table class holds per slot."""

    def __init__(self, m: Model) -> None:
        self.m = m
        self.items = m.items
        self.pool = set(m.pool)
        self.at: dict[tuple[int, int], int] = {}  # (participant, slot) -> item
        self.load: dict[tuple[int, str | None], int] = defaultdict(int)
        self.slot_of: dict[int, int] = {}
        self.seat: dict[int, str | None] = {}  # the table class each placed item uses
        self.classes = [table_classes(item, self.pool) for item in m.items]
        self.count = [0] * len(m.inst.participants)
        self.earlier, self.later = precedence_links(m.items, m.inst.meetings)

    def in_order(self, k: int, t: int) -> bool:
        """Tell whether slot t keeps item k after its placed predecessors and before its successors."""
        if k not in self.earlier and k not in self.later:
            return True
        return all(self.slot_of.get(j, -1) < t for j in self.earlier.get(k, ())) and all(
            self.slot_of.get(j, t + 1) > t for j in self.later.get(k, ())
        )

    def _room(self, k: int, t: int, ignore: tuple[int, ...] = ()) -> tuple[bool, str | None]:
        """Return whether a table class of item k has room at slot t, and the first that has (None: pool)."""
        for c in self.classes[k]:
            limit = len(self.pool) if c is None else 1
            held = self.load.get((t, c), 0)
            if ignore:
                held -= sum(1 for j in ignore if self.slot_of.get(j) == t and self.seat.get(j) == c)
            if held < limit:
                return True, c
        return False, None

    def fits(self, k: int, t: int, ignore: tuple[int, ...] = ()) -> bool:
        """Tell whether item k can be held at slot t (items in `ignore` count as moved away)."""
        a, b = self.items[k].pair
        for p in (a, b):
            other = self.at.get((p, t))
            if other is not None and other not in ignore:
                return False
        return self.in_order(k, t) and self._room(k, t, ignore)[0]

    def free_slots(self, k: int) -> list[int]:
        """Return the slots where item k fits now."""
        a, b = self.items[k].pair
        at = self.at
        return [t for t in self.items[k].slots if (a, t) not in at and (b, t) not in at and self.fits(k, t)]

    def put(self, k: int, t: int, seat: str | None = None) -> None:
        """Hold item k at slot t, at the given table class or else the first with room (None: the pool)."""
        c = seat if seat is not None else self._room(k, t)[1]
        for p in self.items[k].pair:
            self.at[p, t] = k
            self.count[p] += 1
        self.load[t, c] += 1
        self.slot_of[k] = t
        self.seat[k] = c

    def take(self, k: int) -> int:
        """Remove item k from the board and return its slot."""
        t = self.slot_of.pop(k)
        for p in self.items[k].pair:
            del self.at[p, t]
            self.count[p] -= 1
        self.load[t, self.seat.pop(k)] -= 1
        return t

    def touch(self, k: int, t: int) -> int:
        """Count the neighbouring slots where the item's participants already meet (fewer breaks)."""
        a, b = self.items[k].pair
        at = self.at
        return ((a, t - 1) in at) + ((a, t + 1) in at) + ((b, t - 1) in at) + ((b, t + 1) in at)

    def place(self, k: int) -> bool:
        """Hold item k at its best free slot, if any."""
        free = self.free_slots(k)
        if not free:
            return False
        self.put(k, max(free, key=lambda t: (self.touch(k, t), -t)))
        return True

    def blockers(self, k: int, t: int) -> tuple[int, ...]:
        """Return the movable items that keep item k out of slot t."""
        found = {self.at[p, t] for p in self.items[k].pair if (p, t) in self.at}
        return tuple(j for j in found if len(self.items[j].slots) > 1)

    def relocate(self, k: int) -> bool:
        """Place item k by moving the one or two meetings blocking one of its slots elsewhere."""
        for t in self.items[k].slots:
            movers = self.blockers(k, t)
            if not movers or not self.fits(k, t, movers):
                continue
            old = [self.take(j) for j in movers]
            targets = self._new_slots(movers, t)
            if targets is not None:
                self.put(k, t)
                for j, s in zip(movers, targets, strict=True):
                    self.put(j, s)
                return True
            for j, s in zip(movers, old, strict=True):
                self.put(j, s)
        return False

    def _new_slots(self, movers: tuple[int, ...], banned: int) -> list[int] | None:
        """Find other slots for the removed movers (placed one by one), or None; leaves the board as found."""
        done: list[int] = []
        for j in movers:
            free = [s for s in self.items[j].slots if s != banned and self.fits(j, s)]
            if not free:
                for d in done:
                    self.take(d)
                return None
            self.put(j, max(free, key=lambda s: (self.touch(j, s), -s)))
            done.append(j)
        return [self.take(j) for j in done]


def kempe(board: Board, k: int) -> bool:
    """Place item k by swapping slots alpha/beta along an alternating path (Koenig's edge colouring)."""
    a, b = board.items[k].pair
    slots = board.items[k].slots
    for alpha in (t for t in slots if (a, t) not in board.at):
        for beta in (t for t in slots if (b, t) not in board.at and t != alpha):
            path: list[int] = []
            p, colour = b, alpha
            while (p, colour) in board.at and len(path) <= 2 * len(board.count):
                j = board.at[p, colour]
                path.append(j)
                p = next(q for q in board.items[j].pair if q != p)
                colour = beta if colour == alpha else alpha
            if a in {q for j in path for q in board.items[j].pair} or not _swap(board, path, alpha, beta):
                continue
            if board.fits(k, alpha):
                board.put(k, alpha)
                return True
            _swap(board, path, alpha, beta)
    return False


def _swap(board: Board, path: list[int], alpha: int, beta: int) -> bool:
    """Swap the slots alpha and beta of the path's items if every item fits; leave it as found otherwise."""
    old = {j: board.take(j) for j in path}
    new = {j: beta if t == alpha else alpha for j, t in old.items()}
    done: list[int] = []
    for j in path:
        if new[j] not in board.items[j].slots or not board.fits(j, new[j]):
            for d in done:
                board.take(d)
            for i, t in old.items():
                board.put(i, t)
            return False
        board.put(j, new[j])
        done.append(j)
    return True


def place_greedy(m: Model, order: list[int]) -> tuple[Board, list[int]]:
    """Place items in order (fixed ones first), repair the misses; return the board and the unplaced."""
    board = Board(m)
    missed = [k for k in order if not board.place(k)]
    left = [k for k in missed if not board.relocate(k) and not kempe(board, k)]
    return board, left


def precedence_links(items: list[Item], meetings: Sequence[Any]) -> tuple[Links, Links]:
    """Return, per item, the items that must be held before it and those that must be held after it."""
    item_of = {it.mandatory: k for k, it in enumerate(items) if it.mandatory is not None}
    earlier: Links = defaultdict(list)
    later: Links = defaultdict(list)
    for i, mm in enumerate(meetings):
        for j in mm.after:
            if i in item_of and j in item_of:
                earlier[item_of[i]].append(item_of[j])
                later[item_of[j]].append(item_of[i])
    return earlier, later


def _depth(items: list[Item], meetings: Sequence[Any]) -> dict[int, int]:
    """Return each mandatory item's number of predecessor levels (so chains are placed in order)."""
    earlier, _ = precedence_links(items, meetings)
    depth: dict[int, int] = {}
    for _ in range(len(earlier) + 1):  # relaxation; cycles (infeasible anyway) just stop growing
        for k, preds in earlier.items():
            depth[k] = 1 + max(depth.get(j, 0) for j in preds)
    return depth


def placement_order(items: list[Item], ks: list[int], meetings: Sequence[Any] = ()) -> list[int]:
    """Order items: required ones first (predecessors first), then fewest slots, busiest participants."""
    depth = _depth(items, meetings)
    degree: dict[int, int] = defaultdict(int)
    for k in ks:
        for p in items[k].pair:
            degree[p] += 1
    return sorted(
        ks,
        key=lambda k: (
            not items[k].required,
            depth.get(k, 0),
            len(items[k].slots),
            -max(degree[p] for p in items[k].pair),
        ),
    )


def fill(
    board: Board, candidates: list[int], caps: list[int], values: dict[tuple[int, int], int]
) -> list[int]:
    """Add unchosen pairs wherever both are free (uncovered participants, then value); return them."""
    covered = {p for p in range(len(caps)) if board.count[p]}
    order = sorted(
        candidates,
        key=lambda k: (-len(set(board.items[k].pair) - covered), -values.get(board.items[k].pair, 0)),
    )
    added = []
    for k in order:
        a, b = board.items[k].pair
        if board.count[a] < caps[a] and board.count[b] < caps[b] and board.place(k):
            added.append(k)
            covered.update((a, b))
    return added
