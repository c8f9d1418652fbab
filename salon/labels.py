"""Words for the codes stored in the database (sides, statuses, outcomes): pages, e-mails and exports show
these labels, never the code; an export may keep the code in a column of its own for reuse.

Structure types, buyer kinds and sectors have theirs in salon/domain.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from salon import domain

SIDE_LABELS = {"buyer": _l("Buyer"), "supplier": _l("ESS supplier")}
PARTICIPANT_STATUS_LABELS = {"approved": _l("Approved"), "pending": _l("Pending"), "refused": _l("Refused")}
MEETING_STATUS_LABELS = {
    "scheduled": _l("Scheduled"),
    "held": _l("Held"),
    "no_show": _l("No-show"),
    "cancelled": _l("Cancelled"),
    "draft": _l("Draft, not published"),
}
RUN_STATUS_LABELS = {
    "queued": _l("Waiting"),
    "running": _l("Computing"),
    "done": _l("Finished"),
    "failed": _l("Failed"),
    "cancelled": _l("Stopped"),
}
SOLVER_STATUS_LABELS = {
    "optimal": _l("best possible, proved"),
    "feasible": _l("best found in the time given"),
    "infeasible": _l("impossible: the rules contradict each other"),
    "unknown": _l("no schedule found in the time given"),
}
OUTCOME_LABELS = {
    "no_follow_up": _l("No follow-up"),
    "follow_up_planned": _l("Follow-up planned"),
    "quote_requested": _l("Quote requested"),
    "contract_signed": _l("Contract signed"),
}
PRIORITY_LABELS = {3: _l("must meet"), 2: _l("would like to meet"), 1: _l("if possible")}


def label(labels: Mapping, code: object) -> str:
    """Return the label of a code as text; an unknown code is shown as it is."""
    found = labels.get(code)
    return str(found) if found is not None else str(code if code is not None else "")


def label_of(code: object, vocabulary: str) -> str:
    """Return the label of a code in a named vocabulary (the `label_of` template filter)."""
    return label(VOCABULARIES[vocabulary], code)


def type_label(code: str) -> str:
    """Return a structure type or a buyer kind in words."""
    return label({**domain.BUYER_KIND_LABELS, **domain.STRUCTURE_TYPE_LABELS}, code)


def types_label(codes: list[str] | None) -> str:
    """Return a list of structure types in words, separated by semicolons (a label may hold a comma)."""
    return " ; ".join(type_label(c) for c in codes or [])


def table_label(name: str) -> str:
    """Return a table as sentences name it: "Table 12", or the organiser's own words ("Stand 3") as is."""
    # Organisers may name tables "Stand 3" or "Table partagée A": "Table" before those reads "Table Table...".
    words = name.split()
    if len(words) > 1 or (words and words[0].casefold() == _("Table").casefold()):
        return name
    return _("Table %(name)s", name=name)


def buyer_first(item: Any) -> tuple[Any, Any]:
    """Return a meeting's (or draft's) two participants, the buyer first whichever id is lower."""
    a, b = item.participant_a, item.participant_b
    return (b, a) if a.side != "buyer" and b.side == "buyer" else (a, b)


def pair_label(item: Any) -> str:
    """Return a meeting's two organisations, the buyer first: "Métropole / Atelier"."""
    first, second = buyer_first(item)
    return f"{first.organisation.name} / {second.organisation.name}"


def session_label(session: Any) -> str:
    """Return a half-day in the reader's language: "jeudi 25 mars — matin", "Thursday 25 March — morning".

    Sessions are named when generated, in the language of whoever generated them: never shown as stored.
    """
    starts = session.starts_at.astimezone(ZoneInfo(session.fair.timezone)).time()
    part = _("morning") if starts < time(12) else _("afternoon")
    return f"{format_date(session.day, 'EEEE d MMMM')} — {part}"


VOCABULARIES: dict[str, Mapping] = {
    "side": SIDE_LABELS,
    "participant_status": PARTICIPANT_STATUS_LABELS,
    "meeting_status": MEETING_STATUS_LABELS,
    "run_status": RUN_STATUS_LABELS,
    "solver_status": SOLVER_STATUS_LABELS,
    "outcome": OUTCOME_LABELS,
    "priority": PRIORITY_LABELS,
    "type": {**domain.BUYER_KIND_LABELS, **domain.STRUCTURE_TYPE_LABELS},
}
