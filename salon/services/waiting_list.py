"""The waiting list: refill a freed slot with the best wished-for meeting between present people.

The proposal re-solves one slot with every other meeting locked: a `salon-instance/1` restricted to that
slot, its locked meetings and the present, free participants. Every proposal is checked with
`solver.validate` against the whole fair's instance before it is shown.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from salon.extensions import db
from salon.models import Fair, Meeting, MeetingTable, Participant, Slot
from salon.models.base import utcnow
from salon.services import DomainError, NotAllowed
from salon.services.checkin import present_participant_ids
from salon.services.dayof_window import check_organiser_window, check_participant_may_mark
from salon.services.meeting_status import ensure_seats
from salon.templating import local_time
from solver import instance as si
from solver.schedule import ScheduledMeeting
from solver.validate import violations_of_meetings

SOLVE_SECONDS = 1.5


@dataclass(frozen=True)
class Proposal:
    """A replacement meeting: ordered pair of participant ids, slot, table, and the pair's wish value."""

    a: int
    b: int
    slot_id: int
    table_id: int
    value: int


@dataclass
class SlotState:
    """Who and what is busy at a slot, and who has met whom."""

    busy_people: set[int]
    busy_tables: set[int]
    met_pairs: set[tuple[int, int]]
    counts: dict[int, int]
    absent: set[int]


def slot_state(fair: Fair, slot: Slot) -> SlotState:
    """Load the slot's busy people and tables, the pairs already booked and each person's meeting count."""
    rows = db.session.execute(
        select(Meeting.participant_a_id, Meeting.participant_b_id, Meeting.slot_id, Meeting.table_id,
               Meeting.status, Meeting.absent_participant_id)
        .where(Meeting.fair_id == fair.id)
    ).all()  # fmt: skip
    state = SlotState(set(), set(), set(), {}, set())
    for a, b, slot_id, table_id, status, absent in rows:
        state.met_pairs.add((a, b))
        active = status in ("scheduled", "held")
        if active:
            state.counts[a] = state.counts.get(a, 0) + 1
            state.counts[b] = state.counts.get(b, 0) + 1
        if slot_id == slot.id and active:
            state.busy_people.update((a, b))
            state.busy_tables.add(table_id)
        if slot_id == slot.id and status == "no_show" and absent is not None:
            state.absent.add(absent)
    return state


def candidate_ids(fair: Fair, slot: Slot, state: SlotState) -> set[int]:
    """Return the present participants free at the slot, available then, and below their maximum."""
    present = present_participant_ids(fair) - state.busy_people - state.absent
    if not present:
        return set()
    rows = db.session.scalars(
        select(Participant).where(Participant.id.in_(present), Participant.status == "approved")
    )
    return {
        p.id
        for p in rows
        if slot not in p.unavailable_slots
        and (p.max_meetings is None or state.counts.get(p.id, 0) < p.max_meetings)
    }


def restricted_instance(full: si.Instance, slot: Slot, state: SlotState, candidates: set[int]) -> si.Instance:
    """Cut the fair's instance down to one slot: its locked meetings, free tables, eligible wishes."""
    key = slot.key
    locked = tuple(replace(lk, mandatory=None) for lk in full.locked if lk.slot == key)
    keep = {f"p{c}" for c in candidates} | {p for lk in locked for p in lk.participants}
    cand = {f"p{c}" for c in candidates}
    met = {(f"p{a}", f"p{b}") for a, b in state.met_pairs}
    wishes = tuple(
        w for w in full.wishes
        if w.source in cand and w.target in cand and si.pair_key(w.source, w.target) not in met
        and si.pair_key(w.source, w.target)[::-1] not in met
    )  # fmt: skip
    tables = set(full.tables)
    participants = tuple(
        replace(p, unavailable=(), min_meetings=0, max_meetings=None,
                table=p.table if p.table in tables else None)
        for p in full.participants if p.id in keep
    )  # fmt: skip
    slot_row = next(s for s in full.slots if s.id == key)
    return si.Instance(
        slots=(slot_row,), tables=full.tables, participants=participants, wishes=wishes,
        locked=locked, objective=("weight",), name=f"{full.name}-{key}", timezone=full.timezone,
    )  # fmt: skip


def _solve(instance: si.Instance) -> list[ScheduledMeeting]:
    """Solve the one-slot instance with the solver; a greedy matching if the solver is not there."""
    try:
        from solver.solve import solve
    except ImportError:  # pragma: no cover - the solver package is being written alongside
        return _greedy(instance)
    result = solve(instance, time_limit=SOLVE_SECONDS, workers=1, seed=0)
    if result.status not in ("optimal", "feasible"):
        return []
    return list(result.meetings)


