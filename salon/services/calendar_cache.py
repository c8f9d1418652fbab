"""Calendars served with a validator (ETag, Last-Modified) and kept rendered in a small in-process cache.

The validator is a digest of every value the .ics shows (meetings, their slots and tables, both
participants' organisations and attendees, the fair's words and time zone, the links' base URL and the
sender), read with the few bounded queries that load the meetings anyway. An unchanged digest means an
unchanged calendar: the view answers 304 to a matching If-None-Match, or sends the rendered body kept
here, without building the calendar again. A body is rebuilt as soon as one of those values changes.

The ETag is weak (W/"..."): a cached body keeps the DTSTAMP of the moment it was built (RFC 5545: when
the object was created), so two server processes may hold bodies differing only in DTSTAMP.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from salon.models import Fair, Meeting, MeetingTable, Participant
from salon.services.calendar import (
    fair_calendar,
    fair_meetings,
    participant_calendar,
    participant_meetings,
    table_calendar,
)
from salon.services.mail import sender_address

MAX_ENTRIES = 512
MAX_BODY_BYTES = 2 * 1024 * 1024  # a whole large fair's feed is rebuilt rather than kept
_cache: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class CalendarDocument:
    """A rendered calendar with its validators."""

    body: bytes
    etag: str
    last_modified: datetime | None


def _participant_values(participant: Participant) -> tuple:
    org = participant.organisation
    people = tuple((a.id, a.full_name, a.job_title, a.email, a.phone) for a in participant.attendees)
    return (participant.id, participant.fair_id, participant.side, org.name, org.contact_email,
            org.contact_phone, people)  # fmt: skip


def _meeting_values(meeting: Meeting) -> tuple:
    return (
        meeting.id, meeting.uid, meeting.sequence, meeting.status, meeting.created_at, meeting.updated_at,
        meeting.slot.starts_at, meeting.slot.ends_at, meeting.table.name,
        _participant_values(meeting.participant_a), _participant_values(meeting.participant_b),
    )  # fmt: skip


def calendar_digest(kind: str, fair: Fair, meetings: list[Meeting], *extra: object) -> str:
    """Return the digest of everything a calendar of these meetings shows."""
    values: list[object] = [
        kind, *extra, fair.id, fair.name, fair.venue, fair.timezone, fair.language,
        current_app.config["SALON_BASE_URL"], sender_address(),
    ]  # fmt: skip
    if not meetings:  # the VTIMEZONE then spans the years of the fair's slots
        values.append(tuple(s.starts_at.year for s in fair.slots))
    values.extend(_meeting_values(m) for m in meetings)
    return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()[:40]


def last_modified(meetings: list[Meeting]) -> datetime | None:
    """Return the latest change among the meetings and the organisations they show."""
    moments = [m.updated_at or m.created_at for m in meetings]
    for meeting in meetings:
        for side in (meeting.participant_a, meeting.participant_b):
            if side.organisation.updated_at is not None:
                moments.append(side.organisation.updated_at)
    moments = [m for m in moments if m is not None]
    return max(moments).replace(microsecond=0) if moments else None


def _rendered(digest: str, build: Callable[[], bytes]) -> bytes:
    """Return the body kept for this digest, building (and keeping) it if absent."""
    with _lock:
        body = _cache.get(digest)
        if body is not None:
            _cache.move_to_end(digest)
            return body
    body = build()
    if len(body) <= MAX_BODY_BYTES:
        with _lock:
            _cache[digest] = body
            while len(_cache) > MAX_ENTRIES:
                _cache.popitem(last=False)
    return body


def clear_calendar_cache() -> None:
    """Forget every rendered calendar (tests, or after a deployment-wide change)."""
    with _lock:
        _cache.clear()


def _document(digest: str, meetings: list[Meeting], build: Callable[[], bytes]) -> CalendarDocument:
    return CalendarDocument(_rendered(digest, build), digest, last_modified(meetings))


def participant_document(participant: Participant) -> CalendarDocument:
    """Return the participant's agenda (.ics, PUBLISH) with its validators."""
    meetings = participant_meetings(participant)
    digest = calendar_digest("participant", participant.fair, meetings, participant.id)
    return _document(digest, meetings, lambda: participant_calendar(participant, "PUBLISH", meetings))


def table_document(table: MeetingTable) -> CalendarDocument:
    """Return one table's calendar with its validators."""
    meetings = fair_meetings(table.fair, table)
    digest = calendar_digest("table", table.fair, meetings, table.id, table.name)
    return _document(digest, meetings, lambda: table_calendar(table, meetings))


def fair_document(fair: Fair) -> CalendarDocument:
    """Return the whole fair's calendar with its validators."""
    meetings = fair_meetings(fair)
    digest = calendar_digest("fair", fair, meetings)
    return _document(digest, meetings, lambda: fair_calendar(fair, meetings))
