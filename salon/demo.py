"""`salon demo`: a realistic Coventis-style demo fair, created idempotently, then served."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Create the demo fair and stop.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Create the demo fair (same data every time) and serve the app."""
    click.echo("demo: not yet")
