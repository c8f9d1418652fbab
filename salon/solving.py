"""The solve job: hold the run's lease, solve with progress and cancel polling, store the draft at once.

The lease (salon/services/run_leases.py) is a heartbeat written by a thread of the holding process, never
by the solver's callbacks (minutes can pass between two solutions). A holder that finds its run released
(it looked dead to someone) stops its solver and discards its result.
"""

from __future__ import annotations

import threading
import time
import traceback
from datetime import datetime

from flask import current_app
from sqlalchemy import ColumnElement, case, select, update

from salon import jobs
from salon.extensions import db
from salon.models import Fair, ScheduleRun
from salon.models.base import utcnow
from salon.services import run_leases
from solver.schedule import SolveResult

PROGRESS_EVERY = 0.5  # seconds between two progress writes / cancel polls
ACTIVE = ("queued", "running")

_held: dict[int, Heartbeat] = {}  # the runs this process holds, by id
_held_lock = threading.Lock()


def enqueue_solve(run_id: int) -> str:
    """Start the solve of a committed queued run; return the job id."""
    in_process = not current_app.config.get("REDIS_URL")
    if in_process:
        hold(run_id)  # this process holds the run while it waits in the pool, not only while it solves
    try:
        job_id = jobs.enqueue("solve", run_id, job_id=f"thread-{run_id}" if in_process else None)
    except Exception as exc:  # noqa: BLE001  (Redis down, refused...: the run must not stay queued)
        release_held(run_id)
        db.session.rollback()
        run_leases.release(db.session.get(ScheduleRun, run_id), "not_queued")
        db.session.commit()
        raise run_leases.QueueUnavailable() from exc
    held = {"heartbeat_at": _not_before(utcnow())} if in_process else {}
    db.session.execute(update(ScheduleRun).where(ScheduleRun.id == run_id).values(job_id=job_id, **held))
    db.session.commit()
    return job_id


def _not_before(now: datetime) -> ColumnElement[datetime]:
    """Return the heartbeat to write: now, or the one written meanwhile by the start (never moved back)."""
    return case((ScheduleRun.heartbeat_at > now, ScheduleRun.heartbeat_at), else_=now)


def solve_timeout(run_id: int) -> int:
    """Return how long RQ lets a solve job run before killing its work-horse."""
    run = db.session.get(ScheduleRun, run_id)
    limit = run.time_limit if run is not None else current_app.config["SOLVER_TIME_LIMIT"]
    return int(limit * 4 + 300)


def run_solve(run_id: int) -> str:
    """Solve a queued run and store its draft (on error: mark it failed, nothing else); return its status."""
    heartbeat = hold(run_id)
    try:
        if _start(run_id):
            _solve_or_fail(run_id, heartbeat)
    finally:
        release_held(run_id)
    status = db.session.scalar(select(ScheduleRun.status).where(ScheduleRun.id == run_id))
    return str(status)


def _start(run_id: int) -> bool:
    """Move the run from queued to running; False if it is no longer queued (cancelled, released)."""
    now = utcnow()
    moved = db.session.execute(
        update(ScheduleRun)
        .where(ScheduleRun.id == run_id, ScheduleRun.status == "queued")
        .values(status="running", started_at=now, heartbeat_at=now)
    )
    db.session.commit()
    if moved.rowcount:
        current_app.logger.info("solve %s started", run_id)
    return bool(moved.rowcount)


def _solve_or_fail(run_id: int, heartbeat: Heartbeat) -> None:
    """Solve; on any error record it on the run, if the run is still ours."""
    try:
        _solve_and_store(run_id, heartbeat)
    except Exception as exc:  # noqa: BLE001  (any failure is recorded on the run)
        db.session.rollback()
        current_app.logger.exception("solve %s failed", run_id)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        db.session.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id == run_id, ScheduleRun.status == "running")
            .values(status="failed", error=detail[:2000], finished_at=utcnow())
        )
        db.session.commit()


def _solve_and_store(run_id: int, heartbeat: Heartbeat) -> None:
    """Build the instance, solve with progress and cancel polling, write the result in one transaction."""
    from salon.services import scheduling
    from solver.solve import solve

    run = db.session.get(ScheduleRun, run_id)
    fair = db.session.get(Fair, run.fair_id)
    base = scheduling.latest_run(fair)
    maps = scheduling.load_maps(fair)
    locked = scheduling.resolve_locks(fair, base)
    instance = scheduling.checked_instance(scheduling.build_instance(fair, locked=locked, maps=maps))
    time_limit = run.time_limit
    db.session.commit()  # release the read transaction while solving
    reporter = _Reporter(run_id)
    result = solve(
        instance,
        time_limit=time_limit,
        workers=current_app.config.get("SOLVER_WORKERS", 2),
        progress=reporter.progress,
        should_stop=heartbeat.should_stop,
    )
    _store(run_id, result, (locked, maps), heartbeat.cancelled.is_set(), reporter.elapsed())


