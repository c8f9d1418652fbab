"""Every kind of background job, its queue and its period (see salon/jobs.py for how they run).

Each function runs in an app context with the job's arguments and commits its own result; it must be
safe to run twice at once or twice in a row (a retried job, two schedulers by mistake).
"""

from __future__ import annotations

from salon import preparing, print_jobs, queues, solving
from salon.extensions import db
from salon.jobs import JobKind
from salon.models.base import utcnow

MAIL_BATCH = 100
MAIL_ROUNDS = 50  # at most 5,000 messages per job; the next job takes the rest


def send_mail() -> str:
    """Prepare the e-mails still to render, then send the outbox's due messages, batch after batch."""
    from salon.services.mail import send_pending

    preparing.prepare_all()  # a lost "prepare" job's e-mails go out with this run
    sent = failed = 0
    for _round in range(MAIL_ROUNDS):
        report = send_pending(limit=MAIL_BATCH)
        sent, failed = sent + report.sent, failed + report.failed
        if report.claimed < MAIL_BATCH or report.sent == 0:
            break
    return f"sent {sent}, failed {failed}"


def send_reminders() -> str:
    """Queue every reminder due (deadlines, agenda tomorrow, outcome forms)."""
    from salon.services.reminders import send_due_reminders

    count = send_due_reminders(utcnow())
    db.session.commit()
    return f"{count} message(s) queued"


def purge_fairs() -> str:
    """Purge the personal data of closed fairs past their retention period, and old printouts."""
    from salon.services.print_builds import purge_expired_builds
    from salon.services.retention import purge_due_fairs

    now = utcnow()
    done = purge_due_fairs(now)
    printouts = purge_expired_builds(now)
    db.session.commit()
    return f"{len(done)} fair(s) purged, {printouts} old printout(s) deleted"


def sweep_runs() -> str:
    """Release the solves whose holder is gone (a killed server or worker, a lost job)."""
    from salon.services.run_leases import release_dead_runs

    count = release_dead_runs()
    db.session.commit()
    return f"{count} run(s) released"


KINDS = {
    kind.name: kind
    for kind in (
        JobKind(
            "solve", queues.SOLVE, solving.run_solve, solving.solve_timeout, on_killed=solving.fail_killed
        ),
        JobKind(
            "print",
            queues.PRINT,
            print_jobs.run_build,
            print_jobs.JOB_TIMEOUT,
            on_killed=print_jobs.fail_killed,
        ),
        JobKind("mail", queues.MAIL, send_mail, 900, every="SALON_MAIL_EVERY"),
        JobKind("prepare", queues.MAIL, preparing.prepare_all, 900),
        JobKind("remind", queues.DEFAULT, send_reminders, 900, every="SALON_REMIND_EVERY"),
        JobKind("purge", queues.DEFAULT, purge_fairs, 1800, every="SALON_PURGE_EVERY"),
        JobKind("sweep", queues.DEFAULT, sweep_runs, 300, every="SALON_SWEEP_EVERY"),
    )
}
