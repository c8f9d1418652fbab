"""Printouts: per-table sheets and every participant's agenda as one PDF (WeasyPrint); meetings as rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template
from sqlalchemy import select

from salon.extensions import db
from salon.models import Fair, Meeting, MeetingTable, Participant, Slot
from salon.services.scheduling import latest_run

SIDE = {"buyer": "acheteur", "supplier": "fournisseur"}


@dataclass(frozen=True)
class Line:
    """One meeting to print."""

    slot: Slot
    table: MeetingTable
    buyer: Participant
    supplier: Participant
    status: str = "scheduled"
    uid: str = ""


def meeting_lines(fair: Fair) -> tuple[list[Line], bool]:
    """Return the published active meetings (True) or, before publication, the latest draft (False)."""
    rows = db.session.scalars(
        select(Meeting).where(Meeting.fair_id == fair.id, Meeting.status.in_(("scheduled", "held")))
    ).all()
    published = bool(rows)
    if not published:
        run = latest_run(fair)
        rows = list(run.drafts) if run else []
    lines = []
    for m in rows:
        a, b = m.participant_a, m.participant_b
        buyer, supplier = (a, b) if a.side == "buyer" or b.side == "supplier" else (b, a)
        lines.append(
            Line(m.slot, m.table, buyer, supplier, getattr(m, "status", "draft"), getattr(m, "uid", ""))
        )
    lines.sort(key=lambda ln: (ln.slot.starts_at, ln.table.position))
    return lines, published


def meetings_table(fair: Fair) -> tuple[list[str], list[list[Any]]]:
    """Return the meetings as export rows (times in the fair's time zone)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(fair.timezone)
    lines, _published = meeting_lines(fair)
    headers = ["Date", "Début", "Fin", "Table", "Acheteur", "Fournisseur", "Statut", "UID"]
    rows = [
        [
            ln.slot.starts_at.astimezone(zone).date().isoformat(),
            ln.slot.starts_at.astimezone(zone).strftime("%H:%M"),
            ln.slot.ends_at.astimezone(zone).strftime("%H:%M"),
            ln.table.name,
            ln.buyer.organisation.name,
            ln.supplier.organisation.name,
            ln.status,
            ln.uid,
        ]
        for ln in lines
    ]
    return headers, rows


def _pdf(template: str, **context: Any) -> bytes:
    from weasyprint import HTML

    html = render_template(template, **context)
    return HTML(string=html).write_pdf()


def tables_pdf(fair: Fair) -> bytes:
    """Return one page per table listing its meetings in time order."""
    lines, published = meeting_lines(fair)
    by_table: dict[int, list[Line]] = {t.id: [] for t in fair.tables}
    for ln in lines:
        by_table.setdefault(ln.table.id, []).append(ln)
    pages = [(t, by_table[t.id]) for t in fair.tables if by_table.get(t.id)]
    return _pdf("organiser/print/tables.html", fair=fair, pages=pages, published=published)


def agendas_pdf(fair: Fair) -> bytes:
    """Return one page per participant with their meetings in time order."""
    lines, published = meeting_lines(fair)
    by_person: dict[int, list[Line]] = {}
    for ln in lines:
        by_person.setdefault(ln.buyer.id, []).append(ln)
        by_person.setdefault(ln.supplier.id, []).append(ln)
    people = db.session.scalars(
        select(Participant).where(Participant.fair_id == fair.id, Participant.status == "approved")
    ).all()
    pages = [(p, by_person.get(p.id, [])) for p in sorted(people, key=lambda p: p.organisation.name.lower())]
    return _pdf("organiser/print/agendas.html", fair=fair, pages=pages, published=published)
