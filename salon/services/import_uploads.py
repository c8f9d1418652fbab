"""Imports in progress: a read file kept in the database between the steps, and the mappings fairs remember.

An upload is deleted once imported or abandoned; the retention purge deletes those left for a day. The
columns and values an organiser chose are saved with the fair and offered again for the next file, also
at the organiser's other fairs (the fair's own choices first).
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from salon.extensions import db
from salon.models import Fair, ImportMapping, ImportUpload, OrganiserMembership, Participant, User
from salon.services import DomainError
from salon.services.import_columns import FIELDS, auto_columns, find_header, header_key
from salon.services.import_rows import Mapping, Sheet, doubled_fields, missing_required, unknown_values
from salon.services.import_table import HEADER_SEARCH, ImportRejected, Problem, ReadStats, Row, read_rows
from salon.services.import_values import Picks
from salon.services.importing import check_sheet, import_planned, known_organisations

STALE_AFTER = timedelta(days=1)


def _pack(rows: list[Row]) -> bytes:
    return zlib.compress(json.dumps(rows, ensure_ascii=False).encode())


def sheet_of(upload: ImportUpload) -> Sheet:
    """Return the upload's rows with its header row."""
    rows = [(number, cells) for number, cells in json.loads(zlib.decompress(upload.rows))]
    return Sheet(rows, upload.header)


def mapping_of(upload: ImportUpload) -> Mapping:
    """Return the choices made so far for the upload."""
    return Mapping(list(upload.columns), upload.side, {k: dict(v) for k, v in (upload.values or {}).items()})


def start_upload(
    fair: Fair, user: User | None, filename: str, data: bytes, stats: ReadStats | None = None
) -> ImportUpload:
    """Read a file (refused beyond the caps) and keep it with a first mapping: remembered, then automatic."""
    rows = read_rows(filename, data, stats)
    name = "".join(ch for ch in filename if ch.isprintable())[-200:]  # shown on pages; no NUL for PostgreSQL
    upload = ImportUpload(fair_id=fair.id, created_by_id=user.id if user else None, filename=name)
    upload.rows = _pack(rows)
    _map(upload, Sheet(rows, find_header(rows)), fair, user)
    db.session.add(upload)
    db.session.flush()
    return upload


def _map(upload: ImportUpload, sheet: Sheet, fair: Fair, user: User | None) -> None:
    """Set the header row, the columns and the remembered picks of the values this file holds."""
    remembered = remembered_mapping(fair, user)
    upload.header = sheet.header
    upload.columns = auto_columns(sheet.headers, remembered.columns)
    upload.side = ""
    mapping = Mapping(list(upload.columns), "", remembered.values)
    upload.values = {}
    for unknown in unknown_values(sheet, mapping):
        if unknown.pick is not None:
            upload.values.setdefault(unknown.vocabulary, {})[unknown.key] = unknown.pick


def set_header(upload: ImportUpload, header: int, fair: Fair, user: User | None) -> None:
    """Take another of the first rows as the header row, and match its columns again."""
    rows = sheet_of(upload).rows
    if not 0 <= header < min(HEADER_SEARCH, len(rows)):
        raise DomainError(_("Choose values from the list."), "header")
    _map(upload, Sheet(rows, header), fair, user)
    db.session.flush()


def set_columns(upload: ImportUpload, columns: list[str], side: str) -> None:
    """Save the field of each column and the side of rows without one; refuse a missing required field."""
    mapping = Mapping(columns, side)
    problems = [_("No column gives this field: %(f)s.", f=FIELDS[n]) for n in missing_required(mapping)]
    problems += [_("Several columns are given to %(f)s.", f=FIELDS[n]) for n in doubled_fields(mapping)]
    upload.columns, upload.side = columns, side
    db.session.flush()
    if problems:
        raise DomainError(" ".join(problems), "columns")
    _remember_choices(upload)


def set_values(upload: ImportUpload, picks: dict[str, Picks]) -> list[tuple[str, str]]:
    """Save the organiser's picks; return the (vocabulary, value key) still without one."""
    values = {k: dict(v) for k, v in (upload.values or {}).items()}
    for vocabulary, chosen in picks.items():
        values.setdefault(vocabulary, {}).update(chosen)
    upload.values = values
    db.session.flush()
    _remember_choices(upload)
    mapping = mapping_of(upload)
    return [(u.vocabulary, u.key) for u in unknown_values(sheet_of(upload), mapping) if u.pick is None]


