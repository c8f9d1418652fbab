"""Day-of and after commands: `salon purge` (retention) and `salon remind` (due reminders)."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask

from salon.extensions import db


def _now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.command("purge")
@click.option("--now", "now_text", default=None, help="Pretend the time is this ISO date (tests, dry runs).")
@click.option("--dry-run", is_flag=True, help="List the fairs due without purging them.")
def purge_command(now_text: str | None, dry_run: bool) -> None:
    """Purge the personal data of closed fairs past their retention period (figures are kept).

    Files left unimported for a day and printouts kept longer than SALON_PRINT_KEEP_HOURS are deleted too.
    """
    from salon.services.import_uploads import purge_stale_uploads
    from salon.services.print_builds import purge_expired_builds
    from salon.services.retention import fairs_due, purge_due_fairs

    now = _now(now_text)
    if dry_run:
        for fair in fairs_due(now):
            click.echo(f"due: {fair.id} {fair.slug}")
        return
    done = purge_due_fairs(now)
    printouts = purge_expired_builds(now)
    uploads = purge_stale_uploads(now)
    db.session.commit()
    for fair in done:
        click.echo(f"purged: {fair.id} {fair.slug}")
    click.echo(f"{printouts} old printout(s) deleted")
    click.echo(f"{len(done)} fair(s) purged")
    click.echo(f"{uploads} unfinished import(s) deleted")


@click.command("remind")
@click.option("--now", "now_text", default=None, help="Pretend the time is this ISO date.")
def remind_command(now_text: str | None) -> None:
    """Queue every reminder due (deadlines, agenda tomorrow, outcome forms); safe to run hourly."""
    from salon.services.reminders import send_due_reminders

    count = send_due_reminders(_now(now_text))
    db.session.commit()
    click.echo(f"{count} message(s) queued")


def register(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    app.cli.add_command(purge_command)
    app.cli.add_command(remind_command)
