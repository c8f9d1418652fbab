"""The objective terms recomputed from a schedule alone (spec section 2), independent of CP-SAT."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from solver.instance import Instance, pair_values, session_runs
from solver.schedule import ScheduledMeeting


def meeting_problem(instance: Instance, meeting: ScheduledMeeting) -> str | None:
    """Say why a meeting is reported as `unknown-id`, or return None when it is well formed."""
    if meeting.problem:
        return meeting.problem
    a, b = meeting.participants
    unknown = [p for p in (a, b) if p not in instance.participant_by_id]
    if unknown:
        return "unknown participant " + ", ".join(repr(p) for p in unknown)
    if a == b:
        return "needs two different participants"
    if meeting.slot not in instance.slot_position:
        return f"unknown slot {meeting.slot!r}"
    if meeting.table not in instance.table_set:
        return f"unknown table {meeting.table!r}"
    return None


def well_formed(
    instance: Instance, meetings: Sequence[ScheduledMeeting]
) -> list[tuple[int, ScheduledMeeting]]:
    """Return (index, meeting) for the meetings that are not `unknown-id`."""
    return [(i, m) for i, m in enumerate(meetings) if meeting_problem(instance, m) is None]


def busy_positions(instance: Instance, meetings: Iterable[ScheduledMeeting]) -> dict[str, set[int]]:
    """Map every participant to the slot positions where it has a meeting."""
    busy: dict[str, set[int]] = {p.id: set() for p in instance.participants}
    for m in meetings:
        pos = instance.slot_position[m.slot]
        for p in m.participants:
            busy[p].add(pos)
    return busy


def count_breaks(runs: Sequence[Sequence[int]], busy: set[int]) -> int:
    """Count maximal idle runs lying between two busy slots of the same run."""
    breaks = 0
    for run in runs:
        held = [k for k, pos in enumerate(run) if pos in busy]
        breaks += sum(1 for x, y in zip(held, held[1:], strict=False) if y - x > 1)
    return breaks


def breaks_per_participant(instance: Instance, meetings: Sequence[ScheduledMeeting]) -> dict[str, int]:
    """Return each participant's number of breaks (0 without meetings); malformed meetings are ignored."""
    valid = [m for _, m in well_formed(instance, meetings)]
    runs = session_runs(instance)
    return {p: count_breaks(runs, slots) for p, slots in busy_positions(instance, valid).items()}


def compute_objective(instance: Instance, meetings: Sequence[ScheduledMeeting]) -> dict[str, int]:
    """Return coverage, weight and breaks of a list of meetings, leaving out `unknown-id` meetings."""
    valid = [m for _, m in well_formed(instance, meetings)]
    met = {p for m in valid for p in m.participants}
    values = pair_values(instance)
    pairs = {m.pair for m in valid}
    return {
        "coverage": len(met),
        "weight": sum(values.get(pair, 0) for pair in pairs),
        "breaks": sum(breaks_per_participant(instance, valid).values()),
    }


def instance_objective(instance: Instance, meetings: Sequence[ScheduledMeeting]) -> dict[str, int]:
    """Return only the terms of the instance's objective, in its order."""
    values = compute_objective(instance, meetings)
    return {term: values[term] for term in instance.objective}
