"""Notifications about meetings: which e-mails a change owes to whom, written as intents in its transaction.

Every message about a meeting carries its UID and the SEQUENCE of the change it reports, so a calendar
client that applies them in order (published, moved, cancelled) ends with one event in its final state.
Subscription feeds refresh on the client's schedule (hours for some); these e-mails carry a change on the
day at once.

A change writes one compact intent per e-mail (recipient, meeting, the meeting as it is now) in its own
transaction; salon/services/notice_rendering.py turns intents into outbox e-mails with their invitation,
in order, right after the request when they are few, in the "prepare" job when many (salon/preparing.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert

from salon.extensions import db
from salon.models import Meeting, NotificationIntent, Participant
from salon.services.calendar import participant_meetings
from salon.services.calendar_text import participant_addresses

QUEUED_FAIRS = "salon.notices.fairs"  # session.info key: fairs that got intents (rendered after the request)
Addresses = dict[int, list[tuple[str, str]]]


def meeting_state(meeting: Meeting) -> list:
    """Return what a notice states of a meeting: [id, sequence, slot, table, status, last change]."""
    changed = meeting.updated_at or meeting.created_at
    return [
        meeting.id,
        meeting.sequence,
        meeting.slot_id,
        meeting.table_id,
        meeting.status,
        changed.isoformat(),
    ]


def agenda_intents(
    participant_id: int, fair_id: int, addresses: list, meetings: Iterable[Meeting]
) -> list[dict]:
    """Return the "agenda published" intents of a participant: one per address, its meetings as they are."""
    state = {"meetings": [meeting_state(m) for m in meetings]}
    return [
        _intent("agenda_published", fair_id, participant_id, None, address, name, state)
        for name, address in addresses
    ]


def meeting_intents(
    kind: str, meeting: Meeting, addresses: Addresses, previous: tuple[int, int] | None = None
) -> list[dict]:
    """Return a meeting's REQUEST (meeting_changed) or CANCEL (meeting_cancelled) intents, both sides."""
    state = {"meetings": [meeting_state(meeting)], "previous": list(previous) if previous else None}
    return [
        _intent(kind, meeting.fair_id, pid, meeting.id, address, name, state)
        for pid in (meeting.participant_a_id, meeting.participant_b_id)
        for name, address in addresses[pid]
    ]


def _intent(
    kind: str, fair_id: int, pid: int, meeting_id: int | None, address: str, name: str, state: dict
) -> dict:
    return {
        "kind": kind,
        "fair_id": fair_id,
        "participant_id": pid,
        "meeting_id": meeting_id,
        "to_address": address,
        "to_name": (name or "")[:200],
        "state": state,
    }


def queue_intents(rows: list[dict]) -> int:
    """Write intents (one statement, whatever their number) in the caller's transaction; return how many."""
    if rows:
        db.session.execute(insert(NotificationIntent), rows)
        db.session.info.setdefault(QUEUED_FAIRS, set()).update(row["fair_id"] for row in rows)
    return len(rows)


def meeting_published(participant: Participant) -> int:
    """Tell the participant their agenda is published, with their .ics attached (METHOD:PUBLISH)."""
    meetings = participant_meetings(participant)
    rows = agenda_intents(participant.id, participant.fair_id, participant_addresses(participant), meetings)
    return queue_intents(rows)


def _both_sides(meeting: Meeting) -> Addresses:
    return {p.id: participant_addresses(p) for p in (meeting.participant_a, meeting.participant_b)}


def meeting_changed(meeting: Meeting, previous: tuple[int, int] | None = None) -> int:
    """Tell both participants a meeting was created or moved (METHOD:REQUEST, current SEQUENCE).

    `previous` (slot id, table id) is where a moved meeting was, so the e-mail can say what changed.
    """
    return queue_intents(meeting_intents("meeting_changed", meeting, _both_sides(meeting), previous))


def meeting_cancelled(meeting: Meeting, by_participant_id: int | None = None) -> int:
    """Tell both participants a meeting was cancelled (METHOD:CANCEL, STATUS:CANCELLED), and by whom.

    `by_participant_id`: the participant who cancelled it; None when the organisers did.
    """
    rows = meeting_intents("meeting_cancelled", meeting, _both_sides(meeting))
    for row in rows:
        row["state"] = {**row["state"], "cancelled_by": by_participant_id or "organisers"}
    return queue_intents(rows)
