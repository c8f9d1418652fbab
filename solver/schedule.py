"""The `salon-schedule/1` data model and its JSON reader/writer (../shared/spec, section 3)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "salon-schedule/1"
STATUSES = ("optimal", "feasible", "infeasible", "unknown")


class ScheduleError(ValueError):
    """A schedule file that cannot be read at all (not JSON, wrong format, no meetings list)."""


@dataclass(frozen=True)
class ScheduledMeeting:
    """One meeting of a schedule; `problem` is set when the JSON entry was malformed (see unknown-id)."""

    participants: tuple[str, str]
    slot: str
    table: str
    mandatory: int | None = None
    problem: str | None = field(default=None, compare=False)

    @property
    def pair(self) -> tuple[str, str]:
        """Return the unordered pair as a sorted tuple."""
        a, b = self.participants
        return (a, b) if a <= b else (b, a)


Meeting = ScheduledMeeting


@dataclass(frozen=True)
class Reason:
    """Why a solve is infeasible: a section-2 rule id and the ids in conflict."""

    rule: str
    ids: tuple[str | int, ...] = ()
    message: str = ""


@dataclass(frozen=True)
class SolveResult:
    """A schedule with its status, objective, proved bounds, reasons and statistics."""

    status: str
    meetings: tuple[ScheduledMeeting, ...] = ()
    objective: dict[str, Any] = field(default_factory=dict)
    bounds: dict[str, Any] = field(default_factory=dict)
    reasons: tuple[Reason, ...] = ()
    stats: dict[str, Any] = field(default_factory=dict)
    instance: str = ""

    def __post_init__(self) -> None:
        """Accept lists for the sequence fields."""
        object.__setattr__(self, "meetings", tuple(self.meetings))
        object.__setattr__(self, "reasons", tuple(self.reasons))

    @property
    def schedule(self) -> tuple[ScheduledMeeting, ...]:
        """Return the meetings (alias used by the design notes)."""
        return self.meetings


Schedule = SolveResult


def meeting_to_dict(meeting: ScheduledMeeting) -> dict[str, Any]:
    """Return the JSON object of one meeting."""
    out: dict[str, Any] = {
        "participants": list(meeting.participants),
        "slot": meeting.slot,
        "table": meeting.table,
    }
    if meeting.mandatory is not None:
        out["mandatory"] = meeting.mandatory
    return out


def result_to_dict(result: SolveResult) -> dict[str, Any]:
    """Return the `salon-schedule/1` JSON object of a result."""
    return {
        "format": FORMAT,
        "instance": result.instance,
        "status": result.status,
        "meetings": [meeting_to_dict(m) for m in result.meetings],
        "objective": dict(result.objective),
        "bounds": dict(result.bounds),
        "reasons": [{"rule": r.rule, "ids": list(r.ids), "message": r.message} for r in result.reasons],
        "stats": dict(result.stats),
    }


def _id_text(value: object) -> str | None:
    """Return a string id, or None when the JSON value is not one."""
    return value if isinstance(value, str) else None


def meeting_from_dict(entry: object) -> ScheduledMeeting:
    """Read one meeting leniently: a malformed entry gets a `problem` instead of raising."""
    if not isinstance(entry, dict):
        return ScheduledMeeting(("", ""), "", "", problem="not an object")
    problems: list[str] = []
    raw = entry.get("participants")
    names = [_id_text(p) for p in raw] if isinstance(raw, list) else []
    people = [p for p in names if p is not None]
    if len(names) != 2 or len(people) != 2 or people[0] == people[1] or "" in people:
        problems.append("needs exactly two different participant ids")
    people = (people + ["", ""])[:2]
    slot = _id_text(entry.get("slot"))
    if not slot:
        problems.append("needs a slot id")
    table_raw = entry.get("table")
    is_int = isinstance(table_raw, int) and not isinstance(table_raw, bool)
    table = str(table_raw) if is_int else _id_text(table_raw)
    if not table:
        problems.append("needs a table id")
    mandatory_raw = entry.get("mandatory")
    mandatory: int | None = None
    if mandatory_raw is not None:
        ok = isinstance(mandatory_raw, int) and not isinstance(mandatory_raw, bool)
        # A non-integer index names no mandatory meeting: -1 makes the validator report a mismatch.
        mandatory = mandatory_raw if ok else -1
    return ScheduledMeeting(
        (people[0], people[1]), slot or "", table or "", mandatory, problem="; ".join(problems) or None
    )


def _reason_from_dict(entry: object) -> Reason:
    """Read one reason leniently."""
    if not isinstance(entry, dict):
        return Reason(rule="", message=str(entry))
    ids = entry.get("ids")
    return Reason(
        rule=str(entry.get("rule", "")),
        ids=tuple(i for i in ids if isinstance(i, str | int)) if isinstance(ids, list) else (),
        message=str(entry.get("message", "")),
    )


def result_from_dict(data: object) -> SolveResult:
    """Read a `salon-schedule/1` object; only a broken envelope raises ScheduleError."""
    if not isinstance(data, dict):
        raise ScheduleError("schedule: expected a JSON object")
    problems = []
    if data.get("format") != FORMAT:
        problems.append(f"format: expected {FORMAT!r}, got {data.get('format')!r}")
    if data.get("status") not in STATUSES:
        problems.append(f"status: expected one of {', '.join(STATUSES)}, got {data.get('status')!r}")
    if not isinstance(data.get("meetings"), list):
        problems.append("meetings: expected a list")
    for key in ("objective", "bounds", "stats"):
        if not isinstance(data.get(key, {}), dict):
            problems.append(f"{key}: expected an object")
    if not isinstance(data.get("reasons", []), list):
        problems.append("reasons: expected a list")
    if problems:
        raise ScheduleError("invalid schedule: " + "; ".join(problems))
    return SolveResult(
        status=data["status"],
        meetings=tuple(meeting_from_dict(m) for m in data["meetings"]),
        objective=dict(data.get("objective", {})),
        bounds=dict(data.get("bounds", {})),
        reasons=tuple(_reason_from_dict(r) for r in data.get("reasons", [])),
        stats=dict(data.get("stats", {})),
        instance=str(data.get("instance", "")),
    )


def load_schedule(path: str | Path) -> SolveResult:
    """Load a `salon-schedule/1` JSON file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScheduleError(f"{path}: cannot read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ScheduleError(f"{path}: not JSON: {exc}") from None
    return result_from_dict(data)


def dump_schedule(result: SolveResult, path: str | Path) -> None:
    """Write a result as `salon-schedule/1` JSON."""
    text = json.dumps(result_to_dict(result), indent=1, ensure_ascii=False)
    Path(path).write_text(text + "\n", encoding="utf-8")
