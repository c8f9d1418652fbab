"""What an irreversible action will do, counted before the organiser confirms it (nothing is changed here):
regenerating the slots, purging a fair's personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select

from salon.extensions import db
from salon.models import (
    Attendee,
    CalendarFeed,
    DraftMeeting,
    Fair,
    MandatoryMeeting,
    OrganiserInvitation,
    OutboxMessage,
    Participant,
    ReminderSent,
    ScheduleRun,
    Slot,
)
from salon.models.participant import unavailabilities
from salon.services.fairs import SessionSpec, slot_starts


@dataclass(frozen=True)
class SlotsChange:
    """Regenerating the slots: how many there are and will be, and what goes with the old ones."""

    old_slots: int
    new_slots: int
    days: int
    unavailable_participants: int  # participants whose unavailable slots are forgotten
    draft_runs: int  # schedule runs whose draft meetings are deleted
    draft_meetings: int
    pinned_mandatory: int  # mandatory meetings that lose their fixed slot or session


def slots_change(fair: Fair, days: list[date], sessions: list[SessionSpec]) -> SlotsChange:
    """Count what generating these slots would replace and create."""
    zone = ZoneInfo(fair.timezone)
    new = sum(
        len(
            slot_starts(
                fair, datetime.combine(d, s.starts, tzinfo=zone), datetime.combine(d, s.ends, tzinfo=zone)
            )
        )
        for d in set(days)
        for s in sessions
    )
    slot_ids = select(Slot.id).where(Slot.fair_id == fair.id)
    unavailable = db.session.scalar(
        select(func.count(func.distinct(unavailabilities.c.participant_id))).where(
            unavailabilities.c.slot_id.in_(slot_ids)
        )
    )
    drafts = db.session.execute(
        select(func.count(func.distinct(DraftMeeting.run_id)), func.count(DraftMeeting.id))
        .join(ScheduleRun)
        .where(ScheduleRun.fair_id == fair.id)
    ).one()
    pinned = db.session.scalar(
        select(func.count(MandatoryMeeting.id)).where(
            MandatoryMeeting.fair_id == fair.id,
            or_(MandatoryMeeting.slot_id.is_not(None), MandatoryMeeting.session_id.is_not(None)),
        )
    )
    return SlotsChange(
        len(fair.slots), new, len(set(days)), unavailable or 0, drafts[0], drafts[1], pinned or 0
    )


@dataclass(frozen=True)
class PurgeChange:
    """Purging a fair: the personal data deleted (counted) and what is kept."""

    attendees: int
    messages: int
    invitations: int
    feeds: int
    reminders: int
    notes: int
    contact_email: bool


def purge_change(fair: Fair) -> PurgeChange:
    """Count the personal data a purge of the fair would delete."""
    people = select(Participant.id).where(Participant.fair_id == fair.id)

    def count(model, *where) -> int:  # noqa: ANN001
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    return PurgeChange(
        attendees=count(Attendee, Attendee.participant_id.in_(people)),
        messages=count(OutboxMessage, OutboxMessage.fair_id == fair.id),
        invitations=count(OrganiserInvitation, OrganiserInvitation.fair_id == fair.id),
        feeds=count(CalendarFeed, CalendarFeed.fair_id == fair.id),
        reminders=count(ReminderSent, ReminderSent.fair_id == fair.id),
        notes=count(Participant, Participant.fair_id == fair.id, Participant.note != ""),
        contact_email=bool(fair.contact_email),
    )
