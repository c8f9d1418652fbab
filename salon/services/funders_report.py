"""The funders' report: organisations, meetings booked, held, no-shows and outcomes, by side, buyer kind, ESS
structure type, priority neighbourhood (QPV) and département.

Booked = every published meeting not cancelled (no-shows included); held and no-show as marked on the day.
Meetings are counted as meetings, never as participant-meetings: a meeting counts once in the totals and
once in each group one of its two organisations belongs to, so a meeting between two groups counts in both
rows and the rows of a breakdown do not add up to the total. Outcomes and amounts are those each
organisation declared. Structure types and QPV describe the ESS suppliers, buyer kinds the buyers.
Meetings between two suppliers (co-contracting) are also counted apart, by kind of meeting: there each row
counts its own meetings, the organisations that took part in them and the outcomes declared about them.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from salon.extensions import db
from salon.models import Fair, Meeting, MeetingOutcome, Participant
from salon.models.dayof import OUTCOMES
from salon.services.exporting import neutralise
from salon.services.funders_labels import column_labels, group_label, report_labels

DIMENSIONS = ("side", "buyer_kind", "structure_type", "qpv", "departement")
FIGURES = ("participants", "with_meeting", "booked", "held", "no_show", "outcomes", "amount_eur")
MEETING_FIGURES = ("booked", "held", "no_show")

__all__ = ["column_labels", "compute_figures", "report_csv", "report_labels", "report_rows", "report_xlsx"]


def departement_of(participant: Participant) -> str:
    """Return the participant's département: its first declared one, else from its postcode."""
    org = participant.organisation
    if org.departements:
        return str(org.departements[0])
    code = (org.postcode or "").strip()
    if code.startswith(("97", "98")):
        return code[:3]
    if code.startswith("20"):  # Corsica: 2A below 20200, 2B above
        return "2A" if code < "20200" else "2B"
    return code[:2] or "?"


def groups_of(participant: Participant) -> dict[str, list[str]]:
    """Return the breakdown keys a participant falls under, per dimension."""
    org = participant.organisation
    groups = {"side": [participant.side], "departement": [departement_of(participant)]}
    if participant.side == "buyer":
        groups["buyer_kind"] = [org.buyer_kind or "none"]
    else:
        types = list(org.structure_types or [])
        groups["structure_type"] = [t for t in types if t != "qpv"] or ["none"]
        groups["qpv"] = ["yes" if "qpv" in types else "no"]
    return groups


def _empty() -> dict:
    return {f: Decimal(0) if f == "amount_eur" else 0 for f in FIGURES}


def _meeting_kinds(m: Meeting) -> list[str]:
    """Return what a meeting counts as: booked, and held or no-show (nothing when cancelled)."""
    if m.status == "cancelled":
        return []
    return ["booked"] + ([m.status] if m.status in ("held", "no_show") else [])


def _totals(meetings: list[Meeting], booked_people: set[int], participants: list[Participant]) -> dict:
    totals = {"booked": 0, "held": 0, "no_show": 0, "cancelled": 0}
    for m in meetings:
        for kind in _meeting_kinds(m) or ["cancelled"]:
            totals[kind] += 1
    totals["participants"] = len(participants)
    totals["with_meeting"] = sum(1 for p in participants if p.id in booked_people)
    totals["held_rate"] = round(100 * totals["held"] / totals["booked"], 1) if totals["booked"] else 0.0
    return totals


def _count_outcomes(outcomes: list[MeetingOutcome], per_person: dict[int, dict]) -> dict:
    """Return the outcome counts and amounts, and add each to its participant's figures."""
    by_outcome = {o: {"count": 0, "amount_eur": Decimal(0)} for o in OUTCOMES}
    for o in outcomes:
        by_outcome[o.outcome]["count"] += 1
        by_outcome[o.outcome]["amount_eur"] += o.amount_eur or 0
        if o.participant_id in per_person:
            per_person[o.participant_id]["outcomes"] += 1
            per_person[o.participant_id]["amount_eur"] += o.amount_eur or 0
    return by_outcome


def _breakdowns(
    participants: list[Participant], meetings: list[Meeting], per_person: dict[int, dict], booked: set[int]
) -> dict:
    """Count organisations, their outcomes, and each meeting once per group one of its two is in."""
    rows: dict[str, dict[str, dict]] = {d: defaultdict(_empty) for d in DIMENSIONS}
    keys = {p.id: groups_of(p) for p in participants}
    for p in participants:
        for dim, found in keys[p.id].items():
            for key in found:
                row = rows[dim][key]
                row["participants"] += 1
                row["with_meeting"] += p.id in booked
                row["outcomes"] += per_person[p.id]["outcomes"]
                row["amount_eur"] += per_person[p.id]["amount_eur"]
    for m in meetings:
        kinds = _meeting_kinds(m)
        for dim in DIMENSIONS:
            found = {
                k for pid in (m.participant_a_id, m.participant_b_id) for k in keys.get(pid, {}).get(dim, [])
            }
            for key in found:
                for kind in kinds:
                    rows[dim][key][kind] += 1
    return {
        d: dict(sorted(r.items(), key=lambda kv: (kv[0] in ("none", "?"), kv[0]))) for d, r in rows.items()
    }


