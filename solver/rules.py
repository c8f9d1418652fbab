"""Validator rules on meetings, pairs, participants and tables (spec section 2); see validate.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from solver.instance import Instance, allowed_pairs, away_tables, mandatory_counts
from solver.objective import meeting_problem
from solver.schedule import ScheduledMeeting

Id = str | int


@dataclass(frozen=True)
class Violation:
    """One broken rule: its spec rule id, the ids involved and a readable message."""

    rule: str
    ids: tuple[Id, ...]
    message: str

    def __str__(self) -> str:
        """Return the `rule-id: ids` line printed by the CLI."""
        return f"{self.rule}: {', '.join(str(i) for i in self.ids)}"


@dataclass
class Context:
    """A schedule prepared for checking: the well-formed meetings and who realises what."""

    instance: Instance
    meetings: Sequence[ScheduledMeeting]
    valid: list[tuple[int, ScheduledMeeting]] = field(default_factory=list)
    unknown: list[Violation] = field(default_factory=list)
    realised: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Split malformed meetings off and index mandatory realisations."""
        mandatory = self.instance.meetings
        for i, m in enumerate(self.meetings):
            problem = meeting_problem(self.instance, m)
            if problem is not None:
                self.unknown.append(Violation("unknown-id", (i,), f"meeting {i}: {problem}"))
                continue
            self.valid.append((i, m))
            k = m.mandatory
            if k is not None and 0 <= k < len(mandatory) and set(mandatory[k].participants) == set(m.pair):
                self.realised.setdefault(k, []).append(i)

    def realised_once(self, k: int) -> ScheduledMeeting | None:
        """Return the meeting realising mandatory meeting k when exactly one does."""
        found = self.realised.get(k, [])
        return self.meetings[found[0]] if len(found) == 1 else None


def check_unwished_pair(ctx: Context) -> list[Violation]:
    """Flag each meeting of a pair with no wish, no mandatory and no locked meeting."""
    allowed = allowed_pairs(ctx.instance)
    return [
        Violation("unwished-pair", (i, *m.pair), f"meeting {i}: {m.pair[0]} and {m.pair[1]} have no wish")
        for i, m in ctx.valid
        if m.pair not in allowed
    ]


def check_pair_twice(ctx: Context) -> list[Violation]:
    """Flag each pair meeting more often than max(1, its mandatory meetings)."""
    limits = mandatory_counts(ctx.instance)
    seen: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, m in ctx.valid:
        seen[m.pair].append(i)
    return [
        Violation("pair-twice", (*pair, *idx), f"{pair[0]} and {pair[1]} meet {len(idx)} times")
        for pair, idx in seen.items()
        if len(idx) > max(1, limits.get(pair, 0))
    ]


def check_double_booked(ctx: Context) -> list[Violation]:
    """Flag each (participant, slot) and each (table, slot) holding two or more meetings."""
    people: dict[tuple[str, str], list[int]] = defaultdict(list)
    tables: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, m in ctx.valid:
        for p in m.participants:
            people[(p, m.slot)].append(i)
        tables[(m.table, m.slot)].append(i)
    found = [
        Violation("person-double-booked", (*key, *idx), f"{key[0]} has {len(idx)} meetings at {key[1]}")
        for key, idx in people.items()
        if len(idx) > 1
    ]
    found += [
        Violation("table-double-booked", (*key, *idx), f"table {key[0]} has {len(idx)} meetings at {key[1]}")
        for key, idx in tables.items()
        if len(idx) > 1
    ]
    return found


def check_unavailable(ctx: Context) -> list[Violation]:
    """Flag each (meeting, participant) held in one of the participant's unavailable slots."""
    by_id = ctx.instance.participant_by_id
    return [
        Violation("unavailable", (i, p, m.slot), f"meeting {i}: {p} is unavailable at {m.slot}")
        for i, m in ctx.valid
        for p in m.participants
        if m.slot in by_id[p].unavailable
    ]


def check_home_table(ctx: Context) -> list[Violation]:
    """Flag owners meeting away from their home table and strangers using somebody's home table.

    With away_meetings (docs/format/README.md), two owners of different home tables may also meet at one of
    those two tables, or ("home-or-shared") at a table nobody owns: neither is then away against the rule.
    """
    by_id = ctx.instance.participant_by_id
    owners = ctx.instance.home_owners
    found = []
    for i, m in ctx.valid:
        allowed = away_tables(ctx.instance, *m.participants) or ()
        if m.table in allowed or (None in allowed and m.table not in owners):
            continue
        for p in m.participants:
            home = by_id[p].table
            if home is not None and home != m.table:
                found.append(
                    Violation("home-table", (i, p, m.table), f"meeting {i}: {p} is away from {home}")
                )
        if m.table in owners and not owners[m.table] & set(m.participants):
            message = f"meeting {i}: table {m.table} is reserved for {', '.join(sorted(owners[m.table]))}"
            found.append(Violation("home-table", (i, m.table), message))
    return found


def meeting_counts(ctx: Context) -> dict[str, int]:
    """Return every participant's number of well-formed meetings."""
    counts = {p.id: 0 for p in ctx.instance.participants}
    for _, m in ctx.valid:
        for p in m.participants:
            counts[p] += 1
    return counts


def check_max_meetings(ctx: Context) -> list[Violation]:
    """Flag each participant with more meetings than its maximum."""
    counts = meeting_counts(ctx)
    return [
        Violation("max-meetings", (p.id,), f"{p.id} has {counts[p.id]} meetings, at most {p.max_meetings}")
        for p in ctx.instance.participants
        if p.max_meetings is not None and counts[p.id] > p.max_meetings
    ]


def check_min_meetings(ctx: Context) -> list[Violation]:
    """Flag each participant with fewer meetings than its minimum."""
    counts = meeting_counts(ctx)
    return [
        Violation("min-meetings", (p.id,), f"{p.id} has {counts[p.id]} meetings, at least {p.min_meetings}")
        for p in ctx.instance.participants
        if counts[p.id] < p.min_meetings
    ]
