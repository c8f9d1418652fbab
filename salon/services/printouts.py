"""Printouts: every participant's agenda and the table sheets (badges are in badges.py), one renderer for all.

The organiser's pages (in the background), `salon print` and a participant's own agenda all call
`render_document` or `participant_agenda`; each page is plain blocks laid out by services/pdf.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from flask import render_template
from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from salon.extensions import db
from salon.models import (
    Attendee,
    DraftMeeting,
    Fair,
    Meeting,
    MeetingTable,
    Participant,
    PrintBuild,
    ScheduleRun,
    Slot,
)
from salon.pdf_worker import WorkerPool
from salon.services.pdf import Progress, render_pdf, worker_pool
from salon.services.scheduling import ACTIVE, latest_run
from salon.templating import local_date, local_time
from salon.text import fold

CHUNK = 25  # sheets laid out together: small enough to share among worker processes (services/pdf.py)


@dataclass(frozen=True)
class Line:
    """One meeting to print."""

    slot: Slot
    table: MeetingTable
    buyer: Participant
    supplier: Participant
    status: str = "scheduled"
    uid: str = ""


@dataclass(frozen=True)
class Printout:
    """A built printout: the PDF, its pages, its sheets (badges, agendas or tables) and its meetings."""

    pdf: bytes
    pages: int
    items: int
    meetings: int | None


@dataclass
class Sheet:
    """One agenda or table sheet: who or what it is for and its meetings in time order."""

    owner: Any  # a Participant (agenda) or a MeetingTable (table sheet)
    lines: list[Line] = field(default_factory=list)
    host: Participant | None = None  # on a table sheet, the exhibitor whose home table it is


def _with_people(model: type[Meeting] | type[DraftMeeting]) -> list:
    """Return loader options for a meeting's slot, table, both sides, their organisations and people."""
    sides = [
        joinedload(side).options(joinedload(Participant.organisation), selectinload(Participant.attendees))
        for side in (model.participant_a, model.participant_b)
    ]
    return [joinedload(model.slot), joinedload(model.table), *sides]


def meeting_lines(fair: Fair, participant: Participant | None = None) -> tuple[list[Line], bool]:
    """Return the published active meetings (True) or, before publication, the latest draft (False)."""
    mine = (
        or_(Meeting.participant_a_id == participant.id, Meeting.participant_b_id == participant.id)
        if participant is not None
        else true()
    )
    rows: list[Any] = list(
        db.session.scalars(
            select(Meeting)
            .options(*_with_people(Meeting))
            .where(Meeting.fair_id == fair.id, Meeting.status.in_(ACTIVE), mine)
        ).unique()
    )
    published = bool(rows) or participant is not None
    if not published:
        run = latest_run(fair)
        query = select(DraftMeeting).options(*_with_people(DraftMeeting))
        rows = list(db.session.scalars(query.where(DraftMeeting.run_id == run.id)).unique()) if run else []
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


def _slot_texts(fair: Fair) -> dict[str, Any]:
    """Return each slot's time range and day as shown on the sheets (formatted once, not per line)."""
    times, days = {}, {}
    for s in fair.slots:
        times[s.id] = f"{local_time(s.starts_at, fair)}–{local_time(s.ends_at, fair)}"
        days[s.id] = local_date(s.starts_at, fair)
    return {"times": times, "days": days, "one_day": len(set(days.values())) <= 1}


def fit(text: str, limit: int) -> str:
    """Return the class of a line: unwrapped when it is short enough to fit the width (see printouts.css).

    Limits assume wide glyphs (DejaVu Sans: 0.62 em a character, 0.7 em in bold), so a line said to fit does.
    """
    return "line" if len(text) <= limit else "line--wrap"


def _chunks(template: str, sheets: list, fair: Fair, **context: Any) -> list[tuple[str, int]]:
    """Return the HTML of the sheets, CHUNK sheets per document (one page saying so when there is none)."""
    context = {"fair": fair, "fit": fit, **_slot_texts(fair), **context}
    parts = [sheets[i : i + CHUNK] for i in range(0, len(sheets), CHUNK)] or [[]]
    return [(render_template(template, sheets=part, **context), len(part)) for part in parts]


def _approved(fair: Fair) -> list[Participant]:
    query = select(Participant).options(
        joinedload(Participant.organisation),
        selectinload(Participant.attendees),
        joinedload(Participant.home_table),
    )
    rows = db.session.scalars(query.where(Participant.fair_id == fair.id, Participant.status == "approved"))
    return sorted(rows.unique(), key=lambda p: (fold(p.organisation.name), p.id))


def agenda_sheets(fair: Fair, include_empty: bool = False) -> tuple[list[Sheet], bool]:
    """Return one sheet per approved participant with meetings (or every one), by organisation name."""
    lines, published = meeting_lines(fair)
    by_person: dict[int, list[Line]] = {}
    for ln in lines:
        by_person.setdefault(ln.buyer.id, []).append(ln)
        by_person.setdefault(ln.supplier.id, []).append(ln)
    sheets = [Sheet(p, by_person.get(p.id, [])) for p in _approved(fair)]
    return [s for s in sheets if s.lines or include_empty], published


