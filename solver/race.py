"""Deterministic races: searches side by side whose winner never depends on which thread runs faster.

A lane runs single-worker CP-SAT searches one after another in its own thread, following a plan. The plan
returns an outcome when the lane concludes (for example "found a schedule" or "proved the bound"), or None.
A lane's conclusion time is the deterministic time (CP-SAT's own unit of work) of all its searches so far,
so the race's winner, the lane that concludes in the least deterministic time (the first lane on a tie), is
the same on a busy machine as on a quiet one. Every search runs with its own budget, never one that depends
on the other lanes, so it follows the same path in every run. Lanes are stopped as soon as they can no
longer win: when the searches they finished already took longer than the best conclusion, or when their
running search, stopped and measured, did; a search stopped short of that point runs again from its start,
as far as that point (where it would have had to prove something to win).
Lanes that an outcome rules out (no conclusion of theirs could stand beside it: a schedule rules out a
proof of infeasibility) stop at once, without measuring: the outcome is the same whichever lane reaches
it first, but not the deterministic time it took (measuring a max_lp lane up to a no_lp lane's conclusion
cost seconds on the clock for the same answer). That time is counted apart (Run.raced), out of the
deterministic time that budgets depend on.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

from solver.search import Run, Settings, search

if TYPE_CHECKING:
    from solver.model import Model

PROOFS = (cp_model.OPTIMAL, cp_model.INFEASIBLE)


class Lost(Exception):
    """Raised in a plan when its lane can no longer win the race."""


@dataclass
class Lane:
    """One side of a race: a plan of searches, what it spent, and how it ended."""

    plan: Callable[[Lane], Any]
    spent: float = 0.0
    out: bool = False  # ruled out by another lane's outcome
    outcome: Any = None
    concluded_at: float | None = None
    result: Any = None  # what the plan keeps when it does not conclude (its best schedule, say)
    error: BaseException | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    gone: threading.Event = field(default_factory=threading.Event)  # set when ruled out
    race: Race | None = None

    def search(
        self,
        m: Model,
        settings: Settings,
        info: dict[str, Any] | None = None,
        hook: Callable[[], None] | None = None,
    ) -> tuple[Any, cp_model.CpSolver]:
        """Run one search of the plan, within what the race leaves this lane; raise Lost when out of it."""
        race = self.race
        if race is None:
            raise RuntimeError("a lane searches only inside a race")
        self.stop.clear()
        if self.out or self.spent >= race.horizon() or race.run.cancelled:
            raise Lost
        if math.isfinite(race.horizon()):  # a lane concluded already: search no further than it did
            status, solver = self._search_to_horizon(race, m, settings, info, hook)
            self.spent += solver.deterministic_time
            return status, solver
        status, solver = search(m, race.run, settings, info, self.stop, hook, counted=False)
        if self.stop.is_set() and status not in PROOFS:
            # Stopped by the race: lost if it got as far as the best conclusion, else searched again from
            # the start (a search stopped halfway says nothing about where its path leads), but only as far
            # as the best conclusion: one worker follows the same path whatever its budget, so a search cut
            # there without a proof could not have concluded first.
            if self.out or self.spent + solver.deterministic_time >= race.horizon():
                raise Lost
            status, solver = self._search_to_horizon(race, m, settings, info, hook)
        self.spent += solver.deterministic_time
        return status, solver

    def _search_to_horizon(
        self,
        race: Race,
        m: Model,
        settings: Settings,
        info: dict[str, Any] | None,
        hook: Callable[[], None] | None,
    ) -> tuple[Any, cp_model.CpSolver]:
        """Search again, at most up to the race's horizon; raise Lost when cut there or ruled out."""
        limit = race.horizon() - self.spent
        cut = settings.dtime > limit
        status, solver = search(
            m, race.run, settings.with_dtime(limit) if cut else settings, info, self.gone, hook, counted=False
        )
        if self.out or (cut and status not in PROOFS):
            raise Lost
        return status, solver


@dataclass
class Race:
    """Lanes run side by side; `run` returns the winner (or None when no lane concludes)."""

    run: Run
    lanes: list[Lane]
    excludes: Callable[[Any, Lane], bool] = lambda outcome, lane: False  # the outcome rules the lane out
    lock: threading.Lock = field(default_factory=threading.Lock)
    ruled_out: bool = False  # an outcome ruled a lane out: which lane won depends on the threads' speed

    def horizon(self) -> float:
        """Return the least deterministic time at which a lane has concluded so far (inf if none)."""
        with self.lock:
            times = [lane.concluded_at for lane in self.lanes if lane.concluded_at is not None]
        return min(times, default=math.inf)

    def _follow(self, lane: Lane) -> None:
        """Run one lane's plan and record how it ends."""
        try:
            outcome = lane.plan(lane)
        except Lost:
            outcome = None
        except BaseException as exc:  # re-raised by winner(), in the caller's thread
            lane.error, outcome = exc, None
            for other in self.lanes:
                other.out = True
                other.gone.set()
                other.stop.set()
        if outcome is None:
            return
        with self.lock:
            lane.outcome, lane.concluded_at = outcome, lane.spent
        for other in self.lanes:
            if other is not lane:
                if self.excludes(outcome, other):
                    other.out, self.ruled_out = True, True
                    other.gone.set()
                other.stop.set()  # the others measure themselves against the new horizon, or stop

    def winner(self) -> Lane | None:
        """Run every lane to its end and return the one that concluded first in deterministic time."""
        for lane in self.lanes:
            lane.race = self
        threads = [threading.Thread(target=self._follow, args=(lane,), daemon=True) for lane in self.lanes]
        for thread in threads[1:]:
            thread.start()
        self._follow(self.lanes[0])
        for thread in threads[1:]:
            thread.join()
        for lane in self.lanes:
            if lane.error is not None:
                raise lane.error
        done = [(lane.concluded_at, i) for i, lane in enumerate(self.lanes) if lane.concluded_at is not None]
        took = min(done)[0] if done else max(lane.spent for lane in self.lanes)
        # The race's deterministic time: what its winner took, or its longest lane; apart when a lane was
        # ruled out (it could have concluded first, in less deterministic time, on another machine).
        self.run.count(took, raced=self.ruled_out)
        return self.lanes[min(done)[1]] if done else None
