"""`salon print badges|agendas|tables FAIR_SLUG -o FILE.pdf`: the organiser's printouts, from the shell."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from salon.extensions import db
from salon.keys import InsecureSecretKey
from salon.models import Fair
from salon.models.printing import DOCUMENTS


@click.command("print")
@click.argument("document", type=click.Choice(DOCUMENTS))
@click.argument("fair_slug")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--with-empty", is_flag=True, help="Agendas: also the participants without meetings.")
@click.option("--lang", type=click.Choice(("fr", "en")), help="Language (default: the fair's).")
@with_appcontext
def print_command(document: str, fair_slug: str, output: Path, with_empty: bool, lang: str | None) -> None:
    """Build a fair's badges, agendas or table sheets as one PDF (the same PDF as the organiser's page)."""
    from salon.services.printouts import render_document

    fair = db.session.scalar(select(Fair).where(Fair.slug == fair_slug))
    if fair is None:
        raise click.UsageError(f"No fair has the slug {fair_slug!r}.")
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        click.echo(f"\r{document}: {done}/{total} laid out", nl=False, err=True)

    try:
        with force_locale(lang or fair.language or "fr"):
            printout = render_document(fair, document, with_empty, progress)
    except InsecureSecretKey as exc:  # badges sign their check-in codes with the installation's key
        raise click.ClickException(str(exc)) from None
    click.echo("", err=True)
    partial = output.with_name(output.name + ".part")
    partial.write_bytes(printout.pdf)
    os.replace(partial, output)  # no half-written file under the final name
    counts = [_count(printout.pages, "page"), _count(printout.items, document.rstrip("s"))]
    if printout.meetings is not None:
        counts.append(_count(printout.meetings, "meeting"))
    size, seconds = len(printout.pdf) / 1e6, time.monotonic() - started
    click.echo(f"{output}: {', '.join(counts)}, {size:.1f} MB in {seconds:.1f} s")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
