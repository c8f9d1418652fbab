"""The .ics builder, read back by three parsers (icalendar, ical, vobject), each in its own process."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from salon.extensions import db
from salon.models import Slot
from salon.services.calendar import (
    PRODID,
    fair_calendar,
    meeting_message,
    participant_calendar,
    table_calendar,
)
from tests.factories import make_fair, make_participant
from tests.salon.calendar_helpers import add_attendee, cancel_meeting, make_meeting, move_meeting
from tests.salon.calendar_parsers import PARSERS, apply_messages, parse_all, parse_with


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _add_slot(fair, start_utc: datetime, minutes: int = 20) -> Slot:
    """Add a slot at an exact UTC instant (e.g. inside a clock change)."""
    slot = Slot(
        fair_id=fair.id,
        session_id=fair.sessions[0].id,
        starts_at=start_utc,
        ends_at=start_utc + timedelta(minutes=minutes),
    )
    db.session.add(slot)
    db.session.flush()
    return slot


def _pair(fair):
    buyer = make_participant(fair, "buyer", name="Ville de Rennes")
    supplier = make_participant(fair, "supplier", name="Scop Bâtir Ensemble")
    return buyer, supplier


def _assert_parsers_agree(ics: bytes, expected: dict[str, tuple[str, str]]) -> dict:
    """Check each parser reads exactly the expected UTC start and end of every UID."""
    parsed = parse_all(ics)
    for parser in PARSERS:
        got = {uid: (e["start_utc"], e["end_utc"]) for uid, e in parsed[parser].items()}
        assert got == expected, parser
    return parsed


def _assert_rfc5545_lines(ics: bytes) -> None:
    """CRLF everywhere, no line over 75 octets, no UTF-8 character split by a fold."""
    assert ics.endswith(b"\r\n")
    assert b"\n" not in ics.replace(b"\r\n", b"")
    assert b"\r" not in ics.replace(b"\r\n", b"")
    for line in ics.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # raises if a fold cut a multi-byte character


@pytest.mark.parametrize(
    ("day", "tz"),
    [
        (date(2027, 3, 28), "Europe/Paris"),  # spring forward: 02:00 -> 03:00
        (date(2027, 10, 31), "Europe/Paris"),  # fall back: 03:00 -> 02:00
        (date(2027, 3, 18), "America/Cayenne"),
        (date(2027, 11, 4), "Pacific/Noumea"),
    ],
)
def test_calendar_parsers_agree_on_utc_times_when_clock_changes(db, day, tz):
    fair = make_fair(day=day, tz=tz, slots_per_session=2, tables=2)
    buyer, supplier = _pair(fair)
    other = make_participant(fair, "supplier")
    meetings = [make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])]
    meetings.append(make_meeting(buyer, other, fair.slots[-1], fair.tables[1]))
    if tz == "Europe/Paris":
        # The hours around the change itself: 00:30 and 01:30 UTC are 02:30 twice in October
        # (02:30 does not exist in March: 01:30 UTC is 03:30 CEST).
        for hour in (0, 1):
            slot = _add_slot(fair, datetime(day.year, day.month, day.day, hour, 30, tzinfo=UTC))
            meetings.append(make_meeting(supplier, other, slot, fair.tables[hour], occurrence=hour))
    ics = fair_calendar(fair)
    expected = {m.uid: (_z(m.slot.starts_at), _z(m.slot.ends_at)) for m in meetings}
    _assert_parsers_agree(ics, expected)
    _assert_rfc5545_lines(ics)


def test_calendar_times_on_paris_change_days_are_the_wall_clock_times(db):
    fair = make_fair(day=date(2027, 3, 28), slots_per_session=1)
    buyer, supplier = _pair(fair)
    meeting = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    ics = participant_calendar(buyer)
    assert b"DTSTART;TZID=Europe/Paris:20270328T090000\r\n" in ics
    # 09:00 CEST is 07:00 UTC, not 08:00 (the classic one-hour-off bug).
    assert parse_with("vobject", ics)[0]["start_utc"] == "2027-03-28T07:00:00Z"
    assert meeting.slot.starts_at == datetime(2027, 3, 28, 9, tzinfo=ZoneInfo("Europe/Paris"))


def test_calendar_vtimezone_limited_to_fair_years(db):
    fair = make_fair(day=date(2027, 10, 31), slots_per_session=1)
    buyer, supplier = _pair(fair)
    make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    cal = icalendar.Calendar.from_ical(participant_calendar(buyer))
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Paris"]
    starts = sorted(sub.decoded("DTSTART").year for sub in zones[0].subcomponents)
    assert (starts[0], starts[-1]) == (2027, 2027)
    assert all("RDATE" not in sub for sub in zones[0].subcomponents)


def test_calendar_escapes_text_in_every_parser(db):
    fair = make_fair(venue="Hôtel de Région; salle A, 2e étage", slots_per_session=1)
    buyer = make_participant(fair, "buyer", name="Métropole, Direction; achats \\ 🌱")
    supplier = make_participant(fair, "supplier", name="Scop « L’Atelier » 👩🏽‍🔧, Lyon;\nBron\x07")
    add_attendee(supplier, "Zoë Ünal", "zoe@example.org", phone="+33 6 12 34 56 78")
    meeting = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    ics = participant_calendar(buyer)
    _assert_rfc5545_lines(ics)
    assert b"\x07" not in ics
    for parser in PARSERS:
        event = parse_with(parser, ics)[0]
        assert event["summary"].endswith("Scop « L’Atelier » 👩🏽‍🔧, Lyon; Bron"), parser
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == f"Hôtel de Région; salle A, 2e étage, Table {meeting.table.name}"
    description = str(event["DESCRIPTION"])
    assert "Scop « L’Atelier » 👩🏽‍🔧, Lyon;\nBron" in description
    assert "Zoë Ünal — zoe@example.org — +33 6 12 34 56 78" in description
    assert "http://localhost/" in description


def test_calendar_has_rfc5545_headers(db):
    fair = make_fair(slots_per_session=1)
    buyer, supplier = _pair(fair)
    meeting = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    cal = icalendar.Calendar.from_ical(participant_calendar(buyer))
    assert (str(cal["PRODID"]), str(cal["VERSION"]), str(cal["METHOD"])) == (PRODID, "2.0", "PUBLISH")
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.uid
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert event.decoded("LAST-MODIFIED") == meeting.updated_at.replace(microsecond=0)
    assert str(event["ORGANIZER"]) == "mailto:no-reply@salon.localhost"
    assert "ATTENDEE" not in event  # only iTIP messages name the attendees


def test_calendar_in_french_by_default_and_in_english_when_fair_says(db):
    fair = make_fair(slots_per_session=1, venue="Halle")
    buyer, supplier = _pair(fair)
    make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    event = icalendar.Calendar.from_ical(participant_calendar(buyer)).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Rendez-vous avec Scop Bâtir Ensemble"
    assert str(event["LOCATION"]) == "Halle, Table 1"
    assert "fournisseur" in str(event["DESCRIPTION"])
    fair.language = "en"
    db.session.flush()
    event = icalendar.Calendar.from_ical(participant_calendar(buyer)).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Meeting with Scop Bâtir Ensemble"
    assert str(event["LOCATION"]) == "Halle, Table 1"


def test_calendar_keeps_cancelled_meeting_with_higher_sequence(db):
    fair = make_fair(slots_per_session=2)
    buyer, supplier = _pair(fair)
    kept = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    gone = make_meeting(buyer, make_participant(fair, "supplier"), fair.slots[1], fair.tables[0])
    cancel_meeting(gone)
    parsed = parse_all(participant_calendar(buyer))
    for parser in PARSERS:
        events = parsed[parser]
        assert set(events) == {kept.uid, gone.uid}, parser
        assert (events[kept.uid]["status"], events[kept.uid]["sequence"]) == ("CONFIRMED", 0), parser
        assert (events[gone.uid]["status"], events[gone.uid]["sequence"]) == ("CANCELLED", 1), parser


def test_calendar_moved_meeting_keeps_uid_with_higher_sequence(db):
    fair = make_fair(slots_per_session=3)
    buyer, supplier = _pair(fair)
    meeting = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    uid = meeting.uid
    move_meeting(meeting, fair.slots[2], fair.tables[1])
    parsed = parse_all(participant_calendar(supplier))
    target = fair.slots[2]
    for parser in PARSERS:
        assert list(parsed[parser]) == [uid], parser
        event = parsed[parser][uid]
        assert (event["sequence"], event["start_utc"]) == (1, _z(target.starts_at)), parser


def test_calendar_meeting_life_leaves_one_event_in_final_state(db):
    fair = make_fair(day=date(2027, 10, 31), slots_per_session=3)
    buyer, supplier = _pair(fair)
    add_attendee(buyer, "Léa Martin", "lea@example.org")
    add_attendee(supplier, "Omar Diallo", "omar@example.org")
    meeting = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    messages = [meeting_message(meeting, "REQUEST", viewer=buyer)]
    move_meeting(meeting, fair.slots[4], fair.tables[2])
    messages.append(meeting_message(meeting, "REQUEST", viewer=buyer))
    cancel_meeting(meeting)
    messages.append(meeting_message(meeting, "CANCEL", viewer=buyer))
    final = fair.slots[4]
    for parser in PARSERS:
        state = apply_messages(parser, messages)
        assert list(state) == [meeting.uid], parser
        event = state[meeting.uid]
        assert (event["status"], event["sequence"]) == ("CANCELLED", 2), parser
        assert (event["start_utc"], event["end_utc"]) == (_z(final.starts_at), _z(final.ends_at)), parser


def test_calendar_itip_message_names_organizer_and_attendees(db):
    fair = make_fair(slots_per_session=1, name="Salon ESS Bretagne")
    buyer, supplier = _pair(fair)
    add_attendee(buyer, "Léa Martin", "lea@example.org")
    add_attendee(supplier, "Omar Diallo", "omar@example.org")
    meeting = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    cal = icalendar.Calendar.from_ical(meeting_message(meeting, "CANCEL", viewer=supplier))
    assert str(cal["METHOD"]) == "CANCEL"
    event = cal.walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["ORGANIZER"].params["CN"] == "Salon ESS Bretagne"
    attendees = sorted(str(a) for a in event["ATTENDEE"])
    assert attendees == ["mailto:lea@example.org", "mailto:omar@example.org"]
    with pytest.raises(ValueError):
        meeting_message(meeting, "PUBLISH")


def test_calendar_table_and_fair_feeds_list_their_meetings_only(db):
    fair = make_fair(slots_per_session=2, tables=2)
    buyer, supplier = _pair(fair)
    other = make_participant(fair, "buyer")
    at_one = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    at_two = make_meeting(other, supplier, fair.slots[1], fair.tables[1])
    elsewhere = make_fair(slots_per_session=1)
    make_meeting(*_pair(elsewhere), elsewhere.slots[0], elsewhere.tables[0])
    table_uids = [
        str(e["UID"]) for e in icalendar.Calendar.from_ical(table_calendar(fair.tables[0])).walk("VEVENT")
    ]
    fair_uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(fair_calendar(fair)).walk("VEVENT")]
    assert table_uids == [at_one.uid]
    assert fair_uids == [at_one.uid, at_two.uid]
    buyer_uids = [
        str(e["UID"]) for e in icalendar.Calendar.from_ical(participant_calendar(buyer)).walk("VEVENT")
    ]
    assert buyer_uids == [at_one.uid]
