"""Solve leases: a queued or running run is held by a live process, or it is released with a reason.

Who holds a run:
- in-process (no REDIS_URL): the web process that queued it; a thread of that process writes the run's
  `heartbeat_at` while the run waits in its pool and while it solves;
- on RQ: the queue while it waits (its job must still exist and a worker must listen to the solve queue),
  then the work-horse, a thread of which writes `heartbeat_at` while it solves.
A run whose holder is gone is released: status failed (cancelled when a stop was asked), `failure` says
why in words on the run page, and the fair is free for a new solve. This is checked whenever someone
looks: the run page, a solve request, the worker (at start-up, and at once when a work-horse dies) and
the periodic sweep (`salon scheduler`, or `salon jobs run sweep`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from salon import queues
from salon.extensions import db
from salon.models import Fair, ScheduleRun
from salon.models.base import utcnow
from salon.services import DomainError

ACTIVE = ("queued", "running")
BEATS_PER_TIMEOUT = 6  # a live holder can miss five beats (a slow database, a busy machine)
STOP_ANSWER = 5.0  # seconds a live holder takes at most to answer a stop request (it looks twice a second)

FAILURE_LABELS = {
    "lease_expired": _l(
        "The computation gave no sign of life for more than %(seconds)d seconds: the process running it "
        "stopped (server restarted or killed). You can start a new computation."
    ),
    "job_lost": _l(
        "The job queue no longer knows this computation (Redis was emptied or restarted). "
        "You can start a new computation."
    ),
    "no_worker": _l(
        "No worker listens to the computation queue, so nobody could start this computation. "
        "Ask the platform's operator to start the workers, then start a new computation."
    ),
    "not_queued": _l(
        "The computation was never handed to a worker (the job queue could not be reached, or the "
        "server stopped just after the request). You can start a new computation."
    ),
    "worker_killed": _l(
        "The worker process running the computation was stopped before the end (killed or restarted). "
        "You can start a new computation."
    ),
    "stop_unanswered": _l(
        "Stop requested: the process running the computation no longer answered, so the fair was "
        "released at once. You can start a new computation."
    ),
}


class QueueUnavailable(DomainError):
    """The job queue refused a solve: the run was released and the organiser must try again."""

    def __init__(self) -> None:
        super().__init__(
            _("The job queue cannot be reached, so the computation was not started. Try again in a moment."),
            "run",
        )


def timeout() -> timedelta:
    """Return how long a holder may stay silent before its run is released."""
    return timedelta(seconds=float(current_app.config["SOLVE_HEARTBEAT_TIMEOUT"]))


def heartbeat_every() -> float:
    """Return the seconds between two heartbeats of a live holder."""
    return max(timeout().total_seconds() / BEATS_PER_TIMEOUT, 0.1)


def failure_label(run: ScheduleRun) -> str:
    """Return why a released run was released, in words ("" for any other run)."""
    label = FAILURE_LABELS.get(run.failure or "")
    return str(label % {"seconds": int(timeout().total_seconds())}) if label is not None else ""


def dead_reason(run: ScheduleRun, now: datetime) -> str | None:
    """Return why the run's holder is gone (a FAILURE_LABELS key), or None while it may be alive."""
    if run.status not in ACTIVE:
        return None
    if run.stop_pending_since is not None and now - run.stop_pending_since > _stop_answer():
        return "stop_unanswered"
    state = queues.job_state(run.job_id) if _on_rq(run) else None
    if state in ("failed", "stopped"):
        return "worker_killed"  # RQ saw the work-horse die (or killed it at its timeout)
    if run.status == "running" or (run.job_id is not None and not _on_rq(run)):  # a process beats for it
        last = run.heartbeat_at or run.started_at or run.created_at
        return "lease_expired" if now - last > timeout() else None
    if state in ("gone", "canceled", "finished"):
        return "job_lost"
    if run.job_id is None:
        return "not_queued" if now - run.created_at > timeout() else None
    if state == "queued":
        idle = queues.seconds_without_worker(queues.SOLVE, now.timestamp())
        return "no_worker" if idle is not None and idle > timeout().total_seconds() else None
    return None


def release(run: ScheduleRun, reason: str, now: datetime | None = None) -> bool:
    """Release the run unless its holder showed a sign of life since it was read; True if released."""
    now = now or utcnow()
    status = "cancelled" if run.cancel_requested else "failed"
    released = db.session.execute(
        update(ScheduleRun)
        .where(
            ScheduleRun.id == run.id,
            ScheduleRun.status == run.status,
            ScheduleRun.heartbeat_at.is_not_distinct_from(run.heartbeat_at),
        )
        .values(status=status, failure=reason, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(run)
    if not released.rowcount:
        return False
    current_app.logger.warning("solve %s released (%s): %s", run.id, status, reason)
    if _on_rq(run) and reason == "no_worker":
        queues.cancel_job(run.job_id)  # a worker starting later must not pick it up
    return True


def release_if_dead(run: ScheduleRun, now: datetime | None = None) -> bool:
    """Release the run if its holder is gone; return True if it was released."""
    now = now or utcnow()
    reason = dead_reason(run, now)
    return reason is not None and release(run, reason, now)


def release_dead_runs(
    fair: Fair | None = None, now: datetime | None = None, statuses: tuple[str, ...] = ACTIVE
) -> int:
    """Release every dead run (of one fair, or of all) among the statuses; return how many."""
    query = select(ScheduleRun).where(ScheduleRun.status.in_(statuses)).order_by(ScheduleRun.id)
    if fair is not None:
        query = query.where(ScheduleRun.fair_id == fair.id)
    return sum(release_if_dead(run, now) for run in db.session.scalars(query).all())


def stop(run: ScheduleRun, now: datetime | None = None) -> None:
    """Stop a run: a queued one at once; a running one asks its holder, or is released if it is gone."""
    now = now or utcnow()
    if run.status == "queued" and _cancel_queued(run, now):
        return
    if not run.cancel_requested:
        run.cancel_requested, run.stop_pending_since = True, now
        db.session.flush()
    release_if_dead(run, now)


def _cancel_queued(run: ScheduleRun, now: datetime) -> bool:
    """Cancel a run that has not started; False if its holder started it meanwhile."""
    cancelled = db.session.execute(
        update(ScheduleRun)
        .where(ScheduleRun.id == run.id, ScheduleRun.status == "queued")
        .values(status="cancelled", cancel_requested=True, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(run)
    if cancelled.rowcount and _on_rq(run):
        queues.cancel_job(run.job_id)
    return bool(cancelled.rowcount)


def _on_rq(run: ScheduleRun) -> bool:
    return bool(run.job_id) and not str(run.job_id).startswith("thread-")


def _stop_answer() -> timedelta:
    return min(timedelta(seconds=STOP_ANSWER), timeout())
