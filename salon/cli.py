"""`salon ...` commands: the Flask CLI with the app factory, plus Salon's own commands."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from salon import create_app

    # Commands (db upgrade, mail send, ...) serve no request: they start without a SECRET_KEY. The ones that
    # serve (demo, run) check for themselves.
    return create_app(for_requests=False)


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """Salon: business-meeting fairs for the social and solidarity economy."""


def register_commands(app: Flask) -> None:
    """Attach every Salon command to the app's CLI."""
    from salon import demo

    app.cli.add_command(demo.demo_command)
    from salon import dayof_cli

    dayof_cli.register(app)
    from salon.cli_mail import mail_command

    app.cli.add_command(mail_command)
    from salon import cli_jobs

    cli_jobs.register(app)
    from salon import backup

    backup.register(app)
    from salon.print_cli import print_command

    app.cli.add_command(print_command)
    from salon import import_cli

    import_cli.register(app)
    from salon import organiser_cli

    organiser_cli.register(app)

    @app.cli.command("reindex-search")
    def reindex_search() -> None:
        """Rewrite the search index of every organisation (after an upgrade)."""
        from salon.extensions import db
        from salon.services.search import reindex_all

        count = reindex_all()
        db.session.commit()
        click.echo(f"{count} organisation(s) reindexed")

    @app.cli.command("compile-translations")
    def compile_translations() -> None:
        """Compile the .po catalogues into .mo files."""
        from salon.catalogues import compile_catalogues

        click.echo(f"{compile_catalogues()} catalogue(s) compiled")
