"""Preparing the e-mails of notification intents: right after the request when few, in a job when many.

A change of the agenda writes intents in its own transaction (salon/services/notifications.py). Once the
view has committed, the fairs that got intents are looked at: up to SALON_NOTICES_INLINE pending e-mails
are rendered at once (a move, a cancellation: the E-mails page shows them straight away); more (the
publication of a large fair) go to the "prepare" job, on the mail queue or this process's thread pool,
and the confirmation answers without waiting for them. The periodic mail job renders whatever is left
before sending, so the intents of a lost job (a killed process, a flushed Redis) still go out, once.
"""

from __future__ import annotations

from collections.abc import Iterable

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
        try:
            dispatch()
        except Exception:  # noqa: BLE001  (the change is committed; the mail job renders its e-mails)
            db.session.rollback()
            current_app.logger.exception("the e-mails of this change could not be prepared now")
    return response


def dispatch(fair_ids: Iterable[int] | None = None) -> int:
    """Render the e-mails of the fairs whose changes just committed, or start the job; return how many wait.

    Call after the commit: anything the session did not commit is discarded first. A fair with more
    pending e-mails than SALON_NOTICES_INLINE (older ones included, so the order of changes holds) is
    left to the "prepare" job.
    """
    marked = db.session.info.pop(QUEUED_FAIRS, set())
    db.session.rollback()
    limit = current_app.config["SALON_NOTICES_INLINE"]
    waiting = 0
    for fair_id in sorted(set(fair_ids or ()) | marked):
        count = pending_notices(fair_id)
        if not count:
            continue
        if count <= limit:
            render_fair(fair_id)
        else:
            waiting += count
    if waiting:
        jobs.enqueue("prepare")
    return waiting


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
