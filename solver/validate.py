"""Check a schedule against every rule of spec section 2, in plain Python (no ortools)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from solver.instance import Instance
from solver.objective import breaks_per_participant, compute_objective
from solver.rules import (
    Context,
    Violation,
    check_double_booked,
    check_home_table,
    check_max_meetings,
    check_min_meetings,
    check_pair_twice,
    check_unavailable,
    check_unwished_pair,
)
from solver.schedule import ScheduledMeeting, SolveResult

__all__ = [
    "COMPLETENESS_RULES",
    "RULES",
    "Violation",
    "violations",
    "violations_of_meetings",
]

RULES = (
    "unknown-id",
    "unwished-pair",
    "pair-twice",
    "person-double-booked",
    "table-double-booked",
    "unavailable",
    "home-table",
    "max-meetings",
    "min-meetings",
    "mandatory-mismatch",
    "mandatory-missing",
    "wrong-session",
    "wrong-fixed-slot",
    "precedence",
    "locked-moved",
    "break-spread",
    "objective-mismatch",
)
# Rules that only a finished schedule can satisfy: a partial (manual) schedule may still gain meetings.
COMPLETENESS_RULES = frozenset({"min-meetings", "mandatory-missing", "break-spread"})


def check_mandatory_mismatch(ctx: Context) -> list[Violation]:
    """Flag meetings claiming a wrong mandatory index and mandatory meetings realised twice or more."""
    n = len(ctx.instance.meetings)
    found = []
    for i, m in ctx.valid:
        k = m.mandatory
        if k is None:
            continue
        if not 0 <= k < n:
            found.append(Violation("mandatory-mismatch", (i, k), f"meeting {i}: no mandatory meeting {k}"))
        elif set(ctx.instance.meetings[k].participants) != set(m.pair):
            message = f"meeting {i}: mandatory meeting {k} is not the pair {m.pair[0]}-{m.pair[1]}"
            found.append(Violation("mandatory-mismatch", (i, k), message))
    for k, idx in sorted(ctx.realised.items()):
        if len(idx) > 1:
            message = f"mandatory meeting {k} is realised by meetings {', '.join(map(str, idx))}"
            found.append(Violation("mandatory-mismatch", (k, *idx), message))
    return found


def check_mandatory_missing(ctx: Context) -> list[Violation]:
    """Flag each mandatory meeting that no meeting realises."""
    return [
        Violation("mandatory-missing", (k, *mm.participants), f"mandatory meeting {k} is not held")
        for k, mm in enumerate(ctx.instance.meetings)
        if k not in ctx.realised
    ]


def check_session_and_slot(ctx: Context) -> list[Violation]:
    """Flag mandatory meetings realised outside their session or fixed slot."""
    found = []
    for k, mm in enumerate(ctx.instance.meetings):
        m = ctx.realised_once(k)
        if m is None:
            continue
        session = ctx.instance.slots[ctx.instance.slot_position[m.slot]].session
        if mm.session is not None and session != mm.session:
            message = f"mandatory meeting {k} is held at {m.slot}, outside session {mm.session}"
            found.append(Violation("wrong-session", (k, m.slot), message))
        if mm.slot is not None and m.slot != mm.slot:
            message = f"mandatory meeting {k} is held at {m.slot}, not at {mm.slot}"
            found.append(Violation("wrong-fixed-slot", (k, m.slot), message))
    return found


def check_precedence(ctx: Context) -> list[Violation]:
    """Flag each (j, i) with j in i's `after` whose slot is not strictly earlier than i's."""
    pos = ctx.instance.slot_position
    found = []
    for i, mm in enumerate(ctx.instance.meetings):
        later = ctx.realised_once(i)
        for j in mm.after:
            earlier = ctx.realised_once(j)
            if later is None or earlier is None or pos[earlier.slot] < pos[later.slot]:
                continue
            message = f"mandatory meeting {j} ({earlier.slot}) must come before {i} ({later.slot})"
            found.append(Violation("precedence", (j, i), message))
    return found


def check_locked_moved(ctx: Context) -> list[Violation]:
    """Flag each locked meeting absent with its pair, slot and table."""
    present = {(m.pair, m.slot, m.table) for _, m in ctx.valid}
    found = []
    for k, lk in enumerate(ctx.instance.locked):
        a, b = lk.participants
        if ((min(a, b), max(a, b)), lk.slot, lk.table) not in present:
            message = f"locked meeting {k} ({a}-{b} at {lk.slot}, table {lk.table}) is not in the schedule"
            found.append(Violation("locked-moved", (k, a, b), message))
    return found


def check_break_spread(ctx: Context) -> list[Violation]:
    """Flag a spread of breaks over all participants wider than `max_break_spread`."""
    limit = ctx.instance.max_break_spread
    if limit is None or not ctx.instance.participants:
        return []
    breaks = breaks_per_participant(ctx.instance, [m for _, m in ctx.valid])
    most = max(breaks, key=lambda p: breaks[p])
    least = min(breaks, key=lambda p: breaks[p])
    if breaks[most] - breaks[least] <= limit:
        return []
    message = f"{most} has {breaks[most]} breaks and {least} {breaks[least]}: spread above {limit}"
    return [Violation("break-spread", (most, least), message)]


def check_objective(ctx: Context, reported: Mapping[str, Any]) -> list[Violation]:
    """Flag each objective term that is missing from `reported` or differs from its recomputed value."""
    actual = compute_objective(ctx.instance, [m for _, m in ctx.valid])
    found = []
    for term in ctx.instance.objective:
        value = reported.get(term)
        if isinstance(value, bool) or value != actual[term]:
            message = f"objective {term}: reported {value!r}, recomputed {actual[term]}"
            found.append(Violation("objective-mismatch", (term,), message))
    return found


CHECKS: tuple[Callable[[Context], list[Violation]], ...] = (
    check_unwished_pair,
    check_pair_twice,
    check_double_booked,
    check_unavailable,
    check_home_table,
    check_max_meetings,
    check_min_meetings,
    check_mandatory_mismatch,
    check_mandatory_missing,
    check_session_and_slot,
    check_precedence,
    check_locked_moved,
    check_break_spread,
)


def violations_of_meetings(
    instance: Instance,
    meetings: Sequence[ScheduledMeeting],
    *,
    complete: bool = True,
    objective: Mapping[str, Any] | None = None,
    skip: Collection[str] = (),
) -> list[Violation]:
    """Check meetings; `complete=False` skips COMPLETENESS_RULES, `objective` enables objective-mismatch."""
    ctx = Context(instance, meetings)
    skipped = set(skip) | (set() if complete else set(COMPLETENESS_RULES))
    found = list(ctx.unknown)
    for check in CHECKS:
        found.extend(check(ctx))
    if objective is not None:
        found.extend(check_objective(ctx, objective))
    return [v for v in found if v.rule not in skipped]


def violations(
    instance: Instance, schedule: SolveResult | Sequence[ScheduledMeeting], *, skip: Collection[str] = ()
) -> list[Violation]:
    """Return every violation of a schedule; objective-mismatch is checked for optimal/feasible results."""
    if isinstance(schedule, SolveResult):
        checked = schedule.status in ("optimal", "feasible")
        reported = schedule.objective if checked else None
        return violations_of_meetings(instance, schedule.meetings, objective=reported, skip=skip)
    return violations_of_meetings(instance, schedule, skip=skip)
