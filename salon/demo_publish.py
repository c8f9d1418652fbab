"""`salon demo --publish`: solve the demo fair and publish its schedule, as its organiser would."""

from __future__ import annotations

import click
from flask import current_app

from salon import solving
from salon.extensions import db
from salon.models import Fair, ScheduleRun
from salon.services import fairs, publishing, scheduling
from salon.services.notice_rendering import pending_notices


def publish_demo(fair: Fair) -> str:
    """Solve and publish the fair unless its schedule is published already; return what was done."""
    if fair.phase == "published":
        return "Schedule already published: kept as it is."
    if fair.phase != "scheduling":
        fairs.set_phase(fair, "scheduling")
    owner = next((m.user for m in fair.organisers if m.role == "owner"), None)
    run = scheduling.request_solve(fair, owner, float(current_app.config["SOLVER_TIME_LIMIT"]))
    db.session.commit()
    click.echo(f"Solving the schedule (at most {run.time_limit:.0f} s)...")
    solving.run_solve(run.id)
    run = db.session.get(ScheduleRun, run.id)
    if run is None or run.status != "done" or not run.drafts:
        raise click.ClickException("The solve gave no schedule to publish: see the run on the fair's page.")
    publishing.publish_run(run)
    db.session.commit()
    waiting = pending_notices(fair.id)  # rendered by the next mail run, not by this command
    return (
        f"Schedule published: {len(run.drafts)} meetings ({run.solver_status}); {waiting} e-mail(s) to "
        "prepare: the next mail run (the demo's mailbox, while it serves) puts them in the outbox."
    )
