"""Parse .ics bytes with three independent parsers, each in its own process (one per call or batch).

Each parser prints JSON {uid: {start_utc, end_utc, sequence, status, summary, location}} (a list of
events per UID under "events" too, so duplicates show). A fresh process per parser keeps their time-zone
caches and monkey-patches (vobject registers tzinfos globally) from leaking into each other or the tests.
"""

from __future__ import annotations

import json
import subprocess
import sys

_COMMON = r"""
import json, sys
from datetime import timezone
def utc(dt):
    if getattr(dt, "tzinfo", None) is None:
        raise SystemExit(f"floating or date value: {dt!r}")
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
def event(uid, start, end, sequence, status, summary, location=None):
    return {"uid": str(uid), "start_utc": utc(start), "end_utc": utc(end),
            "sequence": int(sequence or 0), "status": (str(status).upper() if status else None),
            "summary": str(summary), "location": None if location is None else str(location)}
"""
# Reads a JSON list of documents, prints a JSON list of each one's events.
_RUN = r"""
docs = json.loads(sys.stdin.buffer.read())
print(json.dumps([parse(doc.encode("utf-8")) for doc in docs]))
"""

SCRIPTS = {
    "icalendar": _COMMON
    + r"""
import icalendar
def parse(data):
    cal = icalendar.Calendar.from_ical(data)
    return [event(ev["UID"], ev.decoded("DTSTART"), ev.decoded("DTEND"), ev.get("SEQUENCE", 0),
                  ev.get("STATUS"), ev.get("SUMMARY"), ev.get("LOCATION")) for ev in cal.walk("VEVENT")]
"""
    + _RUN,
    "ical": _COMMON
    + r"""
from ical.calendar_stream import IcsCalendarStream
def parse(data):
    cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return [event(ev.uid, ev.dtstart, ev.dtend, ev.sequence, ev.status.value if ev.status else None,
                  ev.summary, ev.location) for ev in cal.events]
"""
    + _RUN,
    "vobject": _COMMON
    + r"""
import vobject
def parse(data):
    cal = vobject.readOne(data.decode("utf-8"))
    out = []
    for ev in getattr(cal, "vevent_list", []):
        status = ev.status.value if hasattr(ev, "status") else None
        seq = ev.sequence.value if hasattr(ev, "sequence") else 0
        location = ev.location.value if hasattr(ev, "location") else None
        start, end = ev.dtstart.value, ev.dtend.value
        out.append(event(ev.uid.value, start, end, seq, status, ev.summary.value, location))
    return out
"""
    + _RUN,
}
PARSERS = tuple(SCRIPTS)


def parse_with(parser: str, ics: bytes) -> list[dict]:
    """Return the events the parser reads in `ics`, from a separate Python process."""
    return parse_many(parser, [ics])[0]


def parse_many(parser: str, documents: list[bytes]) -> list[list[dict]]:
    """Return the events the parser reads in each document, all in one separate Python process."""
    payload = json.dumps([doc.decode("utf-8") for doc in documents]).encode("utf-8")
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", SCRIPTS[parser]], input=payload, capture_output=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise AssertionError(f"{parser} failed:\n{done.stderr.decode(errors='replace')}")
    return json.loads(done.stdout)


def by_uid(events: list[dict]) -> dict[str, dict]:
    """Index events by UID; a UID seen twice is an error in a feed."""
    result: dict[str, dict] = {}
    for event in events:
        assert event["uid"] not in result, f"UID {event['uid']} appears twice"
        result[event["uid"]] = {k: v for k, v in event.items() if k != "uid"}
    return result


def parse_all(ics: bytes) -> dict[str, dict[str, dict]]:
    """Return {parser: {uid: event}} for the three parsers."""
    return {parser: by_uid(parse_with(parser, ics)) for parser in PARSERS}


def apply_messages(parser: str, messages: list[bytes]) -> dict[str, dict]:
    """Apply iTIP messages in order like a calendar client: a higher-or-equal SEQUENCE replaces."""
    state: dict[str, dict] = {}
    for events in parse_many(parser, messages):
        for uid, event in by_uid(events).items():
            if uid not in state or event["sequence"] >= state[uid]["sequence"]:
                state[uid] = event
    return state
