"""From database rows to a `salon-instance/1` and from a solver result back to draft meetings.

This module is the only bridge between the web app and the `solver` package (spec section 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from salon.extensions import db
from salon.models import (
    DraftMeeting,
    Fair,
    MandatoryMeeting,
    Meeting,
    MeetingTable,
    Participant,
    ScheduleRun,
    Slot,
    User,
    Wish,
)
from salon.services import DomainError, NotAllowed, run_leases
from solver import instance as si
from solver.schedule import ScheduledMeeting, SolveResult

SOLVE_PHASES = ("scheduling", "published")
ACTIVE = ("scheduled", "held")
OBJECTIVE = ("coverage", "weight", "breaks")  # most important first: the solve's stages, in this order
# The fair's co-contracting setting as the instance's away_meetings (docs/format/README.md): with it on, two
# exhibitors at different home tables meet at one of them (or, if allowed, at a shared table).
AWAY_MEETINGS = {"off": "none", "home": "home", "home-or-shared": "home-or-shared"}


@dataclass(frozen=True)
class Spec:
    """A meeting as the web app sees it: pair (ordered ids), slot, table, mandatory row, locked flag."""

    a: int
    b: int
    slot_id: int
    table_id: int
    mandatory_id: int | None = None
    locked: bool = False
    occurrence: int = 0

    @property
    def pair(self) -> tuple[int, int]:
        return (min(self.a, self.b), max(self.a, self.b))


@dataclass
class Maps:
    """Row ids <-> solver ids for one fair."""

    participants: dict[int, Participant] = field(default_factory=dict)
    slots: dict[int, Slot] = field(default_factory=dict)
    tables: dict[int, MeetingTable] = field(default_factory=dict)
    table_by_name: dict[str, MeetingTable] = field(default_factory=dict)
    mandatory: list[MandatoryMeeting] = field(default_factory=list)

    def mandatory_index(self, mandatory_id: int | None) -> int | None:
        """Return the instance index of a mandatory meeting row."""
        for i, row in enumerate(self.mandatory):
            if row.id == mandatory_id:
                return i
        return None

    def to_scheduled(self, spec: Spec) -> ScheduledMeeting:
        """Return the solver meeting of a spec."""
        table = self.tables.get(spec.table_id)
        return ScheduledMeeting(
            (f"p{spec.a}", f"p{spec.b}"),
            f"s{spec.slot_id}",
            table.name if table is not None else f"#{spec.table_id}",
            self.mandatory_index(spec.mandatory_id),
        )


def approved_participants(fair: Fair) -> list[Participant]:
    """Return the fair's approved participants, by id."""
    return list(
        db.session.scalars(
            select(Participant)
            .where(Participant.fair_id == fair.id, Participant.status == "approved")
            .order_by(Participant.id)
        )
    )


def load_maps(fair: Fair) -> Maps:
    """Load the rows an instance is made of."""
    maps = Maps()
    maps.participants = {p.id: p for p in approved_participants(fair)}
    maps.slots = {s.id: s for s in fair.slots}
    maps.tables = {t.id: t for t in fair.tables}
    maps.table_by_name = {t.name: t for t in fair.tables}
    rows = db.session.scalars(
        select(MandatoryMeeting).where(MandatoryMeeting.fair_id == fair.id).order_by(MandatoryMeeting.id)
    )
    maps.mandatory = [
        m for m in rows if m.participant_a_id in maps.participants and m.participant_b_id in maps.participants
    ]
    return maps


def published_specs(fair: Fair) -> list[Spec]:
    """Return the fair's active published meetings as specs (all locked)."""
    rows = db.session.scalars(
        select(Meeting).where(Meeting.fair_id == fair.id, Meeting.status.in_(ACTIVE)).order_by(Meeting.id)
    )
    return [
        Spec(
            m.participant_a_id,
            m.participant_b_id,
            m.slot_id,
            m.table_id,
            m.mandatory_meeting_id,
            True,
            m.occurrence,
        )
        for m in rows
    ]


def build_instance(fair: Fair, locked: Iterable[Spec] | None = None, maps: Maps | None = None) -> si.Instance:
    """Build the fair's instance; `locked` defaults to its active published meetings."""
    maps = maps or load_maps(fair)
    locked_specs = published_specs(fair) if locked is None else list(locked)
    tz = ZoneInfo(fair.timezone)
    slots = tuple(
        si.Slot(
            f"s{s.id}",
            s.starts_at.astimezone(tz).isoformat(),
            s.ends_at.astimezone(tz).isoformat(),
            s.session.label,
        )
        for s in sorted(maps.slots.values(), key=lambda s: s.starts_at)
    )
    participants = tuple(_participant(p, maps) for p in maps.participants.values())
    mandatory = tuple(
        si.MandatoryMeeting(
            (f"p{m.participant_a_id}", f"p{m.participant_b_id}"),
            session=m.session.label if m.session is not None and m.slot_id is None else None,
            slot=f"s{m.slot_id}" if m.slot_id is not None else None,
        )
        for m in maps.mandatory
    )
    locked_meetings = tuple(
        si.LockedMeeting(
            (f"p{s.a}", f"p{s.b}"),
            f"s{s.slot_id}",
            maps.tables[s.table_id].name,
            maps.mandatory_index(s.mandatory_id),
        )
        for s in locked_specs
        if s.a in maps.participants and s.b in maps.participants and s.table_id in maps.tables
    )
    return si.Instance(
        slots=slots,
        tables=tuple(t.name for t in fair.tables),
        participants=participants,
        wishes=tuple(_wishes(fair, maps)),
        meetings=mandatory,
        locked=locked_meetings,
        objective=OBJECTIVE,
        breaks_within="session",
        name=fair.slug,
        timezone=fair.timezone,
        away_meetings=AWAY_MEETINGS[fair.supplier_meetings],
    )


