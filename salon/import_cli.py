"""`salon import FAIR_SLUG FILE [--mapping FILE.json] [--dry-run]`: the web import's checks, scripted."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from salon.extensions import db


@click.command("import")
@click.argument("fair_slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON: header_row, side, columns {header: field}, values {vocabulary: {value: code}}.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and count the rows without importing them.")
def import_command(fair_slug: str, file: Path, mapping_file: Path | None, dry_run: bool) -> None:
    """Import participants from a CSV or XLSX file: every row or none (exit 1 listing the problems)."""
    from salon.models import Fair
    from salon.services import DomainError
    from salon.services.import_files import plan_file
    from salon.services.import_uploads import remember_mapping
    from salon.services.importing import import_planned

    fair = db.session.scalar(select(Fair).where(Fair.slug == fair_slug))
    if fair is None:
        raise click.ClickException(f"no fair with the slug {fair_slug!r}")
    document = _document(mapping_file)
    with force_locale(fair.language or "fr"):
        try:
            sheet, mapping, planned = plan_file(fair, file.name, file.read_bytes(), document)
            if not dry_run:
                import_planned(fair, planned)
                remember_mapping(fair, sheet, mapping)
        except DomainError as exc:
            db.session.rollback()
            _report(exc)
            sys.exit(1)
    known = sum(1 for item in planned if item.organisation is not None)
    if dry_run:
        db.session.rollback()
        click.echo(f"{len(planned)} participant(s) to import ({known} known organisation(s) reused); dry run")
        return
    db.session.commit()
    click.echo(f"{len(planned)} participant(s) imported ({known} known organisation(s) reused)")


def _document(path: Path | None) -> dict | None:
    """Return the mapping document, or stop with a clear message when it is not a JSON object."""
    if path is None:
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: not a JSON file ({exc})") from None
    if not isinstance(document, dict):
        raise click.ClickException(f"{path}: expected a JSON object")
    return document


def _report(exc: Exception) -> None:
    """Print every problem, one per line: row, column, message."""
    problems = getattr(exc, "problems", [])
    click.echo(str(exc), err=True)
    for problem in problems:
        where = f"row {problem.row}" if problem.row else "file"
        column = f" [{problem.column}]" if problem.column else ""
        click.echo(f"{where}{column}: {problem.message}", err=True)


def register(app: Flask) -> None:
    """Attach the command to the app's CLI."""
    app.cli.add_command(import_command)
