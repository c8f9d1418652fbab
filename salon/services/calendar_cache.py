"""Calendars served with a validator (ETag, Last-Modified) and kept rendered in a small in-process cache.

The validator is a digest of every value the .ics shows (meetings, their slots and tables, both
participants' organisations and attendees, the fair's words and time zone, the links' base URL and the
sender), read as plain columns in two queries (no ORM objects). An unchanged digest means an unchanged
calendar: the view answers 304 to a matching If-None-Match, or sends the rendered body kept here,
without loading the meetings nor building the calendar. A body is rebuilt as soon as one value changes.

The ETag is weak (W/"..."): a cached body keeps the DTSTAMP of the moment it was built (RFC 5545: when
the object was created), so two server processes may hold bodies differing only in DTSTAMP.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from functools import partial

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from salon.extensions import db
from salon.models import Attendee, Fair, Meeting, MeetingTable, Organisation, Participant, Slot
from salon.services.calendar import fair_calendar, participant_calendar, table_calendar
from salon.services.mail import sender_address

MAX_ENTRIES = 512
MAX_BODY_BYTES = 2 * 1024 * 1024  # a whole large fair's feed is rebuilt rather than kept
_cache: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()


class CalendarDocument:
    """A calendar's validators, and its body, built only if asked for and not kept already."""

    def __init__(self, etag: str, last_modified: datetime | None, build: Callable[[], bytes]) -> None:
        self.etag = etag
        self.last_modified = last_modified
        self._build = build

    @property
    def body(self) -> bytes:
        return _rendered(self.etag, self._build)


def _shown_rows(fair: Fair, *conditions) -> list[tuple]:  # noqa: ANN002
    """Return, as plain tuples, every meeting value a calendar shows (both sides' organisations too)."""
    sides = [(aliased(Participant), aliased(Organisation)) for _ in range(2)]
    columns = [Meeting.id, Meeting.uid, Meeting.sequence, Meeting.status, Meeting.created_at,
               Meeting.updated_at, Slot.starts_at, Slot.ends_at, MeetingTable.name]  # fmt: skip
    query = select(*columns).join(Slot, Slot.id == Meeting.slot_id)
    query = query.join(MeetingTable, MeetingTable.id == Meeting.table_id)
    for (person, org), key in zip(sides, (Meeting.participant_a_id, Meeting.participant_b_id), strict=True):
        query = query.join(person, person.id == key).join(org, org.id == person.organisation_id)
        query = query.add_columns(person.id, person.fair_id, person.side, org.name, org.contact_email,
                                  org.contact_phone, org.updated_at)  # fmt: skip
    query = query.where(Meeting.fair_id == fair.id, *conditions)
    return [tuple(row) for row in db.session.execute(query.order_by(Slot.starts_at, Meeting.id))]


def _attendee_rows(rows: list[tuple]) -> list[tuple]:
    """Return the attendees of the participants in the rows (their names and contacts are shown)."""
    ids = sorted({row[9] for row in rows} | {row[16] for row in rows})
    if not ids:
        return []
    columns = (Attendee.participant_id, Attendee.id, Attendee.full_name, Attendee.job_title,
               Attendee.email, Attendee.phone)  # fmt: skip
    query = select(*columns).where(Attendee.participant_id.in_(ids))
    return [tuple(row) for row in db.session.execute(query.order_by(Attendee.participant_id, Attendee.id))]


def calendar_digest(kind: str, fair: Fair, rows: list[tuple], *extra: object) -> str:
    """Return the digest of everything a calendar of these meeting rows shows."""
    values: list[object] = [
        kind, *extra, fair.id, fair.name, fair.venue, fair.timezone, fair.language,
        current_app.config["SALON_BASE_URL"], sender_address(), rows, _attendee_rows(rows),
    ]  # fmt: skip
    if not rows:  # the VTIMEZONE then spans the years of the fair's slots
        values.append(tuple(s.starts_at.year for s in fair.slots))
    return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()[:40]


def last_modified(rows: list[tuple]) -> datetime | None:
    """Return the latest change among the meetings and the organisations they show."""
    moments = [m for row in rows for m in (row[5] or row[4], row[15], row[22]) if m is not None]
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


def participant_document(participant: Participant, locale: str | None = None) -> CalendarDocument:
    """Return the participant's agenda (.ics, PUBLISH) in `locale` (else the fair's), with its validators."""
    mine = or_(Meeting.participant_a_id == participant.id, Meeting.participant_b_id == participant.id)
    rows = _shown_rows(participant.fair, mine)
    language = locale or participant.fair.language or "fr"
    digest = calendar_digest("participant", participant.fair, rows, participant.id, language)
    build = partial(participant_calendar, participant, locale=language)
    return CalendarDocument(digest, last_modified(rows), build)


def table_document(table: MeetingTable) -> CalendarDocument:
    """Return one table's calendar with its validators."""
    rows = _shown_rows(table.fair, Meeting.table_id == table.id)
    digest = calendar_digest("table", table.fair, rows, table.id, table.name)
    return CalendarDocument(digest, last_modified(rows), lambda: table_calendar(table))


def fair_document(fair: Fair) -> CalendarDocument:
    """Return the whole fair's calendar with its validators."""
    rows = _shown_rows(fair)
    digest = calendar_digest("fair", fair, rows)
    return CalendarDocument(digest, last_modified(rows), lambda: fair_calendar(fair))
