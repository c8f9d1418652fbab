"""`salon organiser add|remove|list`: who may create fairs on this Salon (the administrator decides)."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from salon.extensions import db


@click.group("organiser")
def organiser_command() -> None:
    """Accounts that may create fairs (co-organisers of a fair are invited from its pages)."""


@organiser_command.command("add")
@click.argument("email")
@click.option("--name", default="", help="The person's name, for a new account.")
@with_appcontext
def add_command(email: str, name: str) -> None:
    """Let EMAIL create fairs; without an account yet, create it (the password is asked twice)."""
    from salon.services import DomainError, fair_creators

    password = None
    if fair_creators.account_for(email) is None:
        password = click.prompt("Password for the new account", hide_input=True, confirmation_prompt=True)
    try:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # no request chooses it here
            user = fair_creators.allow_fair_creation(email, name, password)
    except DomainError as exc:
        db.session.rollback()
        click.echo(exc.message, err=True)
        sys.exit(1)
    db.session.commit()
    made = "account created; " if password is not None else ""
    click.echo(f"{user.email}: {made}may create fairs (sign in at /login)")


@organiser_command.command("remove")
@click.argument("email")
@with_appcontext
def remove_command(email: str) -> None:
    """Stop EMAIL from creating fairs (the fairs it organises are kept)."""
    from salon.services import DomainError, fair_creators

    try:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            user = fair_creators.withdraw_fair_creation(email)
    except DomainError as exc:
        db.session.rollback()
        click.echo(exc.message, err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"{user.email}: may no longer create fairs")


@organiser_command.command("list")
@with_appcontext
def list_command() -> None:
    """List the accounts that may create fairs."""
    from salon.services import fair_creators

    for user in fair_creators.fair_creators():
        click.echo(f"{user.email}\t{user.full_name}")


def register(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    app.cli.add_command(organiser_command)
