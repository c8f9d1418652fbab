"""A read file under a mapping: its header, its values no synonym knows, and its rows checked as forms check.

Every value is checked as the profile forms check it (lengths, control characters, SIRET, e-mail, websites
only http(s)) with the same functions; the rows come back clean or with every problem by row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter

from salon import domain
from salon.models import Attendee, Organisation
from salon.services import DomainError
from salon.services.import_columns import FIELDS, LIST_FIELDS, REQUIRED
from salon.services.import_table import MAX_ROWS, Problem, Row, rejected
from salon.services.import_values import SINGLE, VOCABULARIES, Picks, labels, read_cell, suggest
from salon.services.participants_admin import check_email
from salon.services.profiles import check_siret
from salon.text import has_control_characters

MULTILINE = ("offer", "needs", "purchases_planned", "references")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=64)
def _limit(name: str) -> int:
    """Return the longest value a field takes: its column's length, or the forms' limit for long text."""
    if name == "siret":
        return 30  # as the forms: spaces and dots allowed, 14 digits checked afterwards
    person = ("contact", "contact_first_name", "contact_last_name")
    column = Attendee.full_name if name in person else getattr(Organisation, name, None)
    length = getattr(getattr(column, "type", None), "length", None)
    return length or domain.LONG_TEXT


@dataclass
class Sheet:
    """The rows of a file, with the position of its header row among them."""

    rows: list[Row]
    header: int = 0

    def __post_init__(self) -> None:
        if len(self.data) > MAX_ROWS:
            raise rejected(_("Too many rows (at most %(n)d).", n=MAX_ROWS))

    @property
    def data(self) -> list[Row]:
        return self.rows[self.header + 1 :]

    @property
    def headers(self) -> list[str]:
        """Return the header of every column ("Column F" where the header cell is empty)."""
        width = max(len(cells) for _n, cells in self.rows[self.header :])
        cells = self.rows[self.header][1] + [""] * width
        return [cells[i] or _("Column %(letter)s", letter=get_column_letter(i + 1)) for i in range(width)]


@dataclass
class Mapping:
    """The organiser's choices: a field per column ("" = ignored), a side for rows without one, picks."""

    columns: list[str]
    side: str = ""
    values: dict[str, Picks] = field(default_factory=dict)

    def field_columns(self, name: str) -> list[int]:
        return [i for i, chosen in enumerate(self.columns) if chosen == name]


def missing_required(mapping: Mapping) -> list[str]:
    """Return the required fields no column gives (the side may be given for every row instead)."""
    return [
        name for name in REQUIRED if not mapping.field_columns(name) and not (name == "side" and mapping.side)
    ]


def doubled_fields(mapping: Mapping) -> list[str]:
    """Return the single-value fields chosen for more than one column."""
    return sorted({c for c in mapping.columns if c and c not in LIST_FIELDS and mapping.columns.count(c) > 1})


def row_values(mapping: Mapping, cells: list[str]) -> dict[str, str]:
    """Return the cell of each mapped field (the cells of a list field's columns joined)."""
    values: dict[str, str] = {}
    for i, name in enumerate(mapping.columns):
        cell = cells[i].strip() if i < len(cells) else ""
        if name and cell:
            values[name] = f"{values[name]}; {cell}" if name in values else cell
    return values


@dataclass
class Unknown:
    """A value of a vocabulary that no code, label or synonym matches, with where it is and the pick."""

    vocabulary: str
    key: str
    text: str
    rows: list[int] = field(default_factory=list)
    pick: list[str] | None = None

    @property
    def suggestions(self) -> list[str]:
        return suggest(self.vocabulary, self.text)


def unknown_values(sheet: Sheet, mapping: Mapping) -> list[Unknown]:
    """Return each value no synonym knows, once, in file order per vocabulary, with the pick made if any."""
    found: dict[tuple[str, str], Unknown] = {}
    for number, cells in sheet.data:
        values = row_values(mapping, cells)
        for vocabulary in VOCABULARIES:
            for key, text in read_cell(vocabulary, values.get(vocabulary, "")).unknown.items():
                entry = found.setdefault((vocabulary, key), Unknown(vocabulary, key, text))
                entry.rows.append(number)
    for (vocabulary, key), entry in found.items():
        entry.pick = mapping.values.get(vocabulary, {}).get(key)
    order = {v: i for i, v in enumerate(VOCABULARIES)}
    return sorted(found.values(), key=lambda u: order[u.vocabulary])


