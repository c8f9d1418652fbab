"""Background printout builds, beside the solves of salon/jobs.py and run the same way.

In-process (a one-thread pool) by default, RQ on Redis when REDIS_URL is set (queue "salon-print", served by
`salon worker`). A build reads its data, ends its read transaction, lays the pages out while it reports its
progress in short transactions (the heartbeat that tells a live build from a dead one), and stores its PDF in
one transaction; on any error it is marked failed and nothing else is written.
"""

from __future__ import annotations

import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor

from flask import Flask, current_app, has_app_context
from flask_babel import force_locale
from sqlalchemy import update

from salon.extensions import db
from salon.models import Fair, PrintBuild
from salon.models.base import utcnow

QUEUE_NAME = "salon-print"
PROGRESS_EVERY = 0.5  # seconds between two progress writes
JOB_TIMEOUT = 900  # seconds

_executor: ThreadPoolExecutor | None = None
_futures: dict[int, Future] = {}


def enqueue_build(build_id: int) -> str:
    """Start a committed queued build; return the job id."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    url = app.config.get("REDIS_URL")
    if url:
        from redis import Redis
        from rq import Queue

        queue = Queue(QUEUE_NAME, connection=Redis.from_url(url))
        job_id = queue.enqueue(build_job, build_id, job_timeout=JOB_TIMEOUT).id
    else:
        global _executor
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="salon-print")
        _futures[build_id] = _executor.submit(_run_with_app, app, build_id)
        job_id = f"thread-{build_id}"
    db.session.execute(update(PrintBuild).where(PrintBuild.id == build_id).values(job_id=job_id))
    db.session.commit()
    return job_id


def wait(build_id: int, timeout: float = 120.0) -> None:
    """Wait for an in-process build to finish (tests)."""
    future = _futures.pop(build_id, None)
    if future is not None:
        future.result(timeout=timeout)


def wait_all(timeout: float = 300.0) -> None:
    """Wait for every in-process build started so far (tests, shutdown)."""
    for build_id in list(_futures):
        wait(build_id, timeout=timeout)


def _run_with_app(app: Flask, build_id: int) -> None:
    with app.app_context():
        try:
            run_build(build_id)
        finally:
            db.session.remove()


def build_job(build_id: int) -> str:
    """RQ entry point: run a build in the worker's app context (or a fresh one); return its status."""
    if has_app_context():
        db.engine.dispose(close=False)  # a forked work horse must not share the parent's connections
        run_build(build_id)
    else:
        from salon import create_app

        with create_app().app_context():
            run_build(build_id)
    build = db.session.get(PrintBuild, build_id)
    status = build.status if build is not None else "gone"
    db.session.remove()
    return status


def run_build(build_id: int) -> None:
    """Build a queued printout and store its PDF; mark it failed (and nothing else) on error."""
    build = db.session.get(PrintBuild, build_id)
    if build is None or build.status != "queued":
        return
    build.status, build.heartbeat_at = "running", utcnow()
    db.session.commit()
    try:
        _build_and_store(build_id)
    except Exception as exc:  # noqa: BLE001  (any failure is recorded on the build)
        db.session.rollback()
        current_app.logger.exception("print build %s failed", build_id)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        db.session.execute(
            update(PrintBuild)
            .where(PrintBuild.id == build_id)
            .values(status="failed", error=detail[:2000], finished_at=utcnow())
        )
        db.session.commit()


def _build_and_store(build_id: int) -> None:
    from salon.services import print_builds, printouts
    from salon.services.pdf import worker_pool

    build = db.session.get(PrintBuild, build_id)
    fair = db.session.get(Fair, build.fair_id)
    chunks = printouts.expected_chunks(fair, build.document, build.include_empty)
    with worker_pool(chunks) as pool, force_locale(build.locale or fair.language or "fr"):
        prepared = printouts.prepare_document(fair, build.document, build.include_empty)
        db.session.commit()  # release the read transaction while the pages are laid out
        printout = printouts.render_prepared(prepared, _Reporter(build_id).progress, pool)
    build = db.session.get(PrintBuild, build_id)
    print_builds.store_result(build, printout)
    print_builds.purge_old_builds(db.session.get(Fair, build.fair_id))
    db.session.commit()


class _Reporter:
    """Write a build's progress (and so its heartbeat) through the engine, at most every PROGRESS_EVERY s."""

    def __init__(self, build_id: int) -> None:
        self.build_id, self.engine, self.last = build_id, db.engine, 0.0

    def progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY and done < total:
            return
        self.last = now
        with self.engine.begin() as conn:
            conn.execute(
                update(PrintBuild)
                .where(PrintBuild.id == self.build_id)
                .values(done=done, total=total, heartbeat_at=utcnow())
            )
