"""Build published meetings directly (the publishing service is written elsewhere) for calendar tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from salon.extensions import db
from salon.models import Attendee, Meeting, MeetingSeat, MeetingTable, Participant, Slot


def make_meeting(
    a: Participant, b: Participant, slot: Slot, table: MeetingTable, occurrence: int = 0
) -> Meeting:
    """Create an active published meeting with its two seats."""
    first, second = sorted((a, b), key=lambda p: p.id)
    meeting = Meeting(
        fair_id=slot.fair_id,
        participant_a_id=first.id,
        participant_b_id=second.id,
        occurrence=occurrence,
        slot_id=slot.id,
        table_id=table.id,
        uid=f"{uuid4()}@salon",
        sequence=0,
        status="scheduled",
    )
    db.session.add(meeting)
    db.session.flush()
    for p in (first, second):
        db.session.add(MeetingSeat(meeting_id=meeting.id, participant_id=p.id, slot_id=slot.id))
    db.session.flush()
    return meeting


def move_meeting(meeting: Meeting, slot: Slot, table: MeetingTable | None = None) -> None:
    """Move a meeting like publishing does: same row, new slot/table, SEQUENCE + 1."""
    meeting.slot_id = slot.id
    if table is not None:
        meeting.table_id = table.id
    for seat in meeting.seats:
        seat.slot_id = slot.id
    meeting.sequence += 1
    meeting.updated_at = datetime.now(UTC) + timedelta(seconds=meeting.sequence)
    db.session.flush()
    db.session.expire(meeting)


def cancel_meeting(meeting: Meeting) -> None:
    """Cancel a meeting like publishing does: status cancelled, seats gone, SEQUENCE + 1."""
    for seat in list(meeting.seats):
        db.session.delete(seat)
    meeting.status = "cancelled"
    meeting.sequence += 1
    meeting.updated_at = datetime.now(UTC) + timedelta(seconds=meeting.sequence)
    db.session.flush()


def add_attendee(participant: Participant, name: str, email: str, **fields) -> Attendee:
    """Add a person the participant sends to the fair."""
    attendee = Attendee(participant_id=participant.id, full_name=name, email=email, **fields)
    db.session.add(attendee)
    db.session.flush()
    db.session.expire(participant, ["attendees"])
    return attendee
