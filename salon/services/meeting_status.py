"""On the day: mark a meeting held, no-show (who was absent) or cancelled, keeping its seats in sync."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from salon.extensions import db
from salon.models import Fair, Meeting, MeetingSeat, Participant
from salon.models.base import utcnow
from salon.services import DomainError, NotAllowed
from salon.services.dayof_window import check_organiser_window, check_participant_may_mark

DAY_STATUSES = ("held", "no_show", "cancelled")
ACTIVE = ("scheduled", "held")


def meeting_of_fair_or_none(fair: Fair, meeting_id: int) -> Meeting | None:
    """Return the fair's meeting with this id; another fair's meeting is None."""
    return db.session.scalar(select(Meeting).where(Meeting.id == meeting_id, Meeting.fair_id == fair.id))


def meeting_of_fair(fair: Fair, meeting_id: int) -> Meeting:
    """Return the fair's meeting; refuse a meeting of another fair."""
    meeting = meeting_of_fair_or_none(fair, meeting_id)
    if meeting is None:
        raise DomainError(_("This meeting does not belong to this fair."), "meeting")
    return meeting


def mark_meeting(
    fair: Fair,
    meeting_id: int,
    status: str,
    absent_participant_id: int | None = None,
    by_participant: Participant | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Set the day status of a meeting, within the role's window; a participant marks only their own."""
    meeting = meeting_of_fair(fair, meeting_id)
    if status not in DAY_STATUSES:
        raise DomainError(_("Unknown meeting status."), "status")
    pair = (meeting.participant_a_id, meeting.participant_b_id)
    if by_participant is not None and by_participant.id not in pair:
        raise NotAllowed(_("You can only mark your own meetings."), "meeting")
    if by_participant is not None:
        check_participant_may_mark(fair, status, now)
    else:
        check_organiser_window(fair, now)
    if meeting.status == "no_show" and status == "held" and by_participant is None:
        _check_still_free(meeting)  # an absence marked by mistake: the organiser takes it back
    elif meeting.status not in ACTIVE:
        raise NotAllowed(_("This meeting was already freed (no-show or cancelled)."), "status")
    if status == "no_show":
        if absent_participant_id not in pair:
            raise DomainError(_("Say who was absent."), "absent")
        meeting.absent_participant_id = absent_participant_id
    else:
        meeting.absent_participant_id = None
    meeting.status = status
    meeting.updated_at = utcnow()
    if status in ACTIVE:
        ensure_seats(meeting)
    else:
        free_seats(meeting)
    if status == "cancelled":
        meeting.sequence += 1
        _notify_cancelled(meeting, by_participant.id if by_participant is not None else None)
    db.session.flush()
    return meeting


def _check_still_free(meeting: Meeting) -> None:
    """Refuse to restore a no-show whose table or people were given another meeting at that time."""
    taken = db.session.scalar(
        select(Meeting.id).where(
            Meeting.slot_id == meeting.slot_id,
            Meeting.id != meeting.id,
            Meeting.status.in_(ACTIVE),
            (Meeting.table_id == meeting.table_id)
            | Meeting.participant_a_id.in_((meeting.participant_a_id, meeting.participant_b_id))
            | Meeting.participant_b_id.in_((meeting.participant_a_id, meeting.participant_b_id)),
        )
    )
    if taken is not None:
        raise NotAllowed(
            _("The table or one of the two participants was given another meeting at this time since."),
            "status",
        )


def ensure_seats(meeting: Meeting) -> None:
    """Give each participant of an active meeting its seat (one per participant and slot)."""
    have = {s.participant_id for s in meeting.seats}
    for pid in (meeting.participant_a_id, meeting.participant_b_id):
        if pid not in have:
            meeting.seats.append(MeetingSeat(participant_id=pid, slot_id=meeting.slot_id))
    db.session.flush()


def free_seats(meeting: Meeting) -> None:
    """Remove the seats of a meeting that no longer takes place: its slot and table become free."""
    for seat in list(meeting.seats):
        meeting.seats.remove(seat)
        db.session.delete(seat)
    db.session.flush()


def _notify_cancelled(meeting: Meeting, by_participant_id: int | None) -> None:
    """Tell both participants (through the calendar engineer's notifications), and who cancelled."""
    from salon.services import notifications

    notifications.meeting_cancelled(meeting, by_participant_id)


def meetings_of_slot(fair: Fair, slot_id: int) -> list[Meeting]:
    """Return every meeting of the fair at a slot (any status), by table."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.fair_id == fair.id, Meeting.slot_id == slot_id)
            .order_by(Meeting.table_id, Meeting.id)
        )
    )
