"""Read and check `salon-instance/1` JSON: bad input becomes one InstanceError naming every problem."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from solver.instance import (
    AWAY_MEETINGS,
    FORMAT,
    OBJECTIVE_TERMS,
    Instance,
    InstanceError,
    LockedMeeting,
    MandatoryMeeting,
    Participant,
    Slot,
    Wish,
)
from solver.jsoncheck import MISSING, Reader, is_int

REQUIRED = ("format", "slots", "tables", "participants")
OPTIONAL = (
    "name",
    "timezone",
    "wishes",
    "meetings",
    "locked",
    "objective",
    "max_break_spread",
    "breaks_within",
    "away_meetings",
)
TOP_FIELDS = {key: key in REQUIRED for key in REQUIRED + OPTIONAL}
SLOT_FIELDS = {"id": True, "start": False, "end": False, "session": False}
PARTICIPANT_FIELDS = {
    key: key == "id" for key in ("id", "side", "unavailable", "max_meetings", "min_meetings", "table")
}
WISH_FIELDS = {"from": True, "to": True, "weight": False}
MEETING_FIELDS = {"participants": True, "session": False, "slot": False, "after": False}
LOCKED_FIELDS = {"participants": True, "slot": True, "table": True, "mandatory": False}
LOCKED_INDEX = re.compile(r"(?<!mandatory )\bmeeting (\d+)")


def read_slots(r: Reader, value: object) -> tuple[Slot, ...]:
    """Read the slots, their sessions and check their times."""
    slots = []
    for path, d in r.items(value, "slots", SLOT_FIELDS):
        sid = r.unique(d.get("id", MISSING), f"{path}.id", set(r.slots))
        r.slots[sid] = len(r.slots)
        start, end, session = (
            r.text(d.get(k, MISSING), f"{path}.{k}", nullable=True) for k in SLOT_FIELDS if k != "id"
        )
        slots.append(Slot(sid, start, end, session))
        if session is not None:
            r.sessions.add(session)
    if isinstance(value, list) and not value:
        r.fail("slots", "needs at least one slot")
    check_times(r, slots)
    return tuple(slots)


def parse_time(r: Reader, value: str | None, path: str) -> datetime | None:
    """Parse an ISO 8601 time that carries a UTC offset."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        r.fail(path, f"not an ISO 8601 time: {value!r}")
        return None
    if moment.utcoffset() is None:
        r.fail(path, f"needs a UTC offset: {value!r}")
        return None
    return moment


def check_times(r: Reader, slots: list[Slot]) -> None:
    """Check start < end <= next start when every slot has both times."""
    times = [
        (parse_time(r, s.start, f"slots[{i}].start"), parse_time(r, s.end, f"slots[{i}].end"))
        for i, s in enumerate(slots)
    ]
    for i, (start, end) in enumerate(times):
        if start is not None and end is not None and start >= end:
            r.fail(f"slots[{i}]", f"slot {slots[i].id!r} starts at or after its end")
    if all(start is not None and end is not None for start, end in times):
        for i in range(1, len(times)):
            if times[i][0] < times[i - 1][1]:  # type: ignore[operator]
                r.fail(f"slots[{i}].start", f"slot {slots[i].id!r} overlaps slot {slots[i - 1].id!r}")


def read_tables(r: Reader, value: object) -> tuple[str, ...]:
    """Read the table ids, or a table count."""
    if is_int(value):
        r.integer(value, "tables", 0, None)
        r.tables = {str(k) for k in range(1, value + 1)}  # type: ignore[operator]
        return tuple(str(k) for k in range(1, value + 1))  # type: ignore[operator]
    if not isinstance(value, list):
        if value is not MISSING:
            r.fail("tables", "expected a list of table ids or an integer")
        return ()
    return tuple(r.unique(v, f"tables[{i}]", r.tables) for i, v in enumerate(value))


def read_participant(r: Reader, path: str, d: dict[str, Any]) -> Participant:
    """Read one participant."""
    pid = r.unique(d.get("id", MISSING), f"{path}.id", r.people)
    side = d.get("side", "participant")
    if not isinstance(side, str):
        r.fail(f"{path}.side", f"expected a string, got {side!r}")
    away = d.get("unavailable", [])
    if not isinstance(away, list):
        r.fail(f"{path}.unavailable", "expected a list of slot ids")
        away = []
    unavailable = tuple(r.ref(s, f"{path}.unavailable", r.slots, "slot") or "" for s in away)
    most = r.integer(d.get("max_meetings", MISSING), f"{path}.max_meetings", 0, None)
    least = r.integer(d.get("min_meetings", MISSING), f"{path}.min_meetings", 0, 0) or 0
    if most is not None and least > most:
        r.fail(path, f"min_meetings {least} > max_meetings {most} for {pid!r}")
    table = d.get("table")
    home = None if table is None else r.ref(table, f"{path}.table", r.tables, "table")
    return Participant(pid, side, unavailable, most, least, home)


def read_wishes(r: Reader, value: object) -> tuple[Wish, ...]:
    """Read the wishes: two different participants, weight >= 1, one per ordered pair."""
    wishes, seen = [], set()
    for path, d in r.items(value, "wishes", WISH_FIELDS):
        source = r.ref(d.get("from", MISSING), f"{path}.from", r.people, "participant") or ""
        target = r.ref(d.get("to", MISSING), f"{path}.to", r.people, "participant") or ""
        weight = r.integer(d.get("weight", MISSING), f"{path}.weight", 1, 1) or 1
        if source and source == target:
            r.fail(path, f"wish from {source!r} to itself")
        elif (source, target) in seen:
            r.fail(path, f"duplicate wish from {source!r} to {target!r}")
        seen.add((source, target))
        wishes.append(Wish(source, target, weight))
    return tuple(wishes)


