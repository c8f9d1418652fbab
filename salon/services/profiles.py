"""Organisation profiles: update them and keep their accent-free search text."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from salon import domain
from salon.models import Organisation, Participant, User
from salon.models.organisation import BUYER_KINDS, STRUCTURE_TYPES
from salon.services import DomainError, participant_changes, search
from salon.text import fold

TEXT_FIELDS = (
    "name",
    "legal_form",
    "city",
    "postcode",
    "territory",
    "offer",
    "needs",
    "purchases_planned",
    "references",
    "capacity",
    "website",
    "contact_email",
    "contact_phone",
    "ess_status",
)
LIST_FIELDS = ("structure_types", "sectors", "departements")
PUBLIC_FIELDS = (
    "name",
    "kind",
    "buyer_kind",
    "structure_types",
    "sectors",
    "departements",
    "city",
    "postcode",
    "territory",
    "offer",
    "needs",
    "purchases_planned",
    "references",
    "capacity",
    "website",
    "legal_form",
    "ess_status",
)


def normalise_text(value: str) -> str:
    """Return lower-case, accent-free words separated by single spaces ("Réemploi" -> "reemploi")."""
    return fold(value)


def refresh_search_text(org: Organisation) -> None:
    """Recompute `org.search_text` from its fields (the database's full-text index follows it)."""
    org.search_text = search.index_text(org)


def _check_lists(fields: dict[str, Any]) -> None:
    known = {
        "structure_types": set(STRUCTURE_TYPES),
        "sectors": set(domain.SECTOR_LABELS),
        "departements": set(domain.DEPARTEMENTS),
    }
    for name, allowed in known.items():
        if name in fields and not set(fields[name] or ()) <= allowed:
            raise DomainError(_("Choose values from the list."), name)
    if fields.get("buyer_kind") not in (None, "", *BUYER_KINDS):
        raise DomainError(_("Choose values from the list."), "buyer_kind")


def check_siret(value: str | None) -> str | None:
    """Return the SIRET as 14 digits (None when empty); refuse a wrong one with a clear message."""
    if not value or not value.strip():
        return None
    problem = domain.siret_problem(value)
    if problem == "checksum":
        raise DomainError(_("This SIRET number is not valid: check the 14 digits."), "siret")
    if problem == "siren":
        raise DomainError(_("This is a SIREN (9 digits): a SIRET has 14 digits."), "siret")
    if problem is not None:
        raise DomainError(_("A SIRET number has exactly 14 digits."), "siret")
    return domain.clean_siret(value)


def update_profile(org: Organisation, **fields: Any) -> Organisation:
    """Set the given profile fields (validated) and refresh the search text."""
    if "name" in fields and not (fields["name"] or "").strip():
        raise DomainError(_("Enter the name of the organisation."), "name")
    _check_lists(fields)
    if "siret" in fields:
        org.siret = check_siret(fields.pop("siret"))
    for name, value in fields.items():
        if name in TEXT_FIELDS:
            setattr(org, name, (value or "").strip())
        elif name in LIST_FIELDS:
            setattr(org, name, sorted(set(value or ())))
        elif name == "buyer_kind":
            org.buyer_kind = value or None
        else:
            raise DomainError(_("Unknown field."), name)
    refresh_search_text(org)
    return org


def update_participant_profile(
    participant: Participant, by: User | None, by_organiser: bool = False, **fields: Any
) -> Organisation:
    """Update the participant's organisation profile and log which fields changed, and who changed them."""
    org = participant.organisation
    before = {name: getattr(org, name) for name in fields if hasattr(org, name)}
    update_profile(org, **fields)
    changed = sorted(name for name, value in before.items() if getattr(org, name) != value)
    if changed:
        participant_changes.record(participant, by, by_organiser, "profile", fields=changed)
    return org


def public_profile(org: Organisation) -> dict[str, Any]:
    """Return the public part of a profile (no contact details, no SIRET)."""
    return {name: getattr(org, name) for name in PUBLIC_FIELDS}
