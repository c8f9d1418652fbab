"""Import participants from CSV/XLSX: the whole file is checked first, then every row goes in or none.

Spreadsheets in France export `;`-separated UTF-8 (often with a BOM) or Windows-1252 CSV; both are read.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from sqlalchemy import func, select

from salon import domain
from salon.extensions import db
from salon.models import Fair, Organisation, Participant
from salon.models.organisation import BUYER_KINDS, STRUCTURE_TYPES
from salon.services import DomainError
from salon.services.participants_admin import create_participant

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
SIDE_VALUES = {
    "acheteur": "buyer",
    "acheteuse": "buyer",
    "buyer": "buyer",
    "donneur d ordre": "buyer",
    "fournisseur": "supplier",
    "supplier": "supplier",
    "structure ess": "supplier",
    "offreur": "supplier",
    "prestataire": "supplier",
}
COLUMN_LABELS = {"name": _l("name"), "side": _l("profile"), "contact_email": _l("e-mail")}


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


def fold(text: str) -> str:
    """Return lower-case words without accents or punctuation ("Type d'acheteur" -> "type d acheteur")."""
    bare = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", bare).split())


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


def _codes(raw: str, known: tuple[str, ...] | list[str]) -> tuple[list[str], list[str]]:
    """Split a multi-value cell and map each value to a known code; return (codes, unknown values)."""
    by_fold = {fold(code): code for code in known}
    codes, unknown = [], []
    for part in re.split(r"[,|/;]", raw):
        if part.strip():
            code = by_fold.get(fold(part))
            (codes if code else unknown).append(code or part.strip())
    return codes, unknown


def _check_row(
    values: dict[str, str], line: int, headers: dict[str, str]
) -> tuple[dict[str, Any], list[Problem]]:
    """Validate one row; return the clean fields and the problems found."""
    problems: list[Problem] = []
    clean: dict[str, Any] = {k: v for k, v in values.items() if k in TEMPLATE_HEADERS}

    def bad(key: str, message: str) -> None:
        problems.append(Problem(line, headers.get(key, TEMPLATE_HEADERS[key]), message))

    for key in REQUIRED:
        if not values.get(key):
            bad(key, _("This value is required."))
    side = SIDE_VALUES.get(fold(values.get("side", "")))
    if values.get("side") and side is None:
        bad("side", _("Unknown value %(v)s: write acheteur or fournisseur.", v=values["side"]))
    clean["side"] = side
    if values.get("siret"):
        problem = domain.siret_problem(values["siret"])
        if problem is not None:
            bad("siret", _("Bad SIRET: 14 digits with a valid check digit are expected."))
        clean["siret"] = domain.clean_siret(values["siret"])
    if values.get("contact_email") and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", values["contact_email"]):
        bad("contact_email", _("Bad e-mail address."))
    clean["contact_email"] = values.get("contact_email", "").lower()
    for key, known in (("structure_types", STRUCTURE_TYPES), ("sectors", list(domain.SECTOR_LABELS))):
        codes, unknown = _codes(values.get(key, ""), known)
        clean[key] = codes
        if unknown:
            bad(key, _("Unknown value: %(v)s.", v=", ".join(unknown)))
    if values.get("buyer_kind"):
        codes, unknown = _codes(values["buyer_kind"], BUYER_KINDS)
        clean["buyer_kind"] = codes[0] if codes and not unknown else None
        if unknown or len(codes) != 1:
            bad("buyer_kind", _("Unknown value: %(v)s.", v=values["buyer_kind"]))
    else:
        clean["buyer_kind"] = None
    if values.get("postcode", "").isdigit():
        clean["postcode"] = values["postcode"].zfill(5)
    return clean, problems


def check_file(fair: Fair, filename: str, data: bytes) -> list[dict[str, Any]]:
    """Check a whole file; return its clean rows or raise ImportRejected listing every problem."""
    parsed = read_table(filename, data)
    positions, problems = map_headers(parsed.headers)
    if any(key not in positions for key in REQUIRED):
        raise ImportRejected(problems)
    headers = {key: parsed.headers[i] for key, i in positions.items()}
    emails, sirets = _existing_keys(fair)
    rows = []
    for n, raw in enumerate(parsed.rows, start=2):
        values = {key: (raw[i].strip() if i < len(raw) else "") for key, i in positions.items()}
        clean, found = _check_row(values, n, headers)
        problems += found
        email, siret_key = clean["contact_email"], (clean.get("siret"), clean["side"])
        if email and email in emails:
            problems.append(
                Problem(
                    n,
                    headers.get("contact_email", "E-mail"),
                    _("Duplicate: %(v)s already appears (row %(r)s).", v=email, r=emails[email]),
                )
            )
        elif email:
            emails[email] = n
        if clean.get("siret") and siret_key in sirets:
            problems.append(
                Problem(
                    n,
                    headers.get("siret", "SIRET"),
                    _(
                        "Duplicate: this SIRET is already registered for this profile (row %(r)s).",
                        r=sirets[siret_key],
                    ),
                )
            )
        elif clean.get("siret"):
            sirets[siret_key] = n
        rows.append(clean)
    if problems:
        raise ImportRejected(problems)
    return rows


def _existing_keys(fair: Fair) -> tuple[dict[str, int | str], dict[tuple, int | str]]:
    """Return the e-mails and (SIRET, side) already at the fair, to refuse duplicates."""
    rows = db.session.execute(
        select(func.lower(Organisation.contact_email), Organisation.siret, Participant.side)
        .join(Participant, Participant.organisation_id == Organisation.id)
        .where(Participant.fair_id == fair.id)
    ).all()
    already = _("already at the fair")
    emails: dict[str, int | str] = {e: already for e, _s, _side in rows if e}
    sirets: dict[tuple, int | str] = {(s, side): already for _e, s, side in rows if s}
    return emails, sirets


def import_participants(fair: Fair, filename: str, data: bytes) -> list[Participant]:
    """Import every row of the file as an approved participant, or none when any row is wrong."""
    rows = check_file(fair, filename, data)
    created = []
    for row in rows:
        side, contact = row.pop("side"), row.pop("contact", "")
        created.append(create_participant(fair, side, row, contact_name=contact))
    db.session.flush()
    return created


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