def table_sheets(fair: Fair) -> tuple[list[Sheet], bool]:
    """Return one sheet per table that holds meetings, in table order, with who sits there (home table)."""
    lines, published = meeting_lines(fair)
    by_table: dict[int, list[Line]] = {}
    for ln in lines:
        by_table.setdefault(ln.table.id, []).append(ln)
    hosts = {p.home_table_id: p for p in _approved(fair) if p.home_table_id is not None}
    return [Sheet(t, by_table[t.id], hosts.get(t.id)) for t in fair.tables if t.id in by_table], published


def _meetings(sheets: list[Sheet]) -> int:
    """Return how many meetings the sheets list (a meeting is on both its participants' agendas)."""
    return len({id(line) for sheet in sheets for line in sheet.lines})


@dataclass(frozen=True)
class Prepared:
    """A printout ready to lay out: its HTML chunks, and how many sheets and meetings it holds."""

    chunks: list[tuple[str, int]]
    items: int
    meetings: int | None


def prepare_document(fair: Fair, document: str, include_empty: bool = False) -> Prepared:
    """Read the data of one of the fair's printouts and write its HTML ("badges", "agendas" or "tables")."""
    if document == "badges":
        from salon.services.badges import prepare_badges

        return prepare_badges(fair)
    if document == "agendas":
        sheets, published = agenda_sheets(fair, include_empty)
    elif document == "tables":
        sheets, published = table_sheets(fair)
    else:
        raise ValueError(f"unknown printout {document!r}")
    chunks = _chunks(f"print/{document}.html", sheets, fair, published=published)
    return Prepared(chunks, len(sheets), _meetings(sheets))


def render_prepared(
    prepared: Prepared, progress: Progress | None = None, pool: WorkerPool | None = None
) -> Printout:
    """Lay out a prepared printout (no database access: the caller may end its transaction first)."""
    rendered = render_pdf(prepared.chunks, progress, pool)
    return Printout(rendered.pdf, rendered.pages, prepared.items, prepared.meetings)


def render_document(
    fair: Fair, document: str, include_empty: bool = False, progress: Progress | None = None
) -> Printout:
    """Build one of the fair's printouts: the one renderer of the pages, the jobs and `salon print`."""
    with worker_pool(expected_chunks(fair, document, include_empty)) as pool:
        return render_prepared(prepare_document(fair, document, include_empty), progress, pool)


def expected_chunks(fair: Fair, document: str, include_empty: bool = False) -> int:
    """Return how many chunks the printout will have (worker processes are started before its HTML)."""
    counts = document_counts(fair)
    if document == "badges":
        from salon.services.badges import PER_SHEET, SHEETS_PER_CHUNK

        return math.ceil(int(counts["people"]) / (PER_SHEET * SHEETS_PER_CHUNK))
    sheets = (
        counts["tables"] if document == "tables" else counts["approved" if include_empty else "with_meetings"]
    )
    return math.ceil(int(sheets) / CHUNK)


def participant_agenda(participant: Participant) -> Printout:
    """Build one participant's own agenda: their published meetings (a page saying so when none)."""
    lines, _published = meeting_lines(participant.fair, participant)
    chunks = _chunks("print/agendas.html", [Sheet(participant, lines)], participant.fair, published=True)
    return render_prepared(Prepared(chunks, 1, len(lines)))


def document_counts(fair: Fair) -> dict[str, int | bool]:
    """Return what each printout would hold now: people (badges), agendas, tables, and whether published."""
    approved = select(Participant.id).where(Participant.fair_id == fair.id, Participant.status == "approved")
    people = db.session.scalar(select(func.count(Attendee.id)).where(Attendee.participant_id.in_(approved)))
    columns = (Meeting.participant_a_id, Meeting.participant_b_id, Meeting.table_id)
    rows = db.session.execute(
        select(*columns).where(Meeting.fair_id == fair.id, Meeting.status.in_(ACTIVE))
    ).all()
    published = bool(rows)
    run = latest_run(fair) if not published else None
    if run is not None:
        draft = (DraftMeeting.participant_a_id, DraftMeeting.participant_b_id, DraftMeeting.table_id)
        rows = db.session.execute(select(*draft).where(DraftMeeting.run_id == run.id)).all()
    ids = set(db.session.scalars(approved))
    return {
        "people": people or 0,
        "approved": len(ids),
        "with_meetings": len({p for a, b, _t in rows for p in (a, b)} & ids),
        "tables": len({t for _a, _b, t in rows}),
        "meetings": len(rows),
        "published": published,
    }


def changed_since(fair: Fair, build: PrintBuild) -> bool:
    """Tell whether the schedule changed since the build started (its agendas or table sheets are old)."""
    if build.document == "badges":
        return False
    moved = db.session.scalar(select(func.max(Meeting.updated_at)).where(Meeting.fair_id == fair.id))
    solved = db.session.scalar(
        select(func.max(ScheduleRun.finished_at)).where(ScheduleRun.fair_id == fair.id)
    )
    latest = max((moment for moment in (moved, solved) if moment is not None), default=None)
    return latest is not None and latest > build.created_at
