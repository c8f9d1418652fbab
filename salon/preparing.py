"""Preparing the e-mails of notification intents: right after the request when few, in a job when many.

A change of the agenda writes intents in its own transaction (salon/services/notifications.py). Once the
view has committed, the fairs that got intents are looked at: up to SALON_NOTICES_INLINE pending e-mails
are rendered at once (a move, a cancellation: the E-mails page shows them straight away); more (the
publication of a large fair) go to the "prepare" job, on the mail queue or this process's thread pool,
and the confirmation answers without waiting for them. The periodic mail job renders whatever is left
before sending, so the intents of a lost job (a killed process, a flushed Redis) still go out, once.
"""

from __future__ import annotations

from flask import Flask, Response, current_app

from salon import jobs
from salon.extensions import db
from salon.services.notice_rendering import fairs_with_notices, pending_notices, render_batch
from salon.services.notifications import QUEUED_FAIRS


def register(app: Flask) -> None:
    """Prepare, after every request, the e-mails its changes queued (if the view did not already)."""
    app.after_request(_after_request)


def _after_request(response: Response) -> Response:
    if db.session.info.get(QUEUED_FAIRS):
        dispatch()
    return response


def dispatch() -> int:
    """Render the e-mails of the fairs whose changes just committed, or start the job; return how many wait.

    Call after the commit: anything the session did not commit is discarded first. A fair with more
    pending e-mails than SALON_NOTICES_INLINE (older ones included, so the order of changes holds) is
    left to the "prepare" job. Never raises: the change is committed whatever happens here, and the next
    mail run renders what is left.
    """
    fair_ids = sorted(db.session.info.pop(QUEUED_FAIRS, set()))
    limit = current_app.config["SALON_NOTICES_INLINE"]
    waiting = 0
    try:
        db.session.rollback()
        for fair_id in fair_ids:
            count = pending_notices(fair_id)
            if count and not (count <= limit and _rendered_now(fair_id)):
                waiting += count
    except Exception:  # noqa: BLE001  (a database blip after the commit: the mail run catches up)
        db.session.rollback()
        current_app.logger.exception("the e-mails of fairs %s are left to the next mail run", fair_ids)
        return 0
    if waiting:
        _start_job()
    return waiting


def _rendered_now(fair_id: int) -> bool:
    """Render a fair's few pending e-mails in this request; False if that failed (the job tries again)."""
    try:
        render_fair(fair_id)
    except Exception:  # noqa: BLE001  (logged; the intents stay)
        db.session.rollback()
        current_app.logger.exception("the e-mails of fair %s could not be prepared now", fair_id)
        return False
    return True


def _start_job() -> None:
    """Queue the "prepare" job; if the queue is unreachable, the next mail run renders the e-mails."""
    try:
        jobs.enqueue("prepare")
    except Exception:  # noqa: BLE001  (Redis down: the intents are safe in the database)
        current_app.logger.exception("the prepare job could not be queued: the next mail run prepares them")


def render_fair(fair_id: int) -> int:
    """Render every pending e-mail of a fair, a committed batch at a time; return how many."""
    total = 0
    while done := render_batch(fair_id):
        db.session.commit()
        total += done
    db.session.commit()  # the lock taken to find nothing left
    return total


def prepare_all() -> str:
    """Render the pending e-mails of every fair (the "prepare" job; also run before each mail run).

    A fair whose e-mails cannot be rendered keeps its intents for the next run and never holds up the
    other fairs' e-mails.
    """
    total = failed = 0
    for fair_id in fairs_with_notices():
        try:
            total += render_fair(fair_id)
        except Exception:  # noqa: BLE001  (logged; the intents stay and are tried again on the next run)
            db.session.rollback()
            current_app.logger.exception(
                "the e-mails of fair %s could not be prepared: tried again later", fair_id
            )
            failed += 1
    return f"{total} e-mail(s) prepared" + (f", {failed} fair(s) to try again" if failed else "")
