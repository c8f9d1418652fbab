"""Quality report of a draft: meetings vs proved bounds, wishes granted, who got nothing and why, breaks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from salon.extensions import db
from salon.models import Fair, MandatoryMeeting, ScheduleRun, Wish
from salon.services.scheduling import build_instance, draft_specs, load_maps
from solver.objective import breaks_per_participant, compute_objective


@dataclass
class Report:
    """Figures of one run, ready for a page with bars and for CSV."""

    meetings: int = 0
    objective: dict[str, Any] = field(default_factory=dict)
    bounds: dict[str, Any] = field(default_factory=dict)
    participants: int = 0
    wishes: list[dict[str, Any]] = field(default_factory=list)  # per priority and side
    zero: list[dict[str, Any]] = field(default_factory=list)  # participants without meetings, with reason
    histogram: list[tuple[int, int]] = field(default_factory=list)  # (meetings, participants)
    breaks_histogram: list[tuple[int, int]] = field(default_factory=list)
    table_fill: float = 0.0
    supplier_pairs: int = 0  # meetings between two suppliers (co-contracting), counted apart


def quality_report(fair: Fair, run: ScheduleRun) -> Report:
    """Compute the report of a run's draft from the database."""
    maps = load_maps(fair)
    specs = [s for s in draft_specs(run) if s.a in maps.participants and s.b in maps.participants]
    instance = build_instance(fair, locked=[s for s in specs if s.locked], maps=maps)
    meetings = [maps.to_scheduled(s) for s in specs]
    report = Report(
        meetings=len(specs), objective=compute_objective(instance, meetings), bounds=dict(run.bounds)
    )
    report.participants = len(maps.participants)
    report.supplier_pairs = sum(
        1 for s in specs if maps.participants[s.a].side == maps.participants[s.b].side == "supplier"
    )
    per_person = Counter(p for s in specs for p in (s.a, s.b))
    report.histogram = sorted(Counter(per_person.get(pid, 0) for pid in maps.participants).items())
    breaks = breaks_per_participant(instance, meetings)
    report.breaks_histogram = sorted(Counter(breaks.values()).items())
    report.wishes = _wishes_granted(fair, maps, {s.pair for s in specs})
    report.zero = _zero_reasons(fair, maps, per_person)
    capacity = len(maps.slots) * len(maps.tables)
    report.table_fill = round(100 * len(specs) / capacity, 1) if capacity else 0.0
    return report


def _wishes_granted(fair: Fair, maps, met: set[tuple[int, int]]) -> list[dict[str, Any]]:  # noqa: ANN001
    """Count wishes and granted wishes per priority level and side of the wisher."""
    rows = db.session.scalars(select(Wish).where(Wish.fair_id == fair.id, Wish.veto.is_(False)))
    counts: dict[tuple[int, str], list[int]] = {}
    for w in rows:
        source = maps.participants.get(w.source_id)
        if source is None or w.target_id not in maps.participants:
            continue
        cell = counts.setdefault((w.priority, source.side), [0, 0])
        cell[0] += 1
        cell[1] += (min(w.source_id, w.target_id), max(w.source_id, w.target_id)) in met
    return [
        {
            "priority": prio,
            "side": side,
            "wishes": n,
            "granted": g,
            "rate": round(100 * g / n, 1) if n else 0.0,
        }
        for (prio, side), (n, g) in sorted(counts.items(), key=lambda kv: (-kv[0][0], kv[0][1]))
    ]


def _zero_reasons(fair: Fair, maps, per_person: Counter) -> list[dict[str, Any]]:  # noqa: ANN001
    """Say why each participant without a meeting got none."""
    wishes = db.session.scalars(select(Wish).where(Wish.fair_id == fair.id, Wish.veto.is_(False))).all()
    vetoed = {
        frozenset((w.source_id, w.target_id))
        for w in db.session.scalars(select(Wish).where(Wish.fair_id == fair.id, Wish.veto.is_(True)))
    }
    partners: dict[int, set[int]] = {}
    for w in wishes:
        if frozenset((w.source_id, w.target_id)) not in vetoed:
            partners.setdefault(w.source_id, set()).add(w.target_id)
            partners.setdefault(w.target_id, set()).add(w.source_id)
    for mm in db.session.scalars(select(MandatoryMeeting).where(MandatoryMeeting.fair_id == fair.id)):
        partners.setdefault(mm.participant_a_id, set()).add(mm.participant_b_id)
        partners.setdefault(mm.participant_b_id, set()).add(mm.participant_a_id)
    free = {
        pid: set(maps.slots) - {s.id for s in p.unavailable_slots} for pid, p in maps.participants.items()
    }
    out = []
    for pid, p in maps.participants.items():
        if per_person.get(pid):
            continue
        others = [q for q in partners.get(pid, ()) if q in maps.participants]
        if p.max_meetings == 0:
            code, text = "cap", _("maximum set to 0 meetings")
        elif not others:
            code, text = "no-wish", _("no wish given or received")
        elif not any(free[pid] & free[q] for q in others):
            code, text = "no-common-slot", _("no free slot in common with any wished counterpart")
        else:
            code, text = "cap", _("wished counterparts are full (their maximum or their free slots are used)")
        out.append({"participant": p, "reason": code, "text": text, "wished": len(others)})
    return out


def report_rows(report: Report) -> list[list[Any]]:
    """Return the report as rows in words (section, measure, value, bound or total), the code kept last."""
    from salon.labels import PRIORITY_LABELS, label

    sides = {"buyer": _("buyers"), "supplier": _("suppliers")}
    terms = {
        "coverage": _("Participants with at least one meeting"),
        "weight": _("Value of the wishes granted (points)"),
        "breaks": _("Idle gaps between two meetings of a participant"),
    }
    summary = _("Summary")
    rows: list[list[Any]] = [[_("Section"), _("Measure"), _("Value"), _("Proved bound or total"), _("Code")]]
    rows.append([summary, _("Meetings (each meeting once)"), report.meetings, "", "meetings"])
    for term, value in report.objective.items():
        rows.append([summary, terms.get(term, term), value, report.bounds.get(term, ""), term])
    rows.append(
        [summary, _("Fill rate of tables and slots (%)"), report.table_fill, "", "table_fill_percent"]
    )
    rows.append(
        [summary, _("Meetings between two suppliers (co-contracting)"), report.supplier_pairs, "",
         "supplier_supplier_meetings"]
    )  # fmt: skip
    for w in report.wishes:
        measure = _("%(priority)s, wishes of the %(side)s", priority=label(PRIORITY_LABELS, w["priority"]),
                    side=label(sides, w["side"]))  # fmt: skip
        code = f"priority{w['priority']}-{w['side']}"
        rows.append([_("Wishes granted out of wishes made"), measure, w["granted"], w["wishes"], code])
    for n, people in report.histogram:
        measure = ngettext("%(num)d meeting", "%(num)d meetings", n)
        rows.append([_("Participants by number of meetings"), measure, people, "", f"meetings-{n}"])
    for n, people in report.breaks_histogram:
        measure = ngettext("%(num)d idle gap", "%(num)d idle gaps", n)
        rows.append([_("Participants by number of idle gaps"), measure, people, "", f"breaks-{n}"])
    for z in report.zero:
        rows.append([_("Participants without any meeting"), z["participant"].organisation.name, z["text"], "",
                     z["reason"]])  # fmt: skip
    return rows
