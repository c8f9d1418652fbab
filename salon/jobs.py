"""Background jobs: in-process (a thread pool) by default, RQ on Redis when REDIS_URL is set.

A job is a kind (salon/job_kinds.py: solve, mail, remind, purge, sweep) and plain arguments (ids). A job
reads its inputs from the database and writes its result in one transaction, so a crash leaves nothing
half written. `enqueue(kind, *args)` runs it in this process's thread pool, or puts it on the kind's RQ
queue, where a `salon worker` runs it in a forked work-horse. `salon scheduler` puts the periodic kinds on
their queues (RQ's cron scheduler).

A new kind plugs in with one JobKind line in job_kinds.KINDS: its name, its queue (salon/queues.py; a new
queue goes into queues.ALL so that `salon worker` listens to it), the function that does the work (it
takes the job's arguments, runs in an app context and commits its own result), its timeout and, for a
periodic kind, the setting holding its period.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_app_context

from salon import queues
from salon.extensions import db

QUEUE_NAME = queues.SOLVE  # the solve queue (kept for callers that count its depth)

_executor: ThreadPoolExecutor | None = None
_futures: dict[str, Future] = {}


@dataclass(frozen=True)
class JobKind:
    """What a kind of background job is: where it queues, what it runs, how long it may take."""

    name: str
    queue: str
    run: Callable[..., Any]
    timeout: int | Callable[..., int] = 600  # seconds, or a function of the job's arguments
    every: str = ""  # config key of the period in seconds, for a kind `salon scheduler` repeats
    on_killed: Callable[..., None] | None = None  # run by the worker when the work-horse dies mid-job

    def timeout_for(self, args: tuple) -> int:
        """Return the job's timeout in seconds."""
        return self.timeout(*args) if callable(self.timeout) else self.timeout


def kind(name: str) -> JobKind:
    """Return a registered kind (KeyError for an unknown name)."""
    from salon.job_kinds import KINDS

    return KINDS[name]


def enqueue(name: str, *args: Any, job_id: str | None = None) -> str:
    """Run a job in the background (RQ when REDIS_URL is set, else this process's pool); return its id."""
    job_kind = kind(name)
    if queues.redis_url():
        from rq import Queue

        job = Queue(job_kind.queue, connection=queues.connection()).enqueue(
            perform, name, *args, job_timeout=job_kind.timeout_for(args), job_id=job_id
        )
        return job.id
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="salon-job")
    job_id = job_id or f"thread-{name}-{uuid.uuid4().hex[:12]}"
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    _futures[job_id] = _executor.submit(_run_with_app, app, name, args)
    return job_id


def wait(key: int | str, timeout: float = 60.0) -> None:
    """Wait for an in-process job to finish (tests and the CLI): a job id, or a solve's run id."""
    future = _futures.pop(f"thread-{key}" if isinstance(key, int) else key, None)
    if future is not None:
        future.result(timeout=timeout)


def wait_all(timeout: float = 120.0) -> None:
    """Wait for every in-process job started so far (tests, shutdown)."""
    for job_id in list(_futures):
        wait(job_id, timeout=timeout)


def _run_with_app(app: Flask, name: str, args: tuple) -> Any:
    """Run a job inside an app context (thread pool entry point)."""
    with app.app_context():
        try:
            return kind(name).run(*args)
        finally:
            db.session.remove()


def perform(name: str, *args: Any) -> Any:
    """RQ entry point: run a job in the worker's app context (or a fresh one)."""
    if not has_app_context():
        from salon import create_app

        with create_app().app_context():
            return perform(name, *args)
    db.engine.dispose(close=False)  # a forked work-horse must not share the parent's connections
    try:
        return kind(name).run(*args)
    finally:
        db.session.remove()


def enqueue_solve(run_id: int) -> str:
    """Start the solve of a committed queued run; return the job id (see salon/solving.py)."""
    from salon import solving

    return solving.enqueue_solve(run_id)


def horse_killed(job: Any, *_details: Any) -> None:
    """RQ work-horse death handler (runs in the worker): let the job's kind clean up at once."""
    name, *args = job.args or ("",)
    try:
        job_kind = kind(name)
    except KeyError:
        return
    if job_kind.on_killed is not None:
        current_app.logger.warning("work-horse died running %s %s", name, args)
        try:
            job_kind.on_killed(*args)
        finally:
            db.session.remove()
