"""`salon mail ...`: drain the e-mail outbox."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("mail")
def mail_command() -> None:
    """E-mail outbox commands."""


@mail_command.command("send")
@click.option("--limit", default=100, show_default=True, help="Most messages to send in this run.")
@with_appcontext
def send_command(limit: int) -> None:
    """Send the due messages of the outbox (retried later on failure, never lost).

    Exits 0 when the run did its job, even if some messages were refused for good (they are marked failed
    with the reason); exits 1 when the mail server could not be reached (everything is tried again).
    """
    from salon.preparing import prepare_all
    from salon.services.mail import send_pending

    prepare_all()  # e-mails about meetings still to render (a lost "prepare" job) go out with this run
    report = send_pending(limit=limit)
    click.echo(
        f"claimed {report.claimed}, sent {report.sent}, to retry {report.retried}, failed {report.failed}"
    )
    if report.unreachable:
        raise click.ClickException("the mail server could not be reached; the messages will be tried again")
