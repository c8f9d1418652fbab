"""Calendars (.ics) built from the published meetings: feeds, downloads and iTIP messages.

Modelled on pretalx's domain/ical.py: one VEVENT per meeting with a UID kept for life, SEQUENCE and
LAST-MODIFIED from the row, times in the fair's TZID with a VTIMEZONE limited to the fair's years
(vobject reads only the first value of a multi-valued RDATE, so a 1970-2038 zone would be wrong there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vText
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from salon.extensions import db
from salon.labels import table_label
from salon.models import Fair, Meeting, MeetingTable, Participant, Slot
from salon.services.calendar_text import (
    event_description,
    event_location,
    event_summary,
    participant_addresses,
    people_options,
)
from salon.services.mail import sender_address
from salon.text import single_line

PRODID = "-//Salon//Salon ESS rendez-vous d'affaires//FR"
METHODS = ("PUBLISH", "REQUEST", "CANCEL")
# C0 controls except TAB, LF and CR, DEL and the C1 block: no calendar client wants them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Drop control characters and normalise line breaks to LF."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def _with_rows(query):
    """Load what the events show in a few queries (rows joined, people per side), not a few per meeting."""
    sides = people_options(Meeting.participant_a, Meeting.participant_b)
    return query.options(joinedload(Meeting.slot), joinedload(Meeting.table), *sides)


def participant_meetings(participant: Participant) -> list[Meeting]:
    """Return the participant's published meetings, active and cancelled, in time order."""
    query = (
        select(Meeting)
        .join(Slot, Slot.id == Meeting.slot_id)
        .where(
            Meeting.fair_id == participant.fair_id,
            or_(Meeting.participant_a_id == participant.id, Meeting.participant_b_id == participant.id),
        )
        .order_by(Slot.starts_at, Meeting.id)
    )
    return list(db.session.scalars(_with_rows(query)))


def fair_meetings(fair: Fair, table: MeetingTable | None = None) -> list[Meeting]:
    """Return the fair's published meetings (or one table's), active and cancelled, in time order."""
    query = select(Meeting).join(Slot, Slot.id == Meeting.slot_id).where(Meeting.fair_id == fair.id)
    if table is not None:
        query = query.where(Meeting.table_id == table.id)
    return list(db.session.scalars(_with_rows(query.order_by(Slot.starts_at, Meeting.table_id, Meeting.id))))


def participant_calendar(
    participant: Participant,
    method: str | None = "PUBLISH",
    meetings: list[Meeting] | None = None,
    locale: str | None = None,
) -> bytes:
    """Build the participant's agenda as an .ics (download, feed, or e-mail attachment), in `locale`."""
    fair = participant.fair
    if meetings is None:
        meetings = participant_meetings(participant)
    with force_locale(locale or fair.language or "fr"):
        name = _("%(fair)s — my meetings", fair=fair.name)
        events = [_event(m, viewer=participant) for m in meetings]
    return _ics(fair, name, events, method)


def table_calendar(table: MeetingTable, meetings: list[Meeting] | None = None) -> bytes:
    """Build one table's meetings as an .ics for the organisers."""
    fair = table.fair
    if meetings is None:
        meetings = fair_meetings(fair, table)
    with force_locale(fair.language or "fr"):
        name = _("%(fair)s — %(table)s", fair=fair.name, table=table_label(table.name))
        events = [_event(m, viewer=None) for m in meetings]
    return _ics(fair, name, events, "PUBLISH")


def fair_calendar(fair: Fair, meetings: list[Meeting] | None = None) -> bytes:
    """Build every meeting of the fair as an .ics for the organisers."""
    if meetings is None:
        meetings = fair_meetings(fair)
    with force_locale(fair.language or "fr"):
        name = _("%(fair)s — all meetings", fair=fair.name)
        events = [_event(m, viewer=None) for m in meetings]
    return _ics(fair, name, events, "PUBLISH")


