"""The funders' report: meetings booked, held, no-shows and outcomes, by side, ESS type, département, QPV.

Booked = every published meeting not cancelled (no-shows included); held and no-show as marked on the
day. A meeting counts once in the totals and once for each of its two participants in the breakdowns.
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

DIMENSIONS = ("side", "structure_type", "departement", "qpv")
FIGURES = ("participants", "booked", "held", "no_show", "outcomes", "amount_eur")


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
    types = list(participant.organisation.structure_types or [])
    return {
        "side": [participant.side],
        "structure_type": [t for t in types if t != "qpv"] or ["none"],
        "departement": [departement_of(participant)],
        "qpv": ["yes" if "qpv" in types else "no"],
    }


def _empty() -> dict:
    return {"participants": 0, "booked": 0, "held": 0, "no_show": 0, "outcomes": 0, "amount_eur": Decimal(0)}


def _count_meetings(meetings: list[Meeting], per_person: dict[int, dict]) -> dict:
    """Return the meeting totals and add each meeting to both participants' figures."""
    totals = {"booked": 0, "held": 0, "no_show": 0, "cancelled": 0}
    for m in meetings:
        if m.status == "cancelled":
            totals["cancelled"] += 1
            continue
        keys = ["booked"] + ([m.status] if m.status in ("held", "no_show") else [])
        for k in keys:
            totals[k] += 1
            for pid in (m.participant_a_id, m.participant_b_id):
                if pid in per_person:
                    per_person[pid][k] += 1
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


def _breakdowns(participants: list[Participant], per_person: dict[int, dict]) -> dict:
    """Sum the participants' figures under each breakdown key."""
    breakdowns: dict[str, dict[str, dict]] = {d: defaultdict(_empty) for d in DIMENSIONS}
    for p in participants:
        for dim, keys in groups_of(p).items():
            for key in keys:
                row = breakdowns[dim][key]
                row["participants"] += 1
                for f in FIGURES[1:]:
                    row[f] += per_person[p.id][f]
    return {d: dict(sorted(rows.items())) for d, rows in breakdowns.items()}


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
    per_person = {p.id: _empty() for p in participants}
    totals = _count_meetings(meetings, per_person)
    by_outcome = _count_outcomes(outcomes, per_person)
    totals["participants"] = len(participants)
    totals["held_rate"] = round(100 * totals["held"] / totals["booked"], 1) if totals["booked"] else 0.0
    totals["amount_eur"] = sum((v["amount_eur"] for v in by_outcome.values()), Decimal(0))
    return {
        "fair": fair.name,
        "totals": totals,
        "outcomes": by_outcome,
        "breakdowns": _breakdowns(participants, per_person),
    }


def to_json_ready(figures: dict) -> dict:
    """Return the figures with amounts as strings (for JSON storage)."""
    if isinstance(figures, dict):
        return {k: to_json_ready(v) for k, v in figures.items()}
    if isinstance(figures, Decimal):
        return f"{figures:.2f}"
    return figures


def report_rows(figures: dict, labels: dict[str, str] | None = None) -> list[list]:
    """Return the report as rows: totals, outcomes, then one block per breakdown."""
    labels = labels or {}
    t = figures["totals"]
    rows: list[list] = [["section", "group", *FIGURES, "cancelled"]]
    n_outcomes = sum(o["count"] for o in figures["outcomes"].values())
    rows.append(
        ["total", "all", t["participants"], t["booked"], t["held"], t["no_show"], n_outcomes, t["amount_eur"],
         t["cancelled"]]
    )  # fmt: skip
    for name, o in figures["outcomes"].items():
        rows.append(["outcome", labels.get(name, name), "", "", "", "", o["count"], o["amount_eur"], ""])
    for dim, groups in figures["breakdowns"].items():
        for key, r in groups.items():
            rows.append([labels.get(dim, dim), labels.get(key, key), *(r[f] for f in FIGURES), ""])
    return rows


def report_csv(figures: dict, labels: dict[str, str] | None = None) -> str:
    """Return the report as CSV text (semicolon-separated, as French spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in report_rows(figures, labels):
        writer.writerow([neutralise(v if not isinstance(v, Decimal) else f"{v:.2f}") for v in row])
    return out.getvalue()


def report_xlsx(figures: dict, labels: dict[str, str] | None = None) -> bytes:
    """Return the report as an XLSX workbook; no cell is ever a formula."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Salon"
    for row in report_rows(figures, labels):
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
