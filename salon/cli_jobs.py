"""`salon worker`, `salon scheduler` and `salon jobs ...`: the processes and commands of background work."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from salon import jobs, queues
from salon.extensions import db

SHORT_NAMES = {name.removeprefix("salon-"): name for name in queues.ALL}  # "mail" for salon-mail...


def _need_redis() -> None:
    if not queues.redis_url():
        raise click.UsageError(
            "REDIS_URL is not set: jobs run inside the web process, no worker or scheduler is needed "
            "(run the periodic jobs with `salon jobs run mail|remind|purge|sweep` from cron or a timer)."
        )


@click.command("worker")
@click.option(
    "--queue",
    "queue_names",
    multiple=True,
    envvar="SALON_WORKER_QUEUES",
    type=click.Choice(sorted(SHORT_NAMES)),
    help="Listen to this queue (repeat for several; or SALON_WORKER_QUEUES, space-separated). "
    "Default: all of them, in the order of salon/queues.py.",
)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker_command(queue_names: tuple[str, ...], burst: bool) -> None:
    """Run an RQ worker for background jobs: solves, mail sending, reminders, purge (needs REDIS_URL)."""
    from rq import Queue, Worker

    from salon.services.run_leases import release_dead_runs

    _need_redis()
    names = [q for q in queues.ALL if q in {SHORT_NAMES[n] for n in queue_names}] or list(queues.ALL)
    # What a worker that died held is released now; queued runs wait for this one (not yet listening).
    released = release_dead_runs(statuses=("running",))
    db.session.commit()
    db.session.remove()
    if released:
        click.echo(f"{released} abandoned run(s) released")
    connection = queues.connection()
    worker = Worker(
        [Queue(name, connection=connection) for name in names],
        connection=connection,
        work_horse_killed_handler=jobs.horse_killed,
    )
    worker.work(burst=burst)


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Put the periodic jobs on their queues, each at its period (run one scheduler per installation)."""
    from rq.cron import CronScheduler

    from salon.job_kinds import KINDS

    _need_redis()
    scheduler = CronScheduler(connection=queues.connection())
    for kind in KINDS.values():
        every = int(current_app.config.get(kind.every, 0)) if kind.every else 0
        if every > 0:
            scheduler.register(
                jobs.perform, kind.queue, args=(kind.name,), interval=every, job_timeout=kind.timeout_for(())
            )
    scheduler.start()


@click.group("jobs")
def jobs_command() -> None:
    """Run or queue a background job by hand."""


def _periodic_kinds() -> list[str]:
    from salon.job_kinds import KINDS

    return sorted(name for name, kind in KINDS.items() if kind.every)


@jobs_command.command("run")
@click.argument("name", type=click.Choice(_periodic_kinds()))
@with_appcontext
def run_command(name: str) -> None:
    """Run a periodic job now, in this process (cron or a timer, when there is no Redis)."""
    click.echo(jobs.kind(name).run())


@jobs_command.command("enqueue")
@click.argument("name", type=click.Choice(_periodic_kinds()))
@with_appcontext
def enqueue_command(name: str) -> None:
    """Put a periodic job on its queue now, for a worker to run."""
    _need_redis()
    click.echo(jobs.enqueue(name))


def register(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    for command in (worker_command, scheduler_command, jobs_command):
        app.cli.add_command(command)
