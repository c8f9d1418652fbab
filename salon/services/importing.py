"""Import participants from CSV/XLSX: the whole file is checked first, then every row goes in or none.

Reading the file and mapping its headers: salon.services.import_table.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from salon import domain
from salon.extensions import db
from salon.models import Fair, Organisation, Participant
from salon.models.organisation import BUYER_KINDS, STRUCTURE_TYPES
from salon.services import SINGLE_LINE_MESSAGE
from salon.services.import_table import (
    REQUIRED,
    TEMPLATE_HEADERS,
    ImportRejected,
    Problem,
    map_headers,
    read_table,
)
from salon.services.participants_admin import create_participant
from salon.text import fold, has_control_characters

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
# Every column but the free texts is shown on one line (names in mail headers, badges, calendars).
SINGLE_LINE_COLUMNS = tuple(key for key in TEMPLATE_HEADERS if key not in ("offer", "needs"))
COLUMN_LABELS = {"name": _l("name"), "side": _l("profile"), "contact_email": _l("e-mail")}


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
    for key in SINGLE_LINE_COLUMNS:
        if has_control_characters(values.get(key)):
            bad(key, str(SINGLE_LINE_MESSAGE))
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