def unknown_message(vocabulary: str, text: str) -> str:
    """Say that a value matches no code, with the closest ones."""
    close = ", ".join(str(labels(vocabulary)[code]) for code in suggest(vocabulary, text)) or "—"
    return _("Unknown value: %(v)s (closest: %(close)s).", v=text, close=close)


@dataclass
class CleanRow:
    """A checked row: its number, side, organisation fields and contact person."""

    number: int
    side: str
    data: dict[str, Any]
    contact: str = ""


def check_row(
    number: int, values: dict[str, str], mapping: Mapping, headers: dict[str, str]
) -> tuple[CleanRow, list[Problem]]:
    """Return the clean row and the problems of one row."""
    problems: list[Problem] = []

    def bad(name: str, message: str) -> None:
        problems.append(Problem(number, headers.get(name) or str(FIELDS[name]), message))

    data: dict[str, Any] = {}
    for name, value in values.items():
        if name in FIELDS and name not in VOCABULARIES:
            data[name] = _text(name, value, bad)
    for vocabulary in VOCABULARIES:
        reading = read_cell(vocabulary, values.get(vocabulary, ""), mapping.values.get(vocabulary))
        for text in reading.unknown.values():
            bad(vocabulary, unknown_message(vocabulary, text))
        data[vocabulary] = (
            (reading.codes[0] if reading.codes else None) if vocabulary in SINGLE else reading.codes
        )
    side = data.pop("side") or mapping.side
    for name in REQUIRED:
        if not (side if name == "side" else data.get(name)):
            bad(name, _("This value is required."))
    _check_formats(data, bad)
    first, last = data.pop("contact_first_name", ""), data.pop("contact_last_name", "")
    contact = data.pop("contact", "") or f"{first} {last}".strip()
    return CleanRow(number, side, data, contact[: _limit("contact")]), problems


def _text(name: str, value: str, bad: Any) -> str:
    """Return a text value checked for control characters and length (single-line text on one line)."""
    multiline = name in MULTILINE
    value = value.strip() if multiline else _SPACES.sub(" ", value).strip()
    if has_control_characters(value, multiline=multiline):
        bad(name, _("Control characters are not allowed."))
    elif len(value) > _limit(name):
        bad(name, _("Too long: at most %(n)d characters.", n=_limit(name)))
    return value


def _check_formats(data: dict[str, Any], bad: Any) -> None:
    """Check and normalise SIRET, e-mail, website, postcode and phone as the forms do."""
    for name, check in (("siret", check_siret), ("contact_email", check_email), ("website", _website)):
        if data.get(name):
            try:
                data[name] = check(data[name])
            except DomainError as exc:
                bad(name, exc.message)
    if data.get("postcode", "").isdigit():
        data["postcode"] = data["postcode"].zfill(5)
    phone = data.get("contact_phone", "")
    if phone.isdigit() and len(phone) == 9:  # a spreadsheet number lost its leading zero
        data["contact_phone"] = "0" + phone


def _website(value: str) -> str:
    """Return the website with https:// added to a bare host ("www.example.org"); refuse other schemes."""
    value = domain.complete_website(value) or ""
    if domain.website_problem(value) is not None:
        raise DomainError(_("Enter a full address, e.g. https://…"), "website")
    return value


def recognised_values(sheet: Sheet, mapping: Mapping, limit: int = 100) -> dict[str, list[tuple[str, tuple]]]:
    """Return per vocabulary the values matched without the organiser (as written, codes), once each."""
    found: dict[str, dict[str, tuple[str, tuple]]] = {v: {} for v in VOCABULARIES}
    for _number, cells in sheet.data:
        values = row_values(mapping, cells)
        for vocabulary in VOCABULARIES:
            if values.get(vocabulary) and len(found[vocabulary]) < limit:
                for key, known in read_cell(vocabulary, values[vocabulary]).known.items():
                    found[vocabulary].setdefault(key, known)
    return {v: list(entries.values()) for v, entries in found.items() if entries}
