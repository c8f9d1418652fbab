"""Read an import file: CSV or XLSX into a header and rows, and map its headers to known columns.

Spreadsheets in France export `;`-separated UTF-8 (often with a BOM) or Windows-1252 CSV; both are read.
The import itself (row checks, then every row or none) is salon.services.importing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from openpyxl import load_workbook

from salon.services import DomainError
from salon.text import fold

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Canonical column -> accepted headers (compared lower-case, without accents or punctuation).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "nom de la structure",
        "nom",
        "structure",
        "raison sociale",
        "organisation",
        "entreprise",
        "name",
    ),
    "side": ("profil", "cote", "type de participant", "role", "acheteur ou fournisseur", "side"),
    "siret": ("siret", "n siret", "numero siret", "no siret"),
    "contact_email": (
        "e mail",
        "email",
        "courriel",
        "mail",
        "adresse e mail",
        "adresse mail",
        "email du contact",
    ),
    "contact": ("contact", "nom du contact", "prenom nom", "interlocuteur", "contact name"),
    "contact_phone": ("telephone", "tel", "portable", "phone"),
    "city": ("ville", "commune", "city"),
    "postcode": ("code postal", "cp", "postcode"),
    "structure_types": ("type de structure", "types de structure", "statut", "statut ess", "structure types"),
    "buyer_kind": ("type d acheteur", "type acheteur", "buyer kind"),
    "sectors": ("secteurs", "secteur", "secteurs d activite", "sectors"),
    "offer": ("offre", "offre de services", "offer"),
    "needs": ("besoins", "needs"),
    "website": ("site web", "site internet", "website"),
}
REQUIRED = ("name", "side", "contact_email")
TEMPLATE_HEADERS = {
    "name": "Nom de la structure",
    "side": "Profil",
    "siret": "SIRET",
    "contact_email": "E-mail",
    "contact": "Contact",
    "contact_phone": "Téléphone",
    "city": "Ville",
    "postcode": "Code postal",
    "structure_types": "Type de structure",
    "buyer_kind": "Type d'acheteur",
    "sectors": "Secteurs",
    "offer": "Offre",
    "needs": "Besoins",
    "website": "Site web",
}


@dataclass(frozen=True)
class Problem:
    """One error of an import file: spreadsheet row number (header = 1), column header, message."""

    row: int
    column: str
    message: str


class ImportRejected(DomainError):
    """The file was refused as a whole; `problems` lists every error by row and column."""

    def __init__(self, problems: list[Problem]):
        super().__init__(_("The file was not imported: %(n)d error(s).", n=len(problems)), "file")
        self.problems = problems


@dataclass
class Parsed:
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(filename: str, data: bytes) -> Parsed:
    """Read the header and rows of a CSV or XLSX file, refusing oversized or undecodable files."""
    if len(data) > MAX_BYTES:
        raise ImportRejected([Problem(0, "", _("The file is too large (at most 2 MB)."))])
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception:  # noqa: BLE001  (openpyxl raises many kinds on a broken file)
            raise ImportRejected([Problem(0, "", _("This is not a readable Excel (.xlsx) file."))]) from None
    else:
        text = _decode(data)
        first = text.split("\n", 1)[0]
        delimiter = max((";", ",", "\t"), key=first.count)
        table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    table = [row for row in table if any(row)]
    if not table:
        raise ImportRejected([Problem(0, "", _("The file is empty."))])
    if len(table) - 1 > MAX_ROWS:
        raise ImportRejected([Problem(0, "", _("Too many rows (at most %(n)d).", n=MAX_ROWS))])
    return Parsed(headers=table[0], rows=table[1:])


def _decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), else Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([Problem(0, "", _("Unknown text encoding: save the file as CSV UTF-8."))])


def map_headers(headers: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """Map canonical columns to their position; report missing required and unknown columns."""
    lookup = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    problems = []
    for i, header in enumerate(headers):
        key = lookup.get(fold(header))
        if key is None and header.strip():
            problems.append(Problem(1, header, _("Unknown column.")))
        elif key in found:
            problems.append(Problem(1, header, _("This column appears twice.")))
        elif key is not None:
            found[key] = i
    for key in REQUIRED:
        if key not in found:
            problems.append(Problem(1, TEMPLATE_HEADERS[key], _("Missing column.")))
    return found, problems


def template_bytes(fmt: str) -> bytes:
    """Return the import template, with two example rows."""
    headers = list(TEMPLATE_HEADERS.values())
    rows = [
        [
            "Ville de Lyon",
            "acheteur",
            "",
            "achats@example.org",
            "Claire Martin",
            "04 72 00 00 00",
            "Lyon",
            "69001",
            "",
            "commune",
            "nettoyage",
            "",
            "Entretien des écoles",
            "",
        ],
        [
            "ESAT Les Ateliers",
            "fournisseur",
            "",
            "contact@example.org",
            "Karim Benali",
            "",
            "Villeurbanne",
            "69100",
            "esat",
            "",
            "espaces_verts, nettoyage",
            "Entretien d'espaces verts",
            "",
            "",
        ],
    ]
    from salon.services.exporting import table_bytes  # exporting reads this module's columns

    return table_bytes(headers, rows, fmt, "Participants")
