"""One CP-SAT search under a solve's limits, and the state those searches share (Run).

A search's own budget is deterministic time (CP-SAT's `max_deterministic_time`): the same work whatever else
runs on the machine, so with one worker its result depends on the seed alone (solver/race.py runs such
searches side by side). Several workers make CP-SAT's parallel portfolio, which is not deterministic; its
interleaved mode is, but it aborted the process (a failed internal check) on a placement model of the
convention fair, so it is not used. The solve's wall-clock limit stays the overall cap of every search.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from solver.model import Model

Progress = Callable[[dict[str, Any]], None]
Kept = list[tuple[str, int, bool, bool]]  # term, value, proved, maximised
FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass
class Run:
    """Settings and shared state of one solve call."""

    start: float
    deadline: float
    workers: int
    seed: int
    progress: Progress | None
    should_stop: Callable[[], bool] | None
    cancelled: bool = False
    stages: list[dict[str, Any]] = field(default_factory=list)
    kept: Kept = field(default_factory=list)
    probe: dict[str, Any] | None = None
    dtime: float = 0.0  # deterministic time so far: searches, and races as long as their winner took
    dtime_all: float = 0.0  # every search's deterministic time, also the losers' of races
    raced: float = 0.0  # races an outcome decided by ruling lanes out (solver/race.py): not in dtime
    found: tuple[Model, list[int]] | None = None  # a schedule found on the way (the probe's): a last resort
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def left(self) -> float:
        """Return the seconds left before the deadline."""
        return max(0.0, self.deadline - time.monotonic())

    def elapsed(self) -> float:
        """Return the seconds since the solve started."""
        return time.monotonic() - self.start

    def spend(self, dtime: float, counted: bool = True) -> None:
        """Count the deterministic time of a finished search (searches may run in threads).

        A race's searches are not counted one by one: the race counts the time its winner took.
        """
        with self.lock:
            self.dtime += dtime if counted else 0.0
            self.dtime_all += dtime

    def count(self, dtime: float, raced: bool = False) -> None:
        """Count a race's deterministic time (its searches were spent uncounted); apart when raced."""
        with self.lock:
            if raced:
                self.raced += dtime
            else:
                self.dtime += dtime


@dataclass(frozen=True)
class Settings:
    """How one search runs: its deterministic-time budget, workers and CP-SAT parameters."""

    dtime: float = math.inf
    workers: int = 1
    subsolvers: tuple[str, ...] = ()
    params: tuple[tuple[str, Any], ...] = ()  # other CP-SAT parameters, e.g. ("linearization_level", 0)

    def with_dtime(self, dtime: float) -> Settings:
        """Return the same settings with another deterministic-time budget."""
        return Settings(dtime, self.workers, self.subsolvers, self.params)


class _Watch(cp_model.CpSolverSolutionCallback):
    """Report each improving solution, call a hook, and stop when the caller cancels."""

    def __init__(self, run: Run, info: dict[str, Any], hook: Callable[[], None] | None) -> None:
        super().__init__()
        self.run, self.info, self.hook = run, info, hook

    def on_solution_callback(self) -> None:
        """Call progress with the stage, value, bound and elapsed seconds; then the hook."""
        if self.run.progress is not None and self.info:
            value, bound = round(self.objective_value), round(self.best_objective_bound)
            self.run.progress({**self.info, "value": value, "bound": bound, "elapsed": self.run.elapsed()})
        if self.hook is not None:
            self.hook()
        if self.run.should_stop is not None and self.run.should_stop():
            self.run.cancelled = True
            self.stop_search()


def _poll_stop(
    run: Run, solver: cp_model.CpSolver, done: threading.Event, stop: threading.Event | None
) -> None:
    """Stop the search as soon as the caller's should_stop() says so, or the stop event is set.

    It asks again every tenth of a second: a request made before the search has started is not lost.
    """
    while not done.wait(0.1):
        if not run.cancelled and run.should_stop is not None and run.should_stop():
            run.cancelled = True
        if run.cancelled or (stop is not None and stop.is_set()):
            solver.stop_search()


def configure(solver: cp_model.CpSolver, run: Run, settings: Settings) -> None:
    """Set a solver's limits, workers, seed and parameters."""
    p = solver.parameters
    p.max_time_in_seconds = max(run.left(), 0.01)
    if math.isfinite(settings.dtime):
        p.max_deterministic_time = max(settings.dtime, 0.001)
    p.random_seed = run.seed
    p.num_workers = settings.workers
    p.subsolvers.extend(settings.subsolvers)
    for name, value in settings.params:
        setattr(p, name, value)


def search(
    m: Model,
    run: Run,
    settings: Settings,
    info: dict[str, Any] | None = None,
    stop: threading.Event | None = None,
    hook: Callable[[], None] | None = None,
    counted: bool = True,
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    """Solve m's model (its objective already set) and return the CP-SAT status and solver.

    info names the stage in progress events; setting stop (from another thread) ends the search early, as
    the caller's should_stop() does; hook runs at each solution found; counted=False leaves the search's
    deterministic time out of run.dtime (a race counts its own).
    """
    solver = cp_model.CpSolver()
    configure(solver, run, settings)
    done = threading.Event()
    poller = threading.Thread(target=_poll_stop, args=(run, solver, done, stop), daemon=True)
    if run.should_stop is not None or stop is not None:
        poller.start()
    try:
        status = solver.solve(m.cp, _Watch(run, info or {}, hook))
    finally:
        done.set()
    run.spend(solver.deterministic_time, counted)
    return status, solver
