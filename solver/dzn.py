"""Read Girona B2B `.dzn` benchmark files into `salon-instance/1` (spec section 5)."""

from __future__ import annotations

import re
from typing import Any

from solver.instance import FORMAT, Instance, InstanceError, instance_from_dict

Value = int | list[int] | list[list[int]]
NEEDED = (
    "nBusiness",
    "nTables",
    "nTotalSlots",
    "nMorningSlots",
    "requested",
    "forbidden",
    "fixed",
    "precedences",
)
SESSIONS = {1: "am", 2: "pm", 3: None}
INTEGER = re.compile(r"-?\d+")


def _ints(text: str) -> list[int]:
    """Return the integers of a comma-separated list."""
    return [int(x) for x in INTEGER.findall(text)]


def parse_value(text: str) -> Value:
    """Parse an integer, an integer array, a 2-D array `[| .. |]` or an array of integer sets."""
    text = text.strip()
    if text.startswith("[|"):
        rows = text.strip("[]").split("|")
        return [_ints(row) for row in rows if row.strip(" ,\n\t")]
    if text.startswith("[") and "{" in text:
        return [_ints(body) for body in re.findall(r"\{([^}]*)\}", text)]
    if text.startswith("["):
        return _ints(text)
    if INTEGER.fullmatch(text):
        return int(text)
    raise ValueError(f"cannot read value {text[:40]!r}")


def parse_assignments(text: str) -> dict[str, Value]:
    """Return the `name = value;` assignments of a MiniZinc data file."""
    text = re.sub(r"%[^\n]*", "", text)
    values: dict[str, Value] = {}
    for statement in text.split(";"):
        if not statement.strip():
            continue
        name, sep, value = statement.partition("=")
        if not sep:
            raise ValueError(f"not an assignment: {statement.strip()[:40]!r}")
        values[name.strip()] = parse_value(value)
    return values


def _sets(values: dict[str, Value], key: str, length: int) -> list[list[int]]:
    """Return an array of sets of the expected length."""
    value = values[key]
    if not isinstance(value, list) or len(value) != length or any(not isinstance(v, list) for v in value):
        raise ValueError(f"{key}: expected {length} sets")
    return value  # type: ignore[return-value]


def _meetings(rows: list[list[int]], fixed: list[int], precedences: list[list[int]]) -> list[dict[str, Any]]:
    """Map `requested`, `fixed` and `precedences` onto mandatory meetings."""
    meetings = []
    for (a, b, session), slot, before in zip(rows, fixed, precedences, strict=True):
        if session not in SESSIONS:
            raise ValueError(f"requested: unknown session {session}")
        meeting: dict[str, Any] = {"participants": [f"p{a}", f"p{b}"], "after": [j - 1 for j in before]}
        if SESSIONS[session] is not None:
            meeting["session"] = SESSIONS[session]
        if slot:
            meeting["slot"] = f"t{slot}"
        meetings.append(meeting)
    return meetings


def dzn_to_dict(values: dict[str, Value], name: str) -> dict[str, Any]:
    """Map parsed Girona data onto a `salon-instance/1` object."""
    missing = [key for key in NEEDED if key not in values]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    n_people, n_tables, n_slots, n_morning = (values[k] for k in NEEDED[:4])
    if not all(isinstance(v, int) for v in (n_people, n_tables, n_slots, n_morning)):
        raise ValueError("nBusiness, nTables, nTotalSlots and nMorningSlots must be integers")
    requested = values["requested"]
    if not isinstance(requested, list) or any(not isinstance(r, list) or len(r) != 3 for r in requested):
        raise ValueError("requested: expected rows of three integers")
    rows: list[list[int]] = requested  # type: ignore[assignment]
    forbidden = _sets(values, "forbidden", n_people)  # type: ignore[arg-type]
    precedences = _sets(values, "precedences", len(rows))
    fixed = values["fixed"]
    if not isinstance(fixed, list) or len(fixed) != len(rows) or any(not isinstance(t, int) for t in fixed):
        raise ValueError(f"fixed: expected {len(rows)} integers")
    meetings = _meetings(rows, fixed, precedences)  # type: ignore[arg-type]
    return {
        "format": FORMAT,
        "name": name,
        "slots": [
            {"id": f"t{t}", "session": "am" if t <= n_morning else "pm"}  # type: ignore[operator]
            for t in range(1, n_slots + 1)  # type: ignore[operator]
        ],
        "tables": n_tables,
        "participants": [
            {"id": f"p{i}", "unavailable": [f"t{t}" for t in slots if t != 0]}
            for i, slots in enumerate(forbidden, start=1)
        ],
        "meetings": meetings,
        "objective": ["breaks"],
        "max_break_spread": 2,
        "breaks_within": "all",
    }


def parse_dzn(text: str, name: str) -> Instance:
    """Build an instance from the text of a Girona `.dzn` file."""
    try:
        data = dzn_to_dict(parse_assignments(text), name)
    except (ValueError, TypeError) as exc:
        raise InstanceError([f"{name or 'dzn'}: {exc}"]) from None
    return instance_from_dict(data)
