"""Deterministic races: searches side by side whose winner never depends on which thread runs faster.

A lane runs single-worker CP-SAT searches one after another in its own thread, following a plan. The plan
returns an outcome when the lane concludes (for example "found a schedule" or "proved the bound"), or None.
A lane's conclusion time is the deterministic time (CP-SAT's own unit of work) of all its searches so far,
so the race's winner, the lane that concludes in the least deterministic time (the first lane on a tie), is
the same on a busy machine as on a quiet one. Lanes are stopped as soon as they can no longer win: when the
searches they finished already took longer than the best conclusion, or when their running search,
stopped and measured, did. A search stopped short of that point runs again up to it (a search with one
worker follows the same path whatever its budget, so it reaches the same state); a search cut at that
point counts only if it proved something (a schedule found by then is not the conclusion the lane would
have reached with its whole budget). Lanes that an outcome
rules out (no conclusion of theirs could stand beside it: a schedule rules out a proof of infeasibility)
stop at once, without measuring.
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
        while True:
            self.stop.clear()
            horizon = race.horizon()
            if self.out or self.spent >= horizon or race.run.cancelled:
                raise Lost
            cut = horizon - self.spent < settings.dtime  # the race's horizon comes before the budget's end
            settings_now = settings.with_dtime(min(settings.dtime, horizon - self.spent))
            status, solver = search(m, race.run, settings_now, info, self.stop, hook, counted=False)
            if status in PROOFS or not (self.stop.is_set() or cut):
                self.spent += solver.deterministic_time
                return status, solver
            if not self.stop.is_set():  # it ran up to the horizon without a proof: it cannot win
                raise Lost
            # Stopped by the race: search again up to the new horizon unless it got that far already.
            if self.out or self.spent + solver.deterministic_time >= race.horizon():
                raise Lost


@dataclass
class Race:
    """Lanes run side by side; `run` returns the winner (or None when no lane concludes)."""

    run: Run
    lanes: list[Lane]
    excludes: Callable[[Any, Lane], bool] = lambda outcome, lane: False  # the outcome rules the lane out
    lock: threading.Lock = field(default_factory=threading.Lock)

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
                other.stop.set()
        if outcome is None:
            return
        with self.lock:
            lane.outcome, lane.concluded_at = outcome, lane.spent
        for other in self.lanes:
            if other is not lane:
                other.out = other.out or self.excludes(outcome, other)
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
        self.run.count(took)  # the race's deterministic time: what its winner took, or its longest lane
        return self.lanes[min(done)[1]] if done else None
