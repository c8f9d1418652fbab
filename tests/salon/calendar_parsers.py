"""Parse .ics bytes with three independent parsers, each in its own process.

Each parser prints JSON {uid: {start_utc, end_utc, sequence, status, summary}} (a list of events per UID
under "events" too, so duplicates show). A fresh process per parser keeps their time-zone caches and
monkey-patches (vobject registers tzinfos globally) from leaking into each other or into the tests.
"""

from __future__ import annotations

import json
import subprocess
import sys

_COMMON = r"""
import json, sys
from datetime import timezone
data = sys.stdin.buffer.read()
out = []
def utc(dt):
    if getattr(dt, "tzinfo", None) is None:
        raise SystemExit(f"floating or date value: {dt!r}")
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
def add(uid, start, end, sequence, status, summary):
    out.append({"uid": str(uid), "start_utc": utc(start), "end_utc": utc(end),
                "sequence": int(sequence or 0), "status": (str(status).upper() if status else None),
                "summary": str(summary)})
"""

SCRIPTS = {
    "icalendar": _COMMON
    + r"""
import icalendar
cal = icalendar.Calendar.from_ical(data)
for ev in cal.walk("VEVENT"):
    add(ev["UID"], ev.decoded("DTSTART"), ev.decoded("DTEND"), ev.get("SEQUENCE", 0),
        ev.get("STATUS"), ev.get("SUMMARY"))
print(json.dumps(out))
""",
    "ical": _COMMON
    + r"""
from ical.calendar_stream import IcsCalendarStream
cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
for ev in cal.events:
    status = ev.status.value if ev.status is not None else None
    add(ev.uid, ev.dtstart, ev.dtend, ev.sequence, status, ev.summary)
print(json.dumps(out))
""",
    "vobject": _COMMON
    + r"""
import vobject
cal = vobject.readOne(data.decode("utf-8"))
for ev in getattr(cal, "vevent_list", []):
    status = ev.status.value if hasattr(ev, "status") else None
    seq = ev.sequence.value if hasattr(ev, "sequence") else 0
    add(ev.uid.value, ev.dtstart.value, ev.dtend.value, seq, status, ev.summary.value)
print(json.dumps(out))
""",
}
PARSERS = tuple(SCRIPTS)


def parse_with(parser: str, ics: bytes) -> list[dict]:
    """Return the events the parser reads in `ics`, from a separate Python process."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", SCRIPTS[parser]], input=ics, capture_output=True, timeout=60, check=False
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
    for ics in messages:
        for uid, event in by_uid(parse_with(parser, ics)).items():
            if uid not in state or event["sequence"] >= state[uid]["sequence"]:
                state[uid] = event
    return state
