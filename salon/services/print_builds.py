"""Printout builds: ask for one, follow it, keep its PDF where every web process finds it, purge old ones.

The PDF is kept in the database, or in PRINT_STORAGE_DIR when set (a folder every web and worker process
shares): never only on the disk of the process that built it.
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from salon.extensions import db
from salon.models import Fair, PrintBuild, User
from salon.models.base import utcnow
from salon.models.printing import DOCUMENTS
from salon.services import DomainError, NotAllowed
from salon.services.printouts import Printout

STALE_AFTER = timedelta(minutes=10)  # a build silent for this long died with its process
BUILDING = ("queued", "running")


def request_build(
    fair: Fair, user: User | None, document: str, include_empty: bool = False, locale: str = "fr"
) -> tuple[PrintBuild, bool]:
    """Queue a build of the document; return (build, True), or (the build under way, False) if the same."""
    if document not in DOCUMENTS:
        raise DomainError(_("Unknown printout."), "document")
    include_empty = include_empty and document == "agendas"
    expire_stale_builds(fair)
    purge_old_builds(fair)
    build = PrintBuild(
        fair_id=fair.id,
        created_by_id=user.id if user else None,
        document=document,
        include_empty=include_empty,
        locale=locale,
    )
    try:
        with db.session.begin_nested():
            db.session.add(build)
    except IntegrityError:
        current = _building(fair, document)
        if current is None or current.include_empty != include_empty:
            raise NotAllowed(
                _("This printout is already being built with other options: wait until it is ready."),
                "document",
            ) from None
        return current, False
    return build, True


def _building(fair: Fair, document: str) -> PrintBuild | None:
    return db.session.scalar(
        select(PrintBuild).where(
            PrintBuild.fair_id == fair.id, PrintBuild.document == document, PrintBuild.status.in_(BUILDING)
        )
    )


def build_of_fair_or_none(fair: Fair, build_id: int) -> PrintBuild | None:
    """Return the build if it belongs to the fair."""
    build = db.session.get(PrintBuild, build_id)
    return build if build is not None and build.fair_id == fair.id else None


def latest_builds(fair: Fair) -> dict[str, PrintBuild]:
    """Return the fair's most recent build of each document."""
    rows = db.session.scalars(
        select(PrintBuild).where(PrintBuild.fair_id == fair.id).order_by(PrintBuild.id.desc())
    )
    latest: dict[str, PrintBuild] = {}
    for build in rows:
        latest.setdefault(build.document, build)
    return latest


def store_result(build: PrintBuild, printout: Printout, now: datetime | None = None) -> None:
    """Keep the built PDF and its figures, and mark the build done."""
    folder = current_app.config.get("PRINT_STORAGE_DIR")
    if folder:
        name = f"{build.id}-{secrets.token_hex(8)}.pdf"
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(printout.pdf)
        os.replace(partial, path)  # another process never sees half a file
        build.file_name = name
    else:
        build.pdf = printout.pdf
    build.pages, build.meetings, build.size = printout.pages, printout.meetings, len(printout.pdf)
    build.done = build.total = max(build.total, printout.items)
    build.status, build.finished_at = "done", now or utcnow()
    db.session.flush()


def read_pdf(build: PrintBuild) -> bytes | None:
    """Return the build's PDF, or None when it is not (or no longer) there."""
    if build.status != "done":
        return None
    if build.file_name:
        path = _file_path(build.file_name)
        return path.read_bytes() if path is not None and path.is_file() else None
    return build.pdf


def _file_path(name: str) -> Path | None:
    folder = current_app.config.get("PRINT_STORAGE_DIR")
    return Path(folder) / Path(name).name if folder else None


def expire_stale_builds(fair: Fair, now: datetime | None = None) -> None:
    """Mark as failed the builds whose process stopped reporting (a restart, a crash)."""
    limit = (now or utcnow()) - STALE_AFTER
    for build in db.session.scalars(
        select(PrintBuild).where(PrintBuild.fair_id == fair.id, PrintBuild.status.in_(BUILDING))
    ):
        if (build.heartbeat_at or build.created_at) < limit:
            build.status, build.error, build.finished_at = "failed", "interrupted", now or utcnow()
    db.session.flush()


def purge_old_builds(fair: Fair, now: datetime | None = None) -> int:
    """Delete the finished builds older than PRINT_KEEP_HOURS and those a newer build replaced."""
    limit = (now or utcnow()) - timedelta(hours=float(current_app.config.get("PRINT_KEEP_HOURS", 24)))
    finished = db.session.scalars(
        select(PrintBuild)
        .where(PrintBuild.fair_id == fair.id, PrintBuild.status.in_(("done", "failed")))
        .order_by(PrintBuild.id.desc())
    )
    kept: set[str] = set()
    old = []
    for build in finished:
        if build.document in kept or (build.finished_at or build.created_at) < limit:
            old.append(build)
        elif build.status == "done":
            kept.add(build.document)
    _delete(old)
    return len(old)


def purge_expired_builds(now: datetime | None = None) -> int:
    """Delete every fair's finished builds older than PRINT_KEEP_HOURS (`salon purge` runs it daily)."""
    limit = (now or utcnow()) - timedelta(hours=float(current_app.config.get("PRINT_KEEP_HOURS", 24)))
    finished = select(PrintBuild).where(PrintBuild.status.in_(("done", "failed")))
    old = [b for b in db.session.scalars(finished) if (b.finished_at or b.created_at) < limit]
    _delete(old)
    return len(old)


def delete_fair_builds(fair: Fair) -> None:
    """Delete every build of the fair and its file (the fair's personal data is being purged)."""
    _delete(list(db.session.scalars(select(PrintBuild).where(PrintBuild.fair_id == fair.id))))


def _delete(builds: list[PrintBuild]) -> None:
    for build in builds:
        path = _file_path(build.file_name) if build.file_name else None
        if path is not None:
            path.unlink(missing_ok=True)
        db.session.delete(build)
    db.session.flush()