def _participant(p: Participant, maps: Maps) -> si.Participant:
    """Return the solver participant of a row."""
    return si.Participant(
        id=p.key,
        side=p.side,
        unavailable=tuple(f"s{s.id}" for s in sorted(p.unavailable_slots, key=lambda s: s.starts_at)),
        max_meetings=p.max_meetings,
        min_meetings=p.min_meetings or 0,
        table=maps.tables[p.home_table_id].name if p.home_table_id in maps.tables else None,
    )


def _wishes(fair: Fair, maps: Maps) -> list[si.Wish]:
    """Return the wishes between approved participants, weighted; a veto removes the pair's wishes."""
    rows = list(db.session.scalars(select(Wish).where(Wish.fair_id == fair.id).order_by(Wish.id)))
    vetoed = {frozenset((w.source_id, w.target_id)) for w in rows if w.veto}
    weights = {3: fair.weight_high, 2: fair.weight_mid, 1: fair.weight_low}
    return [
        si.Wish(f"p{w.source_id}", f"p{w.target_id}", max(1, weights[w.priority]))
        for w in rows
        if not w.veto
        and w.priority in weights
        and w.source_id in maps.participants
        and w.target_id in maps.participants
        and frozenset((w.source_id, w.target_id)) not in vetoed
    ]


def checked_instance(instance: si.Instance) -> si.Instance:
    """Run the instance through the reader's checks (raises InstanceError naming every problem)."""
    return si.instance_from_dict(si.instance_to_dict(instance))


def draft_specs(run: ScheduleRun) -> list[Spec]:
    """Return a run's draft meetings as specs."""
    return [
        Spec(
            d.participant_a_id,
            d.participant_b_id,
            d.slot_id,
            d.table_id,
            d.mandatory_meeting_id,
            d.locked,
            d.occurrence,
        )
        for d in sorted(run.drafts, key=lambda d: d.id)
    ]


def resolve_locks(fair: Fair, base: ScheduleRun | None) -> list[Spec]:
    """Return the meetings a re-solve keeps: published ones, overridden by the base run's locked drafts."""
    kept = {(s.pair, s.occurrence): s for s in published_specs(fair)}
    if base is not None:
        for s in draft_specs(base):
            if s.locked:
                kept[(s.pair, s.occurrence)] = s
    return list(kept.values())


def write_drafts(run: ScheduleRun, result: SolveResult, locked: Sequence[Spec], maps: Maps) -> int:
    """Turn a solver result into the run's DraftMeeting rows; return how many were added."""
    locked_at = {(s.pair, s.slot_id, s.table_id): s for s in locked}
    used: dict[tuple[int, int], set[int]] = {}
    specs = []
    for m in result.meetings:
        a, b = sorted(int(p[1:]) for p in m.participants)
        slot_id, table_id = int(m.slot[1:]), maps.table_by_name[m.table].id
        mandatory_id = maps.mandatory[m.mandatory].id if m.mandatory is not None else None
        lk = locked_at.get(((a, b), slot_id, table_id))
        spec = Spec(a, b, slot_id, table_id, mandatory_id, lk is not None, lk.occurrence if lk else -1)
        specs.append(spec)
        if lk is not None:
            used.setdefault((a, b), set()).add(lk.occurrence)
    for spec in sorted(specs, key=lambda s: (s.locked is False, maps.slots[s.slot_id].starts_at)):
        occurrence = spec.occurrence
        if occurrence < 0:
            taken = used.setdefault(spec.pair, set())
            occurrence = next(i for i in range(len(taken) + 1) if i not in taken)
            taken.add(occurrence)
        run.drafts.append(
            DraftMeeting(
                participant_a_id=spec.a,
                participant_b_id=spec.b,
                occurrence=occurrence,
                slot_id=spec.slot_id,
                table_id=spec.table_id,
                mandatory_meeting_id=spec.mandatory_id,
                locked=spec.locked,
            )
        )
    db.session.flush()
    return len(specs)


def request_solve(fair: Fair, user: User | None, time_limit: float) -> ScheduleRun:
    """Create a queued run for the fair; refuse in the wrong phase or while another solve runs."""
    if fair.phase not in SOLVE_PHASES:
        raise NotAllowed(_("Scheduling is only possible in the scheduling or published phase."), "phase")
    if not approved_participants(fair) or not fair.slots or not fair.tables:
        raise DomainError(_("The fair needs approved participants, slots and tables before scheduling."))
    run_leases.release_dead_runs(fair)
    run = ScheduleRun(fair_id=fair.id, created_by_id=user.id if user else None, time_limit=time_limit)
    try:
        with db.session.begin_nested():
            db.session.add(run)
    except IntegrityError:
        raise NotAllowed(_("A schedule is already being computed for this fair."), "run") from None
    return run


def latest_run(fair: Fair, statuses: Sequence[str] = ("done",)) -> ScheduleRun | None:
    """Return the fair's most recent run with one of the statuses."""
    return db.session.scalar(
        select(ScheduleRun)
        .where(ScheduleRun.fair_id == fair.id, ScheduleRun.status.in_(statuses))
        .order_by(ScheduleRun.id.desc())
        .limit(1)
    )


def run_of_fair_or_none(fair: Fair, run_id: int) -> ScheduleRun | None:
    """Return the run if it belongs to the fair."""
    run = db.session.get(ScheduleRun, run_id)
    return run if run is not None and run.fair_id == fair.id else None


def request_cancel(run: ScheduleRun) -> None:
    """Stop a solve: a queued one at once; a running one keeps the best schedule found so far."""
    if run.status not in ("queued", "running"):
        raise NotAllowed(_("This solve is not running."), "run")
    run_leases.stop(run)