def _meeting_kind(m: Meeting, sides: dict[int, str]) -> str:
    pair = {sides.get(m.participant_a_id), sides.get(m.participant_b_id)}
    return "supplier_supplier" if pair == {"supplier"} else "buyer_supplier"


def _by_meeting_kind(
    fair: Fair, participants: list[Participant], meetings: list[Meeting], outcomes: list[MeetingOutcome]
) -> dict[str, dict]:
    """Count buyer-supplier and supplier-supplier (co-contracting) meetings apart, with their outcomes."""
    sides = {p.id: p.side for p in participants}
    kinds = {m.id: _meeting_kind(m, sides) for m in meetings}
    if "supplier_supplier" not in kinds.values() and fair.supplier_meetings == "off":
        return {}
    rows = {k: _empty() for k in ("buyer_supplier", "supplier_supplier")}
    people: dict[str, set[int]] = {k: set() for k in rows}
    for m in meetings:
        counted = _meeting_kinds(m)
        for kind in counted:
            rows[kinds[m.id]][kind] += 1
        if counted:
            people[kinds[m.id]].update(p for p in (m.participant_a_id, m.participant_b_id) if p in sides)
    for o in outcomes:
        if o.meeting_id in kinds:
            rows[kinds[o.meeting_id]]["outcomes"] += 1
            rows[kinds[o.meeting_id]]["amount_eur"] += o.amount_eur or 0
    for kind, row in rows.items():
        row["participants"] = row["with_meeting"] = len(people[kind])
    return rows


def compute_figures(fair: Fair) -> dict:
    """Return the fair's figures: totals, outcome counts and amounts, and every breakdown."""
    participants = list(
        db.session.scalars(
            select(Participant).where(Participant.fair_id == fair.id, Participant.status == "approved")
        )
    )
    meetings = list(db.session.scalars(select(Meeting).where(Meeting.fair_id == fair.id)))
    outcomes = list(
        db.session.scalars(select(MeetingOutcome).join(Meeting).where(Meeting.fair_id == fair.id))
    )
    booked = {pid for m in meetings if _meeting_kinds(m) for pid in (m.participant_a_id, m.participant_b_id)}
    per_person = {p.id: _empty() for p in participants}
    by_outcome = _count_outcomes(outcomes, per_person)
    totals = _totals(meetings, booked, participants)
    totals["outcomes"] = sum(o["count"] for o in by_outcome.values())
    totals["amount_eur"] = sum((v["amount_eur"] for v in by_outcome.values()), Decimal(0))
    return {
        "fair": fair.name,
        "totals": totals,
        "outcomes": by_outcome,
        "breakdowns": {
            **_breakdowns(participants, meetings, per_person, booked),
            "meeting_kind": _by_meeting_kind(fair, participants, meetings, outcomes),
        },
    }


def to_json_ready(figures: dict) -> dict:
    """Return the figures with amounts as strings (for JSON storage)."""
    if isinstance(figures, dict):
        return {k: to_json_ready(v) for k, v in figures.items()}
    if isinstance(figures, Decimal):
        return f"{figures:.2f}"
    return figures


def report_rows(figures: dict) -> list[list]:
    """Return the report as rows with a header in words: totals, outcomes, then each breakdown.

    Every row names its section and group in words and keeps the code in a column of its own.
    """
    labels = report_labels()
    rows: list[list] = [[*column_labels().values()]]
    t = figures["totals"]
    rows.append([labels["sections"]["total"], labels["sections"]["all"], "total",
                 *(t[f] for f in FIGURES), t["cancelled"]])  # fmt: skip
    for name, o in figures["outcomes"].items():
        rows.append([labels["sections"]["outcome"], labels["outcomes"][name], name,
                     "", "", "", "", "", o["count"], o["amount_eur"], ""])  # fmt: skip
    for dim, groups in figures["breakdowns"].items():
        for key, r in groups.items():
            rows.append([labels["dimensions"][dim], group_label(dim, key), key, *(r[f] for f in FIGURES), ""])
    return rows


def report_csv(figures: dict) -> str:
    """Return the report as CSV text (semicolon-separated, as French spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in report_rows(figures):
        writer.writerow([neutralise(v if not isinstance(v, Decimal) else f"{v:.2f}") for v in row])
    return out.getvalue()


def report_xlsx(figures: dict) -> bytes:
    """Return the report as an XLSX workbook; no cell is ever a formula."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Salon"
    for row in report_rows(figures):
        ws.append([float(v) if isinstance(v, Decimal) else neutralise(v) for v in row])
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # belt and braces: openpyxl types "=..." strings as formulas
                cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_pdf(html: str, base_url: str) -> bytes:
    """Render the report's print HTML to PDF with WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
