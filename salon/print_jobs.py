"""The "print" job (salon/job_kinds.py): build a queued printout and store its PDF.

It runs like every job of salon/jobs.py: in this process's pool by default, on the `salon-print` RQ queue
when REDIS_URL is set. A build reads its data, ends its read transaction, lays the pages out while it
reports its progress in short transactions (the heartbeat that tells a live build from a dead one), and
stores its PDF in one transaction; on any error it is marked failed and nothing else is written.
"""

from __future__ import annotations

import time
import traceback

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update

from salon import jobs, queues
from salon.extensions import db
from salon.models import Fair, PrintBuild
from salon.models.base import utcnow
from salon.services import DomainError

PROGRESS_EVERY = 0.5  # seconds between two progress writes
JOB_TIMEOUT = 900  # seconds


def enqueue_build(build_id: int) -> str:
    """Start a committed queued build; return the job id (DomainError, and the build failed, if refused)."""
    in_process = not queues.redis_url()
    try:
        job_id = jobs.enqueue("print", build_id, job_id=_thread_job_id(build_id) if in_process else None)
    except Exception as exc:  # noqa: BLE001  (Redis down, refused...: the build must not stay queued)
        current_app.logger.exception("print build %s not queued", build_id)
        db.session.rollback()
        _fail(build_id, "not_queued")
        raise DomainError(
            _("The job queue cannot be reached, so the printout is not being built. Try again in a moment."),
            "document",
        ) from exc
    db.session.execute(update(PrintBuild).where(PrintBuild.id == build_id).values(job_id=job_id))
    db.session.commit()
    return job_id


def _thread_job_id(build_id: int) -> str:
    return f"thread-print-{build_id}"


def wait(build_id: int, timeout: float = 120.0) -> None:
    """Wait for an in-process build to finish (tests)."""
    jobs.wait(_thread_job_id(build_id), timeout=timeout)


def run_build(build_id: int) -> str:
    """Build a queued printout and store its PDF (on error: mark it failed); return its status."""
    moved = db.session.execute(
        update(PrintBuild)
        .where(PrintBuild.id == build_id, PrintBuild.status == "queued")
        .values(status="running", heartbeat_at=utcnow())
    )
    db.session.commit()
    if moved.rowcount:
        try:
            _build_and_store(build_id)
        except Exception as exc:  # noqa: BLE001  (any failure is recorded on the build)
            db.session.rollback()
            current_app.logger.exception("print build %s failed", build_id)
            _fail(build_id, "".join(traceback.format_exception_only(type(exc), exc)).strip())
    build = db.session.get(PrintBuild, build_id)
    return build.status if build is not None else "gone"


def fail_killed(build_id: int) -> None:
    """Mark failed a build whose work-horse died (the worker's handler), so it is not shown as running."""
    _fail(build_id, "interrupted")


def _fail(build_id: int, error: str) -> None:
    db.session.execute(
        update(PrintBuild)
        .where(PrintBuild.id == build_id, PrintBuild.status.in_(("queued", "running")))
        .values(status="failed", error=error[:2000], finished_at=utcnow())
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