def meeting_message(
    meeting: Meeting, method: str, viewer: Participant | None = None, locale: str | None = None
) -> bytes:
    """Build an iTIP message (REQUEST or CANCEL) about one meeting, with ORGANIZER and ATTENDEEs."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unsupported iTIP method {method!r}")
    fair = db.session.get(Fair, meeting.fair_id)
    with force_locale(locale or fair.language or "fr"):
        event = _event(meeting, viewer=viewer, attendees=True)
        if method == "CANCEL":
            event["STATUS"] = "CANCELLED"
    return _ics(fair, fair.name, [event], method)


def _ics(fair: Fair, name: str, events: list[Event], method: str | None) -> bytes:
    """Return the events in a VCALENDAR with the fair's VTIMEZONE first, as .ics bytes."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", single_line(name))  # an X- property is not escaped: it must hold one line
    for event in events:
        cal.add_component(event)
    body = cal.to_ical()
    # The zone's lines are the same in every calendar of a fair: serialised once, put before the events
    # (a line that begins with BEGIN: is a component's; a value never starts a line).
    head, found, tail = body.partition(b"\r\nBEGIN:VEVENT\r\n")
    if not found:
        head, found, tail = body.partition(b"\r\nEND:VCALENDAR\r\n")
    return head + b"\r\n" + _timezone(fair, events) + found[2:] + tail


def _timezone(fair: Fair, events: Iterable[Event]) -> bytes:
    """Return the fair's VTIMEZONE, limited to the years its meetings (or slots) fall in."""
    zone = ZoneInfo(fair.timezone)
    days = [e.DTSTART.astimezone(zone).date() for e in events]
    if not days:
        days = [s.starts_at.astimezone(zone).date() for s in fair.slots] or [datetime.now(UTC).date()]
    return _zone_between(fair.timezone, min(days).year, max(days).year)


@lru_cache(maxsize=64)
def _zone_between(tzid: str, first_year: int, last_year: int) -> bytes:
    """Return the VTIMEZONE of a zone over whole years, serialised (built once for every calendar)."""
    zone = Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1))
    return zone.to_ical()


def _event(meeting: Meeting, viewer: Participant | None, attendees: bool = False) -> Event:
    """Build the VEVENT of a meeting, worded for `viewer` (or for the organisers when None)."""
    fair = db.session.get(Fair, meeting.fair_id)
    zone = ZoneInfo(fair.timezone)
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("created", meeting.created_at.astimezone(UTC))
    event.add("last-modified", (meeting.updated_at or meeting.created_at).astimezone(UTC))
    event.add("dtstart", local_time(meeting.slot.starts_at, zone))
    event.add("dtend", local_time(meeting.slot.ends_at, zone))
    event.add("summary", vText(clean_text(event_summary(meeting, viewer)).replace("\n", " ")))
    event.add("location", vText(clean_text(event_location(meeting, fair)).replace("\n", " ")))
    event.add("description", vText(clean_text(event_description(meeting, viewer))))
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _organizer(fair))
    if attendees:
        for participant in (meeting.participant_a, meeting.participant_b):
            for name, address in participant_addresses(participant):
                event.add("attendee", _attendee(name, address))
    return event


def local_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """Return the moment in the fair's zone, or in UTC if its wall-clock time is ambiguous.

    A TZID time in the repeated hour of an autumn change means its first occurrence (RFC 5545 3.3.5),
    so the second one can only be written in UTC.
    """
    local = moment.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local


def _organizer(fair: Fair) -> vCalAddress:
    """Return the fair's sending address as ORGANIZER."""
    organizer = vCalAddress(f"mailto:{sender_address()}")
    organizer.params["CN"] = clean_text(fair.name).replace("\n", " ")
    return organizer


def _attendee(name: str, address: str) -> vCalAddress:
    """Return an ATTENDEE for a participant's recipient."""
    attendee = vCalAddress(f"mailto:{address}")
    if name:
        attendee.params["CN"] = clean_text(name).replace("\n", " ")
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["PARTSTAT"] = "NEEDS-ACTION"
    attendee.params["RSVP"] = "FALSE"
    return attendee
