"""Import participants from a read file and its mapping: every row is checked first, then all go in or none.

An organisation already known to the organiser's fairs (same SIRET) is reused with its profile (its empty
fields filled from the file), not duplicated. Reading: import_table; fields: import_columns; values:
import_values; row checks: import_rows; uploads kept between the steps: import_uploads.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from salon.extensions import db
from salon.models import Fair, Organisation, OrganiserMembership, Participant, User
from salon.services.import_columns import FIELDS
from salon.services.import_rows import (
    CleanRow,
    Mapping,
    Sheet,
    check_row,
    doubled_fields,
    missing_required,
    row_values,
    unknown_message,
    unknown_values,
)
from salon.services.import_table import ImportRejected, Problem
from salon.services.participants_admin import ORG_FIELDS, create_participant
from salon.services.profiles import update_profile

__all__ = ["ImportRejected", "Planned", "check_sheet", "import_planned", "known_organisations"]


@dataclass
class Planned:
    """A checked row and the known organisation it will reuse (None: a new organisation)."""

    row: CleanRow
    organisation: Organisation | None = None


def known_organisations(fair: Fair, user: User | None = None) -> dict[str, Organisation]:
    """Return by SIRET the organisations of the fairs the user organises (no user: the fair's organisers)."""
    organisers = (
        [user.id]
        if user is not None
        else select(OrganiserMembership.user_id).where(OrganiserMembership.fair_id == fair.id)
    )
    fairs = select(OrganiserMembership.fair_id).where(OrganiserMembership.user_id.in_(organisers))
    rows = db.session.scalars(
        select(Organisation)
        .join(Participant, Participant.organisation_id == Organisation.id)
        .where(Participant.fair_id.in_(fairs), Organisation.siret.is_not(None))
        .order_by(Organisation.updated_at, Organisation.id)
    )
    return {org.siret: org for org in rows if org.siret}  # the latest updated wins


def check_sheet(fair: Fair, sheet: Sheet, mapping: Mapping, known: dict[str, Organisation]) -> list[Planned]:
    """Check every row; return them planned, or raise ImportRejected listing every problem."""
    headers = {name: sheet.headers[i] for i, name in reversed(list(enumerate(mapping.columns))) if name}
    problems = mapping_problems(mapping)
    if problems:  # name what cannot be mapped: the missing fields, and each unknown value once
        for unknown in unknown_values(sheet, mapping):
            if unknown.pick is None:
                message = unknown_message(unknown.vocabulary, unknown.text)
                problems.append(Problem(unknown.rows[0], headers.get(unknown.vocabulary, ""), message))
        raise ImportRejected(problems)
    emails, sirets = _existing_keys(fair)
    planned = []
    for number, cells in sheet.data:
        row, found = check_row(number, row_values(mapping, cells), mapping, headers)
        problems += found + _duplicates(row, emails, sirets, headers)
        org = known.get(row.data.get("siret") or "")
        planned.append(Planned(row, org if org is not None and org.kind == row.side else None))
    if problems:
        raise ImportRejected(problems)
    return planned


def mapping_problems(mapping: Mapping) -> list[Problem]:
    """Return the required fields no column gives and the single fields given by several columns."""
    missing = [
        Problem(1, str(FIELDS[n]), _("No column gives this field.")) for n in missing_required(mapping)
    ]
    doubled = [
        Problem(1, str(FIELDS[n]), _("This field is chosen for several columns."))
        for n in doubled_fields(mapping)
    ]
    return missing + doubled


def _duplicates(row: CleanRow, emails: dict, sirets: dict, headers: dict[str, str]) -> list[Problem]:
    """Return the row's duplicates of earlier rows or of the fair's participants (and note the row's keys)."""
    problems = []
    email, siret = row.data.get("contact_email") or "", row.data.get("siret")
    if email and email in emails:
        message = _("Duplicate: %(v)s already appears (row %(r)s).", v=email, r=emails[email])
        problems.append(Problem(row.number, headers.get("contact_email", "E-mail"), message))
    elif email:
        emails[email] = row.number
    if siret and (siret, row.side) in sirets:
        message = _(
            "Duplicate: this SIRET is already registered for this profile (row %(r)s).",
            r=sirets[(siret, row.side)],
        )
        problems.append(Problem(row.number, headers.get("siret", "SIRET"), message))
    elif siret:
        sirets[(siret, row.side)] = row.number
    return problems


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


def import_planned(fair: Fair, planned: list[Planned]) -> list[Participant]:
    """Create an approved participant for every planned row (reusing known organisations)."""
    created = []
    for item in planned:
        data, org = dict(item.row.data), item.organisation
        if org is not None:  # its profile stays: the file only fills what it lacks
            data = {k: v for k, v in data.items() if v and not getattr(org, k, None)}
            data |= {"name": org.name, "siret": org.siret}
        core = {k: v for k, v in data.items() if k in ORG_FIELDS}
        extra = {k: v for k, v in data.items() if k not in ORG_FIELDS and v}
        participant = create_participant(
            fair, item.row.side, core, item.row.contact, organisation=org, flush=False
        )
        if extra:
            update_profile(participant.organisation, **extra)
        created.append(participant)
    db.session.flush()
    return created