def _greedy(instance: si.Instance) -> list[ScheduledMeeting]:
    """Give the free tables to the most valuable wished pairs, one meeting per person."""
    busy_tables = {lk.table for lk in instance.locked}
    busy = {p for lk in instance.locked for p in lk.participants}
    homes = {p.id: p.table for p in instance.participants}
    free = [t for t in instance.tables if t not in busy_tables]
    slot = instance.slots[0].id
    out = [ScheduledMeeting(lk.participants, lk.slot, lk.table) for lk in instance.locked]
    for (a, b), _value in sorted(si.pair_values(instance).items(), key=lambda kv: (-kv[1], kv[0])):
        if a in busy or b in busy or not free:
            continue
        wanted = {homes.get(a), homes.get(b)} - {None}
        if len(wanted) > 1 or (wanted and next(iter(wanted)) not in free):
            continue
        table = next(iter(wanted)) if wanted else free[0]
        free.remove(table)
        busy.update((a, b))
        out.append(ScheduledMeeting((a, b), slot, table))
    return out


def propose_replacements(fair: Fair, slot: Slot, stats: dict | None = None) -> list[Proposal]:
    """Return the best meetings for the slot's free tables, each checked with `solver.validate`."""
    from salon.services.scheduling import build_instance, load_maps

    if slot.fair_id != fair.id:
        raise DomainError(_("This slot does not belong to this fair."), "slot")
    started = time.perf_counter()
    state = slot_state(fair, slot)
    candidates = candidate_ids(fair, slot, state)
    maps = load_maps(fair)
    full = build_instance(fair, maps=maps)
    new = []
    if len(candidates) >= 2 and len(state.busy_tables) < len(fair.tables):
        small = restricted_instance(full, slot, state, candidates)
        new = [m for m in _solve(small) if m.participants not in {lk.participants for lk in small.locked}]
    locked = [ScheduledMeeting(lk.participants, lk.slot, lk.table, lk.mandatory) for lk in full.locked]
    # Only what the proposals would break counts: a rule the day's own meetings already bend (a pair
    # meeting twice after a walk-in) must not hide the waiting list of every slot.
    already = set(violations_of_meetings(full, locked, complete=False)) if new else set()
    problems = [v for v in violations_of_meetings(full, locked + new, complete=False) if v not in already]
    if problems:  # never show a proposal the validator refuses
        raise DomainError(_("No valid replacement could be found."), "slot")
    values = si.pair_values(full)
    proposals = [_proposal(m, slot, maps.table_by_name, values) for m in new]
    if stats is not None:
        stats.update(seconds=time.perf_counter() - started, candidates=len(candidates))
    return sorted(proposals, key=lambda p: (-p.value, p.a, p.b))


def _proposal(m: ScheduledMeeting, slot: Slot, tables: dict[str, MeetingTable], values: dict) -> Proposal:
    a, b = sorted(int(p[1:]) for p in m.participants)
    return Proposal(a, b, slot.id, tables[m.table].id, values.get(si.pair_key(*m.participants), 0))


def _check_bookable(fair: Fair, a_id: int, b_id: int, slot: Slot, table: MeetingTable) -> None:
    """Refuse a booking unless both people are present and free, and the table is free at the slot."""
    if a_id == b_id:
        raise DomainError(_("Choose two different participants."), "participant_b")
    if slot.fair_id != fair.id or table.fair_id != fair.id:
        raise DomainError(_("This slot or table does not belong to this fair."), "slot")
    people = db.session.scalars(select(Participant).where(Participant.id.in_((a_id, b_id)))).all()
    if len(people) != 2 or any(p.fair_id != fair.id or p.status != "approved" for p in people):
        raise DomainError(_("Both participants must be registered at this fair."), "participant_a")
    present = present_participant_ids(fair)
    if a_id not in present or b_id not in present:
        raise NotAllowed(_("Both participants must be checked in."), "participant_a")
    state = slot_state(fair, slot)
    if a_id in state.busy_people or b_id in state.busy_people:
        raise NotAllowed(_("One of them already has a meeting at this time."), "participant_a")
    if table.id in state.busy_tables:
        raise NotAllowed(_("This table is taken at this time."), "table")


