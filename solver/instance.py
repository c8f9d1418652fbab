"""The `salon-instance/1` data model (see ../shared/spec/instance-format.md).

The dataclasses below are the contract every part of the solver package shares.
Readers (JSON, Girona .dzn) and input checking live in this module too.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

FORMAT = "salon-instance/1"
OBJECTIVE_TERMS = ("coverage", "weight", "breaks")
# Where two participants with different home tables may meet (docs/format/README.md, an extension of the
# shared spec): nowhere, at one of their two home tables, or there or at a table that is nobody's home.
AWAY_MEETINGS = ("none", "home", "home-or-shared")


@dataclass(frozen=True)
class Slot:
    id: str
    start: str | None = None  # ISO 8601 with offset, kept as given
    end: str | None = None
    session: str | None = None


@dataclass(frozen=True)
class Participant:
    id: str
    side: str = "participant"
    unavailable: tuple[str, ...] = ()
    max_meetings: int | None = None
    min_meetings: int = 0
    table: str | None = None  # home table id


@dataclass(frozen=True)
class Wish:
    source: str  # JSON "from"
    target: str  # JSON "to"
    weight: int = 1


@dataclass(frozen=True)
class MandatoryMeeting:
    participants: tuple[str, str]
    session: str | None = None
    slot: str | None = None
    after: tuple[int, ...] = ()


@dataclass(frozen=True)
class LockedMeeting:
    participants: tuple[str, str]
    slot: str
    table: str
    mandatory: int | None = None


@dataclass(frozen=True)
class Instance:
    slots: tuple[Slot, ...]
    tables: tuple[str, ...]  # an integer n in JSON becomes ("1", ..., "n")
    participants: tuple[Participant, ...]
    wishes: tuple[Wish, ...] = ()
    meetings: tuple[MandatoryMeeting, ...] = ()
    locked: tuple[LockedMeeting, ...] = ()
    objective: tuple[str, ...] = OBJECTIVE_TERMS
    max_break_spread: int | None = None
    breaks_within: str = "all"  # "all" or "session"
    away_meetings: str = "none"  # one of AWAY_MEETINGS
    name: str = ""
    timezone: str | None = None
    tables_as_count: bool = field(default=False, compare=False)  # JSON gave an integer

    @cached_property
    def slot_ids(self) -> tuple[str, ...]:
        """Return the slot ids in time order."""
        return tuple(s.id for s in self.slots)

    @cached_property
    def slot_position(self) -> dict[str, int]:
        """Map each slot id to its 0-based position in time order."""
        return {s.id: i for i, s in enumerate(self.slots)}

    @cached_property
    def participant_ids(self) -> tuple[str, ...]:
        """Return the participant ids in input order."""
        return tuple(p.id for p in self.participants)

    @cached_property
    def participant_by_id(self) -> dict[str, Participant]:
        """Map each participant id to its participant."""
        return {p.id: p for p in self.participants}

    @cached_property
    def table_set(self) -> frozenset[str]:
        """Return the table ids as a set."""
        return frozenset(self.tables)

    @cached_property
    def available_positions(self) -> tuple[frozenset[int], ...]:
        """Return, per participant (in input order), the slot positions it can attend."""
        return tuple(
            frozenset(range(len(self.slots))) - {self.slot_position[s] for s in p.unavailable}
            for p in self.participants
        )

    @cached_property
    def home_owners(self) -> dict[str, frozenset[str]]:
        """Map each home table to the participants it belongs to."""
        owners: dict[str, set[str]] = {}
        for p in self.participants:
            if p.table is not None:
                owners.setdefault(p.table, set()).add(p.id)
        return {table: frozenset(ids) for table, ids in owners.items()}

    @cached_property
    def session_labels(self) -> frozenset[str]:
        """Return the session labels that at least one slot carries."""
        return frozenset(s.session for s in self.slots if s.session is not None)


Pair = tuple[str, str]


class InstanceError(ValueError):
    """Bad input: `problems` names every offending field and id."""

    def __init__(self, problems: list[str]) -> None:
        """Keep the problems and a readable message listing them."""
        self.problems = list(problems)
        super().__init__("invalid instance:\n" + "\n".join(f"  {p}" for p in self.problems))


def pair_key(a: str, b: str) -> Pair:
    """Return the unordered pair {a, b} as a sorted tuple."""
    return (a, b) if a <= b else (b, a)


def slot_index(instance: Instance) -> dict[str, int]:
    """Map each slot id to its 0-based position in time order."""
    return instance.slot_position


def pair_values(instance: Instance) -> dict[Pair, int]:
    """Return the value of every wished pair: the sum of its wish weights in both directions."""
    values: dict[Pair, int] = {}
    for w in instance.wishes:
        key = pair_key(w.source, w.target)
        values[key] = values.get(key, 0) + w.weight
    return values


def mandatory_counts(instance: Instance) -> dict[Pair, int]:
    """Return how many mandatory meetings each pair has."""
    counts: dict[Pair, int] = {}
    for m in instance.meetings:
        key = pair_key(*m.participants)
        counts[key] = counts.get(key, 0) + 1
    return counts


def allowed_pairs(instance: Instance) -> frozenset[Pair]:
    """Return the pairs that may meet: wished (either way), mandatory or locked."""
    pairs = {pair_key(w.source, w.target) for w in instance.wishes}
    pairs.update(pair_key(*m.participants) for m in instance.meetings)
    pairs.update(pair_key(*lk.participants) for lk in instance.locked)
    return frozenset(pairs)


def session_runs(instance: Instance) -> list[list[int]]:
    """Return the runs of slot positions within which breaks are counted."""
    n = len(instance.slots)
    if instance.breaks_within != "session":
        return [list(range(n))] if n else []
    runs: list[list[int]] = []
    for i, slot in enumerate(instance.slots):
        if runs and instance.slots[i - 1].session == slot.session:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def away_tables(instance: Instance, a: str, b: str) -> tuple[str | None, ...] | None:
    """Return where a and b may meet when both have home tables, different ones (None: a table nobody owns).

    Return None for every other pair (today's rule: the home table of the one that has one, or any table).
    The tuple is empty when such a pair may not meet at all (away_meetings "none").
    """
    ha, hb = instance.participant_by_id[a].table, instance.participant_by_id[b].table
    if ha is None or hb is None or ha == hb:
        return None
    if instance.away_meetings == "none":
        return ()
    return (ha, hb, None) if instance.away_meetings == "home-or-shared" else (ha, hb)


def instance_from_dict(data: object) -> Instance:
    """Build an instance from parsed `salon-instance/1` JSON, raising InstanceError on bad input."""
    from solver.reader import parse_instance

    return parse_instance(data)


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """Return the `salon-instance/1` JSON object of an instance."""
    out: dict[str, Any] = {"format": FORMAT, "name": instance.name, "timezone": instance.timezone}
    out["slots"] = [_compact(asdict(s)) for s in instance.slots]
    out["tables"] = len(instance.tables) if instance.tables_as_count else list(instance.tables)
    out["participants"] = [
        _compact(asdict(p), unavailable=list(p.unavailable)) for p in instance.participants
    ]
    out["wishes"] = [{"from": w.source, "to": w.target, "weight": w.weight} for w in instance.wishes]
    out["meetings"] = [
        _compact(asdict(m), participants=list(m.participants), after=list(m.after)) for m in instance.meetings
    ]
    out["locked"] = [_compact(asdict(lk), participants=list(lk.participants)) for lk in instance.locked]
    out["objective"] = list(instance.objective)
    out["max_break_spread"] = instance.max_break_spread
    out["breaks_within"] = instance.breaks_within
    if instance.away_meetings != "none":  # written only when used: files without it keep the shared format
        out["away_meetings"] = instance.away_meetings
    return out


def _compact(fields: dict[str, Any], **lists: list[Any]) -> dict[str, Any]:
    """Drop fields holding their default (None, empty, side "participant", min_meetings 0)."""
    fields.update(lists)
    defaults: tuple[object, ...] = (None, [], "participant")
    return {k: v for k, v in fields.items() if v not in defaults and not (k == "min_meetings" and v == 0)}


def read_dzn(source: str | Path, name: str | None = None) -> Instance:
    """Read a Girona B2B `.dzn` file (a path, or its text when it contains '=') per spec section 5."""
    from solver.dzn import parse_dzn

    if isinstance(source, Path) or "=" not in source:
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InstanceError([f"{path}: cannot read: {exc.strerror}"]) from None
        return parse_dzn(text, name if name is not None else path.name.removesuffix(".dzn"))
    return parse_dzn(source, name or "")


def load_instance(path: str | Path) -> Instance:
    """Load an instance from a `.json` or Girona `.dzn` file."""
    path = Path(path)
    if path.suffix == ".dzn":
        return read_dzn(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InstanceError([f"{path}: cannot read: {exc.strerror}"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError([f"{path}: not JSON: {exc}"]) from None
    return instance_from_dict(data)
