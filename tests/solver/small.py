"""Small instances and schedules built in code, so solver tests run without the shared directory."""

from __future__ import annotations

import copy
from typing import Any

from solver.instance import Instance, instance_from_dict
from solver.schedule import ScheduledMeeting

MINI: dict[str, Any] = {
    "format": "salon-instance/1",
    "name": "mini",
    "timezone": "Europe/Paris",
    "slots": [
        {
            "id": "am1",
            "start": "2027-05-04T09:00:00+02:00",
            "end": "2027-05-04T09:30:00+02:00",
            "session": "am",
        },
        {
            "id": "am2",
            "start": "2027-05-04T09:30:00+02:00",
            "end": "2027-05-04T10:00:00+02:00",
            "session": "am",
        },
        {
            "id": "pm1",
            "start": "2027-05-04T14:00:00+02:00",
            "end": "2027-05-04T14:30:00+02:00",
            "session": "pm",
        },
        {
            "id": "pm2",
            "start": "2027-05-04T14:30:00+02:00",
            "end": "2027-05-04T15:00:00+02:00",
            "session": "pm",
        },
    ],
    "tables": ["A", "B", "C"],
    "participants": [
        {"id": "b1", "side": "buyer", "unavailable": ["am1"], "max_meetings": 3},
        {"id": "b2", "side": "buyer"},
        {"id": "b3", "side": "buyer", "min_meetings": 1},
        {"id": "s1", "side": "supplier", "table": "A"},
        {"id": "s2", "side": "supplier"},
    ],
    "wishes": [
        {"from": "b1", "to": "s1", "weight": 3},
        {"from": "s1", "to": "b1", "weight": 1},
        {"from": "b2", "to": "s2", "weight": 10},
        {"from": "b3", "to": "s2"},
        {"from": "b1", "to": "s2"},
    ],
    "meetings": [
        {"participants": ["b2", "s1"], "session": "am"},
        {"participants": ["b3", "s1"], "slot": "pm2", "after": [0]},
    ],
    "locked": [{"participants": ["b1", "s2"], "slot": "pm1", "table": "B"}],
    "breaks_within": "session",
}

# A valid schedule of MINI: coverage 5, weight 16, breaks 0 within sessions (2 along the whole day).
MINI_MEETINGS = (
    ScheduledMeeting(("b1", "s1"), "am2", "A"),
    ScheduledMeeting(("b2", "s1"), "am1", "A", mandatory=0),
    ScheduledMeeting(("b2", "s2"), "am2", "B"),
    ScheduledMeeting(("b1", "s2"), "pm1", "B"),
    ScheduledMeeting(("b3", "s1"), "pm2", "A", mandatory=1),
    ScheduledMeeting(("b3", "s2"), "am1", "B"),
)
MINI_OBJECTIVE = {"coverage": 5, "weight": 16, "breaks": 0}


def mini_dict(**changes: Any) -> dict[str, Any]:
    """Return a deep copy of MINI with top-level fields replaced."""
    data = copy.deepcopy(MINI)
    data.update(changes)
    return data


def mini(**changes: Any) -> Instance:
    """Return the MINI instance with top-level fields replaced."""
    return instance_from_dict(mini_dict(**changes))


def tiny(people: int = 4, slots: int | list[Any] = 3, tables: int = 2, **changes: Any) -> Instance:
    """Return an instance p1..pn, t1..tk, tables "1".."m", wishes p1->p2, p3->p4, ..."""
    data: dict[str, Any] = {
        "format": "salon-instance/1",
        "slots": slots if isinstance(slots, list) else [{"id": f"t{t}"} for t in range(1, slots + 1)],
        "tables": tables,
        "participants": [{"id": f"p{i}"} for i in range(1, people + 1)],
        "wishes": [{"from": f"p{i}", "to": f"p{i + 1}"} for i in range(1, people, 2)],
    }
    data.update(changes)
    return instance_from_dict(data)


def meet(a: str, b: str, slot: str, table: str, mandatory: int | None = None) -> ScheduledMeeting:
    """Return one scheduled meeting."""
    return ScheduledMeeting((a, b), slot, table, mandatory)