def _remember_choices(upload: ImportUpload) -> None:
    """Keep the organiser's choices with the fair at once: a file refused at the check comes back fixed."""
    remember_mapping(db.session.get(Fair, upload.fair_id), sheet_of(upload), mapping_of(upload))


def finish_upload(fair: Fair, upload: ImportUpload, user: User | None) -> list[Participant]:
    """Import every row or none; remember the mapping with the fair and delete the upload."""
    sheet, mapping = sheet_of(upload), mapping_of(upload)
    left = [u for u in unknown_values(sheet, mapping) if u.pick is None]
    if left:
        message = _("Choose a value for %(v)s.", v=", ".join(u.text for u in left[:5]))
        raise ImportRejected([Problem(0, "", message)])
    planned = check_sheet(fair, sheet, mapping, known_organisations(fair, user))
    deleted = db.session.execute(delete(ImportUpload).where(ImportUpload.id == upload.id))
    if deleted.rowcount != 1:  # another request imported or abandoned it meanwhile
        raise DomainError(_("This import was already finished."), "upload")
    created = import_planned(fair, planned)
    remember_mapping(fair, sheet, mapping)
    return created


def abandon_upload(upload: ImportUpload) -> None:
    """Delete an upload the organiser gives up."""
    db.session.execute(delete(ImportUpload).where(ImportUpload.id == upload.id))
    db.session.flush()


def upload_of_fair_or_none(fair: Fair, upload_id: int) -> ImportUpload | None:
    """Return the upload if it belongs to the fair."""
    upload = db.session.get(ImportUpload, upload_id)
    return upload if upload is not None and upload.fair_id == fair.id else None


def open_uploads(fair: Fair) -> list[ImportUpload]:
    """Return the fair's uploads not yet imported, newest first."""
    query = select(ImportUpload).where(ImportUpload.fair_id == fair.id).order_by(ImportUpload.id.desc())
    return list(db.session.scalars(query))


def remember_mapping(fair: Fair, sheet: Sheet, mapping: Mapping) -> ImportMapping:
    """Save the file's columns and the picked values with the fair (merged with what it remembers)."""
    saved = db.session.scalar(select(ImportMapping).where(ImportMapping.fair_id == fair.id))
    if saved is None:
        saved = ImportMapping(fair_id=fair.id, columns={}, values={})
        db.session.add(saved)
    columns = dict(saved.columns or {})
    columns.update({header_key(h): field for h, field in zip(sheet.headers, mapping.columns, strict=False)})
    values = {k: dict(v) for k, v in (saved.values or {}).items()}
    for vocabulary, picks in mapping.values.items():
        values.setdefault(vocabulary, {}).update(picks)
    saved.columns, saved.values = columns, values
    db.session.flush()
    return saved


@dataclass
class Remembered:
    """Choices of earlier imports: header key -> field, vocabulary -> value key -> codes."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, Picks] = field(default_factory=dict)


def remembered_mapping(fair: Fair, user: User | None = None) -> Remembered:
    """Return the remembered choices: the fair's, then those of the user's other fairs, newest first."""
    query = select(ImportMapping).where(ImportMapping.fair_id == fair.id)
    if user is not None:
        fairs = select(OrganiserMembership.fair_id).where(OrganiserMembership.user_id == user.id)
        query = select(ImportMapping).where(
            (ImportMapping.fair_id == fair.id) | ImportMapping.fair_id.in_(fairs)
        )
    saved = sorted(db.session.scalars(query), key=lambda m: (m.fair_id == fair.id, m.updated_at))
    remembered = Remembered()
    for mapping in saved:  # the fair's own and the newest come last and win
        remembered.columns.update(mapping.columns or {})
        for vocabulary, picks in (mapping.values or {}).items():
            remembered.values.setdefault(vocabulary, {}).update(picks)
    return remembered


def purge_stale_uploads(now: datetime) -> int:
    """Delete the uploads left unfinished for a day; return how many."""
    result = db.session.execute(delete(ImportUpload).where(ImportUpload.updated_at < now - STALE_AFTER))
    db.session.flush()
    return result.rowcount or 0
