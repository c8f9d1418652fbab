"""`salon ...` commands: the Flask CLI with the app factory, plus Salon's own commands."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from salon import create_app

    return create_app()


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
    from salon import jobs

    app.cli.add_command(jobs.worker_command)
    from salon import backup

    backup.register(app)
    from salon.print_cli import print_command

    app.cli.add_command(print_command)

    @app.cli.command("compile-translations")
    def compile_translations() -> None:
        """Compile the .po catalogues into .mo files."""
        from salon.i18n import compile_catalogues

        click.echo(f"{compile_catalogues()} catalogue(s) compiled")