def _store(run_id: int, result: SolveResult, rows: tuple, stop_seen: bool, elapsed: float) -> None:
    """Write the draft and the figures in one transaction, if the run is still ours (else keep nothing)."""
    from salon.services import scheduling

    run = db.session.get(ScheduleRun, run_id)
    db.session.refresh(run)
    scheduling.write_drafts(run, result, *rows)
    stopped = stop_seen or run.cancel_requested
    values = {
        "solver_status": result.status,
        "objective": dict(result.objective),
        "bounds": dict(result.bounds),
        "stats": {**result.stats, "cancelled": True} if stopped else dict(result.stats),
        "reasons": [{"rule": r.rule, "ids": list(r.ids), "message": r.message} for r in result.reasons],
        "status": "cancelled" if stopped and not result.meetings else "done",
        "finished_at": utcnow(),
        "progress": {**(run.progress or {}), "elapsed": elapsed, "done": True},
    }
    # Conditional on the run still being ours: a run released meanwhile keeps its failure, not our draft.
    stored = db.session.execute(
        update(ScheduleRun).where(ScheduleRun.id == run_id, ScheduleRun.status == "running").values(**values)
    )
    if stored.rowcount:
        db.session.commit()
        current_app.logger.info("solve %s %s", run_id, values["status"])
    else:
        db.session.rollback()
        current_app.logger.warning("solve %s finished after its run was released: result discarded", run_id)


def fail_killed(run_id: int) -> None:
    """Release a run whose work-horse died (the worker's handler): no heartbeat timeout to wait for."""
    run = db.session.get(ScheduleRun, run_id)
    if run is not None and run.status in ACTIVE:
        run_leases.release(run, "worker_killed")
        db.session.commit()


class _Reporter:
    """Write solver progress through the engine (any thread may call it)."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.engine = db.engine
        self.started = time.monotonic()
        self.last_write = 0.0
        self.stage_index: int | None = None
        self.stage_started = 0.0
        self.values: dict[str, list] = {}  # each stage's latest [value, bound], earlier stages included

    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 2)

    def _remember(self, info: dict) -> None:
        """Keep every stage's latest figures and when the current stage began (for the page's bar)."""
        if info.get("stage_index") != self.stage_index:
            self.stage_index, self.stage_started = info.get("stage_index"), self.elapsed()
        if isinstance(info.get("stage"), str):
            self.values[info["stage"]] = [info.get("value"), info.get("bound")]

    def progress(self, info: dict) -> None:
        """Store the latest progress figures, at most every PROGRESS_EVERY seconds."""
        self._remember(info)
        now = time.monotonic()
        if now - self.last_write < PROGRESS_EVERY and not info.get("final"):
            return
        self.last_write = now
        data = {k: v for k, v in dict(info).items() if isinstance(v, str | int | float | bool | None)}
        data["elapsed"] = self.elapsed()
        data["stage_started"], data["stage_values"] = self.stage_started, dict(self.values)
        with self.engine.begin() as conn:
            conn.execute(
                update(ScheduleRun)
                .where(ScheduleRun.id == self.run_id, ScheduleRun.status == "running")
                .values(progress=data)
            )


def hold(run_id: int) -> Heartbeat:
    """Start beating for the run in this process (a second call returns the same heartbeat)."""
    with _held_lock:
        heartbeat = _held.get(run_id)
        if heartbeat is None:
            every = run_leases.heartbeat_every()
            heartbeat = _held[run_id] = Heartbeat(run_id, db.engine, every, current_app.logger)
            heartbeat.start()
        return heartbeat


def release_held(run_id: int) -> None:
    """Stop beating for the run in this process."""
    with _held_lock:
        heartbeat = _held.pop(run_id, None)
    if heartbeat is not None:
        heartbeat.stop()
        if heartbeat.is_alive() and heartbeat is not threading.current_thread():
            heartbeat.join(timeout=5)  # no beat of ours may land after we let go


class Heartbeat(threading.Thread):
    """Renew a run's lease every `every` seconds and watch, twice a second, for a cancel or a release."""

    def __init__(self, run_id: int, engine, every: float, logger) -> None:  # noqa: ANN001
        super().__init__(name=f"salon-heartbeat-{run_id}", daemon=True)
        self.run_id, self.engine, self.every, self.logger = run_id, engine, every, logger
        self.finished = threading.Event()
        self.cancelled = threading.Event()  # the organiser asked to stop
        self.lost = threading.Event()  # the run was released: stop, keep nothing

    def should_stop(self) -> bool:
        """Tell the solver to stop: cancel asked, or the run no longer ours."""
        return self.cancelled.is_set() or self.lost.is_set()

    def stop(self) -> None:
        self.finished.set()

    def run(self) -> None:
        last_beat = -self.every  # the first tick beats
        tick = min(PROGRESS_EVERY, self.every)
        while not self.finished.wait(tick):
            try:
                if self._watch() or time.monotonic() - last_beat >= self.every:
                    self._beat()
                    last_beat = time.monotonic()
            except Exception:  # noqa: BLE001  (a database blip must not end the lease: retry next tick)
                self.logger.warning("heartbeat of solve %s not written", self.run_id, exc_info=True)

    def _watch(self) -> bool:
        """Read the run's status and stop request; return True when a stop awaits this holder's answer."""
        query = select(ScheduleRun.status, ScheduleRun.cancel_requested, ScheduleRun.stop_pending_since)
        with self.engine.connect() as conn:
            row = conn.execute(query.where(ScheduleRun.id == self.run_id)).first()
        if row is None or row.status not in ACTIVE:
            self.lost.set()
            self.finished.set()
            return False
        if row.cancel_requested:
            self.cancelled.set()
        return row.stop_pending_since is not None

    def _beat(self) -> None:
        """Renew the lease (and answer a pending stop: this holder is alive and stopping)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(ScheduleRun)
                .where(ScheduleRun.id == self.run_id, ScheduleRun.status.in_(ACTIVE))
                .values(heartbeat_at=_not_before(utcnow()), stop_pending_since=None)
            )
