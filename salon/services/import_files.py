"""A whole import in one call, for the command line: a file, an optional mapping document, the same checks.

The mapping document (JSON) gives what the web steps ask; everything it leaves out comes from the fair's
saved mapping and the automatic matching:

    {"header_row": 3, "side": "supplier",
     "columns": {"Raison sociale": "name", "Collège": null},
     "values": {"sectors": {"Peinture murale": "btp", "Divers": null}}}

Columns and values are named as the file writes them; null leaves a column or a value out.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from salon.models import Fair
from salon.services.import_columns import FIELDS, auto_columns, find_header, header_key
from salon.services.import_rows import Mapping, Sheet
from salon.services.import_table import ImportRejected, Problem, ReadStats, read_rows
from salon.services.import_uploads import remembered_mapping
from salon.services.import_values import VOCABULARIES, labels
from salon.services.importing import Planned, check_sheet, known_organisations


def plan_file(
    fair: Fair,
    filename: str,
    data: bytes,
    document: dict[str, Any] | None = None,
    stats: ReadStats | None = None,
) -> tuple[Sheet, Mapping, list[Planned]]:
    """Read and check a file under its mapping; raise ImportRejected listing every problem by row."""
    document = document or {}
    rows = read_rows(filename, data, stats)
    sheet = Sheet(rows, _header(rows, document.get("header_row")))
    mapping = _mapping(fair, sheet, document)
    return sheet, mapping, check_sheet(fair, sheet, mapping, known_organisations(fair))


def _header(rows: list, row_number: Any) -> int:
    """Return the position of the header row: the document's row number, else the one found."""
    if row_number is None:
        return find_header(rows)
    for index, (number, _cells) in enumerate(rows):
        if number == row_number:
            return index
    raise ImportRejected([Problem(0, "header_row", _("This row is empty or missing: %(v)s.", v=row_number))])


def _mapping(fair: Fair, sheet: Sheet, document: dict[str, Any]) -> Mapping:
    """Return the document's choices over the fair's remembered ones and the automatic matching."""
    remembered = remembered_mapping(fair)
    problems = []
    for header, name in (document.get("columns") or {}).items():
        if name is not None and name not in FIELDS:
            problems.append(Problem(1, str(header), _("Unknown field %(v)s.", v=name)))
        remembered.columns[header_key(header)] = name or ""
    side = document.get("side") or ""
    if side not in ("", "buyer", "supplier"):
        problems.append(Problem(0, "side", _("Unknown value %(v)s: write buyer or supplier.", v=side)))
    for vocabulary, picks in (document.get("values") or {}).items():
        known = labels(vocabulary) if vocabulary in VOCABULARIES else {}
        for value, codes in (picks or {}).items():
            codes = [codes] if isinstance(codes, str) else list(codes or [])
            if not known or any(code not in known for code in codes):
                written = f"{value} → {', '.join(codes)}"
                problems.append(Problem(0, str(vocabulary), _("Unknown value: %(v)s.", v=written)))
            remembered.values.setdefault(vocabulary, {})[header_key(value)] = codes
    if problems:
        raise ImportRejected(problems)
    return Mapping(auto_columns(sheet.headers, remembered.columns), side, remembered.values)
