"""Background solves: in-process (a thread pool) by default, RQ on Redis when REDIS_URL is set.

A job reads its inputs from the database, reports progress in short transactions, polls
`cancel_requested`, and writes its whole result in ONE transaction, so a crash leaves nothing half written.
"""

from __future__ import annotations

import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor

import click
from flask import Flask, current_app, has_app_context
from flask.cli import with_appcontext
from sqlalchemy import select, update

from salon.extensions import db
from salon.models import Fair, ScheduleRun
from salon.models.base import utcnow

QUEUE_NAME = "salon-solve"
PROGRESS_EVERY = 0.5  # seconds between two progress writes / cancel polls

_executor: ThreadPoolExecutor | None = None
_futures: dict[int, Future] = {}


def enqueue_solve(run_id: int) -> str:
    """Start the solve of a committed queued run; return the job id."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    url = app.config.get("REDIS_URL")
    if url:
        from redis import Redis
        from rq import Queue

        job = Queue(QUEUE_NAME, connection=Redis.from_url(url)).enqueue(
            solve_job, run_id, job_timeout=int(app.config["SOLVER_TIME_LIMIT"] * 4 + 300)
        )
        job_id = job.id
    else:
        global _executor
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="salon-solve")
        _futures[run_id] = _executor.submit(_run_with_app, app, run_id)
        job_id = f"thread-{run_id}"
    db.session.execute(update(ScheduleRun).where(ScheduleRun.id == run_id).values(job_id=job_id))
    db.session.commit()
    return job_id


def wait(run_id: int, timeout: float = 60.0) -> None:
    """Wait for an in-process solve to finish (tests and the CLI)."""
    future = _futures.pop(run_id, None)
    if future is not None:
        future.result(timeout=timeout)


def wait_all(timeout: float = 120.0) -> None:
    """Wait for every in-process solve started so far (tests, shutdown)."""
    for run_id in list(_futures):
        wait(run_id, timeout=timeout)


def _run_with_app(app: Flask, run_id: int) -> None:
    """Run a solve inside an app context (thread pool entry point)."""
    with app.app_context():
        try:
            run_solve(run_id)
        finally:
            db.session.remove()


def solve_job(run_id: int) -> str:
    """RQ entry point: run a solve in the worker's app context (or a fresh one)."""
    if has_app_context():
        db.engine.dispose(close=False)  # a forked work horse must not share the parent's connections
        run_solve(run_id)
    else:
        from salon import create_app

        with create_app().app_context():
            run_solve(run_id)
    status = db.session.scalar(select(ScheduleRun.status).where(ScheduleRun.id == run_id))
    db.session.remove()
    return str(status)


def run_solve(run_id: int) -> None:
    """Solve a queued run and store its draft; mark it failed (and nothing else) on error."""
    run = db.session.get(ScheduleRun, run_id)
    if run is None or run.status != "queued":
        return
    run.status, run.started_at = "running", utcnow()
    db.session.commit()
    try:
        _solve_and_store(run_id)
    except Exception as exc:  # noqa: BLE001  (any failure is recorded on the run)
        db.session.rollback()
        current_app.logger.exception("solve %s failed", run_id)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        db.session.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id == run_id)
            .values(status="failed", error=detail[:2000], finished_at=utcnow())
        )
        db.session.commit()


def _solve_and_store(run_id: int) -> None:
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
        should_stop=reporter.should_stop,
    )
    run = db.session.get(ScheduleRun, run_id)
    db.session.refresh(run)
    scheduling.write_drafts(run, result, locked, maps)
    run.solver_status = result.status
    run.objective, run.bounds, run.stats = dict(result.objective), dict(result.bounds), dict(result.stats)
    run.reasons = [{"rule": r.rule, "ids": list(r.ids), "message": r.message} for r in result.reasons]
    stopped = reporter.stopped or run.cancel_requested
    run.status = "cancelled" if stopped and not result.meetings else "done"
    if stopped:
        run.stats = {**run.stats, "cancelled": True}
    run.finished_at = utcnow()
    run.progress = {**(run.progress or {}), "elapsed": reporter.elapsed(), "done": True}
    db.session.commit()


class _Reporter:
    """Write solver progress and read the cancel flag through the engine (any thread may call it)."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.engine = db.engine
        self.started = time.monotonic()
        self.last_write = 0.0
        self.last_poll = 0.0
        self.stopped = False

    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 2)

    def progress(self, info: dict) -> None:
        """Store the latest progress figures, at most every PROGRESS_EVERY seconds."""
        now = time.monotonic()
        if now - self.last_write < PROGRESS_EVERY and not info.get("final"):
            return
        self.last_write = now
        data = {k: v for k, v in dict(info).items() if isinstance(v, str | int | float | bool | None)}
        data["elapsed"] = self.elapsed()
        with self.engine.begin() as conn:
            conn.execute(update(ScheduleRun).where(ScheduleRun.id == self.run_id).values(progress=data))

    def should_stop(self) -> bool:
        """Return True once the organiser asked to cancel (polled at most every PROGRESS_EVERY seconds)."""
        if self.stopped:
            return True
        now = time.monotonic()
        if now - self.last_poll < PROGRESS_EVERY:
            return False
        self.last_poll = now
        with self.engine.connect() as conn:
            flag = conn.execute(
                select(ScheduleRun.cancel_requested).where(ScheduleRun.id == self.run_id)
            ).scalar()
        self.stopped = bool(flag)
        return self.stopped


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run an RQ worker for background solves and printouts (needs REDIS_URL)."""
    from redis import Redis
    from rq import Worker

    from salon.print_jobs import QUEUE_NAME as PRINT_QUEUE

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.UsageError("REDIS_URL is not set: solves run in-process, no worker is needed.")
    Worker([QUEUE_NAME, PRINT_QUEUE], connection=Redis.from_url(url)).work(burst=burst)