def _book(fair: Fair, a_id: int, b_id: int, slot: Slot, table: MeetingTable, source: str) -> Meeting:
    """Create an active meeting with a new calendar UID and its seats."""
    a, b = sorted((a_id, b_id))
    occurrence = db.session.scalar(
        select(func.coalesce(func.max(Meeting.occurrence) + 1, 0)).where(
            Meeting.fair_id == fair.id, Meeting.participant_a_id == a, Meeting.participant_b_id == b
        )
    )
    meeting = Meeting(
        fair_id=fair.id, participant_a_id=a, participant_b_id=b, occurrence=occurrence, slot_id=slot.id,
        table_id=table.id, status="scheduled", source=source, uid=f"{uuid.uuid4()}@salon", sequence=0,
        updated_at=utcnow(),
    )  # fmt: skip
    db.session.add(meeting)
    db.session.flush()
    ensure_seats(meeting)
    from salon.services import notifications

    notifications.meeting_changed(meeting)
    return meeting


def accept_replacement(
    fair: Fair, proposal: Proposal, by_participant: Participant | None = None, now: datetime | None = None
) -> Meeting:
    """Book a proposed replacement, after checking it again (the floor moves fast)."""
    if by_participant is not None:
        if not fair.participants_can_accept_replacements:
            raise NotAllowed(_("Only the organiser can accept a replacement at this fair."), "proposal")
        if by_participant.id not in (proposal.a, proposal.b):
            raise NotAllowed(_("You can only accept a meeting of your own."), "proposal")
        check_participant_may_mark(fair, "held", now)  # on the fair's days only, as marking
    else:
        check_organiser_window(fair, now)
    slot = db.session.get(Slot, proposal.slot_id)
    table = db.session.get(MeetingTable, proposal.table_id)
    if slot is None or table is None:
        raise DomainError(_("This slot or table does not belong to this fair."), "slot")
    _check_bookable(fair, proposal.a, proposal.b, slot, table)
    if (proposal.a, proposal.b) in slot_state(fair, slot).met_pairs:
        raise NotAllowed(_("These two participants already have a meeting."), "proposal")
    if not propose_replacements_for_pair(fair, slot, proposal):
        raise NotAllowed(_("This replacement is no longer valid."), "proposal")
    return _book(fair, proposal.a, proposal.b, slot, table, "replacement")


def propose_replacements_for_pair(fair: Fair, slot: Slot, proposal: Proposal) -> list[Proposal]:
    """Return [proposal] if the validator accepts it alongside every booked meeting, else []."""
    from salon.services.scheduling import build_instance, load_maps

    maps = load_maps(fair)
    full = build_instance(fair, maps=maps)
    table = maps.tables[proposal.table_id].name
    extra = ScheduledMeeting((f"p{proposal.a}", f"p{proposal.b}"), slot.key, table)
    locked = [ScheduledMeeting(lk.participants, lk.slot, lk.table, lk.mandatory) for lk in full.locked]
    if violations_of_meetings(full, [*locked, extra], complete=False):
        return []
    value = si.pair_values(full).get(si.pair_key(*extra.participants), 0)
    return [replace(proposal, value=value)]


def book_walk_in(
    fair: Fair, a_id: int, b_id: int, slot: Slot, table: MeetingTable, now: datetime | None = None
) -> Meeting:
    """Book a meeting two present participants ask for at the desk, on a free table."""
    check_organiser_window(fair, now)
    _check_bookable(fair, a_id, b_id, slot, table)
    _refuse_second_meeting(fair, a_id, b_id)
    return _book(fair, a_id, b_id, slot, table, "walk_in")


def _refuse_second_meeting(fair: Fair, a_id: int, b_id: int) -> None:
    """Refuse a walk-in for two participants who already have a meeting that still stands."""
    a, b = sorted((a_id, b_id))
    booked = db.session.scalar(
        select(Meeting).where(
            Meeting.fair_id == fair.id,
            Meeting.participant_a_id == a,
            Meeting.participant_b_id == b,
            Meeting.status.in_(("scheduled", "held")),
        )
    )
    if booked is not None:
        raise NotAllowed(
            _(
                "These two participants already meet at %(time)s (%(table)s): move that meeting instead.",
                time=local_time(booked.slot.starts_at, fair),
                table=booked.table.name,
            ),
            "participant_b",
        )


def free_tables(fair: Fair, slot: Slot) -> list[MeetingTable]:
    """Return the tables with no active meeting at the slot."""
    busy = slot_state(fair, slot).busy_tables
    return [t for t in fair.tables if t.id not in busy]
