"""Words of the funders' report: its columns (each saying what it counts), sections and groups."""

from __future__ import annotations

from flask_babel import gettext as _

from salon import domain
from salon.labels import OUTCOME_LABELS, label


def column_labels() -> dict[str, str]:
    """Return the exported columns in words: what each count counts."""
    return {
        "section": _("Section"),
        "group": _("Group"),
        "code": _("Code"),
        "participants": _("Organisations"),
        "with_meeting": _("Organisations with at least one meeting"),
        "booked": _("Meetings booked (each meeting once)"),
        "held": _("Meetings held"),
        "no_show": _("Meetings with a no-show"),
        "outcomes": _("Outcomes declared"),
        "amount_eur": _("Amounts declared (€)"),
        "cancelled": _("Meetings cancelled"),
    }


def report_labels() -> dict[str, dict[str, str]]:
    """Return the report's sections, dimensions and outcomes in words."""
    return {
        "sections": {"total": _("Total"), "all": _("All organisations"), "outcome": _("Outcomes")},
        "dimensions": {
            "side": _("Side"),
            "buyer_kind": _("Kind of buyer"),
            "structure_type": _("ESS structure type (suppliers)"),
            "qpv": _("Priority neighbourhood (suppliers)"),
            "departement": _("Département"),
            "meeting_kind": _("Kind of meeting"),
        },
        "outcomes": {k: str(v) for k, v in OUTCOME_LABELS.items()},
    }


def group_label(dimension: str, key: str) -> str:
    """Return a breakdown group in words (e.g. "34 – Hérault", "SCOP (worker cooperative)")."""
    if dimension == "side":
        return {"buyer": _("Buyers"), "supplier": _("ESS suppliers")}.get(key, key)
    if dimension == "qpv":
        return (
            _("In a priority neighbourhood (QPV)") if key == "yes" else _("Outside priority neighbourhoods")
        )
    if dimension == "meeting_kind":
        return {
            "buyer_supplier": _("Between a buyer and a supplier"),
            "supplier_supplier": _("Between two suppliers (co-contracting)"),
        }.get(key, key)
    if dimension == "departement":
        return domain.departement_label(key) if key != "?" else _("Unknown")
    if key == "none":
        return _("Kind not given") if dimension == "buyer_kind" else _("Type not given")
    vocabulary = domain.BUYER_KIND_LABELS if dimension == "buyer_kind" else domain.STRUCTURE_TYPE_LABELS
    return label(vocabulary, key)