def read_meetings(r: Reader, value: object) -> tuple[MandatoryMeeting, ...]:
    """Read the mandatory meetings: pair, session, fixed slot and `after` indices."""
    entries = r.items(value, "meetings", MEETING_FIELDS)
    count = len(value) if isinstance(value, list) else 0
    meetings = []
    for path, d in entries:
        pair = r.pair(d.get("participants", MISSING), f"{path}.participants")
        session = r.text(d.get("session", MISSING), f"{path}.session", nullable=True)
        if session is not None and session not in r.sessions:
            r.fail(f"{path}.session", f"unknown session {session!r}")
        slot = d.get("slot")
        fixed = None if slot is None else r.ref(slot, f"{path}.slot", r.slots, "slot")
        after = d.get("after", [])
        if not isinstance(after, list):
            r.fail(f"{path}.after", "expected a list of meeting indices")
            after = []
        for j in after:
            if not is_int(j) or not 0 <= j < count or path == f"meetings[{j}]":
                r.fail(f"{path}.after", f"{j!r} is not the index of another mandatory meeting")
        ok = [j for j in after if is_int(j)]
        meetings.append(MandatoryMeeting(pair, session, fixed, tuple(ok)))
    return tuple(meetings)


def read_locked(r: Reader, value: object, mandatory: int) -> tuple[LockedMeeting, ...]:
    """Read the locked meetings."""
    locked = []
    for path, d in r.items(value, "locked", LOCKED_FIELDS):
        pair = r.pair(d.get("participants", MISSING), f"{path}.participants")
        slot = r.ref(d.get("slot", MISSING), f"{path}.slot", r.slots, "slot") or ""
        table = r.ref(d.get("table", MISSING), f"{path}.table", r.tables, "table") or ""
        index = r.integer(d.get("mandatory", MISSING), f"{path}.mandatory", 0, None)
        if index is not None and index >= mandatory:
            r.fail(f"{path}.mandatory", f"no mandatory meeting {index}")
        locked.append(LockedMeeting(pair, slot, table, index))
    return tuple(locked)


def read_settings(r: Reader, d: dict[str, Any]) -> dict[str, Any]:
    """Read name, timezone, objective, max_break_spread, breaks_within and away_meetings."""
    objective = d.get("objective", list(OBJECTIVE_TERMS))
    if not isinstance(objective, list) or not objective:
        r.fail("objective", "expected a non-empty list of terms")
        objective = []
    for i, term in enumerate(objective):
        if term not in OBJECTIVE_TERMS:
            r.fail(f"objective[{i}]", f"unknown term {term!r}")
        elif term in objective[:i]:
            r.fail(f"objective[{i}]", f"duplicate term {term!r}")
    within = d.get("breaks_within", "all")
    if within not in ("all", "session"):
        r.fail("breaks_within", f"expected 'all' or 'session', got {within!r}")
    away = d.get("away_meetings", "none")
    if away not in AWAY_MEETINGS:
        r.fail("away_meetings", f"expected one of {', '.join(map(repr, AWAY_MEETINGS))}, got {away!r}")
    name = d.get("name", "")
    if not isinstance(name, str):
        r.fail("name", "expected a string")
    timezone = r.text(d.get("timezone", MISSING), "timezone", nullable=True)
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
            r.fail("timezone", f"unknown time zone {timezone!r}")
    return {
        "objective": tuple(objective),
        "max_break_spread": r.integer(d.get("max_break_spread", MISSING), "max_break_spread", 0, None),
        "breaks_within": within,
        "away_meetings": away,
        "name": name,
        "timezone": timezone,
    }


def parse_instance(data: object) -> Instance:
    """Build an instance from parsed JSON, raising one InstanceError that names every problem."""
    r = Reader()
    d = r.obj(data, "", TOP_FIELDS)
    if d is None:
        raise InstanceError(r.problems)
    if d.get("format", FORMAT) != FORMAT:
        r.fail("format", f"expected {FORMAT!r}, got {d.get('format')!r}")
    slots = read_slots(r, d.get("slots", MISSING))
    tables = read_tables(r, d.get("tables", MISSING))
    people = tuple(
        read_participant(r, p, v)
        for p, v in r.items(d.get("participants", MISSING), "participants", PARTICIPANT_FIELDS)
    )
    wishes = read_wishes(r, d.get("wishes", MISSING))
    meetings = read_meetings(r, d.get("meetings", MISSING))
    locked = read_locked(r, d.get("locked", MISSING), len(meetings))
    settings = read_settings(r, d)
    if r.problems:
        raise InstanceError(r.problems)
    instance = Instance(slots, tables, people, wishes, meetings, locked, **settings)
    object.__setattr__(instance, "tables_as_count", is_int(d["tables"]))
    check_locked(instance)
    return instance


def check_locked(instance: Instance) -> None:
    """Reject locked meetings that on their own break a hard rule."""
    from solver.schedule import ScheduledMeeting
    from solver.validate import violations_of_meetings

    meetings = [ScheduledMeeting(lk.participants, lk.slot, lk.table, lk.mandatory) for lk in instance.locked]
    found = violations_of_meetings(instance, meetings, complete=False)
    if found:
        # Violations number meetings by their index in the list checked: here, `locked`.
        raise InstanceError(
            [
                f"locked: {v.rule} ({', '.join(map(str, v.ids))}): {LOCKED_INDEX.sub(_locked, v.message)}"
                for v in found
            ]
        )


def _locked(match: re.Match[str]) -> str:
    """Name a locked meeting by its field path."""
    return f"locked[{match.group(1)}]"
