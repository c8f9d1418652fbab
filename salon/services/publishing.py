"""Publish a schedule run: map its drafts onto the published meetings by identity (fair, pair, occurrence)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, select

from salon.extensions import db
from salon.models import Fair, Meeting, MeetingSeat, Participant, ScheduleRun
from salon.models.base import utcnow
from salon.services import NotAllowed, notifications

ACTIVE = ("scheduled", "held")
PUBLISH_PHASES = ("scheduling", "published")


@dataclass
class PublishSummary:
    """What a publication changed."""

    created: list[Meeting] = field(default_factory=list)
    moved: list[Meeting] = field(default_factory=list)
    cancelled: list[Meeting] = field(default_factory=list)
    unchanged: int = 0


def new_uid() -> str:
    """Return a new calendar UID for a meeting."""
    return f"{uuid.uuid4()}@salon"


def add_seats(meeting: Meeting) -> None:
    """Give both participants of an active meeting their seat."""
    for pid in (meeting.participant_a_id, meeting.participant_b_id):
        db.session.add(MeetingSeat(meeting_id=meeting.id, participant_id=pid, slot_id=meeting.slot_id))


def drop_seats(meeting: Meeting) -> None:
    """Remove the seats of a meeting that stops being active (or is about to move)."""
    db.session.execute(delete(MeetingSeat).where(MeetingSeat.meeting_id == meeting.id))
    db.session.expire(meeting, ["seats"])


def bump(meeting: Meeting) -> None:
    """Record a change the participants must hear about."""
    meeting.sequence += 1
    meeting.updated_at = utcnow()


def publish_run(run: ScheduleRun) -> PublishSummary:
    """Make the run's drafts the published agenda; queue one notification per change."""
    fair = db.session.get(Fair, run.fair_id)
    if run.status != "done" or not run.drafts:
        raise NotAllowed(_("Only a finished schedule with meetings can be published."), "run")
    if fair.phase not in PUBLISH_PHASES:
        raise NotAllowed(_("Publishing is only possible in the scheduling or published phase."), "phase")
    first_time = fair.phase != "published" and not _has_meetings(fair)
    existing = {
        (m.participant_a_id, m.participant_b_id, m.occurrence): m
        for m in db.session.scalars(select(Meeting).where(Meeting.fair_id == fair.id))
    }
    summary = PublishSummary()
    wanted = {(d.participant_a_id, d.participant_b_id, d.occurrence): d for d in run.drafts}
    changing: list[tuple[Meeting, object]] = []
    for key, meeting in existing.items():
        draft = wanted.get(key)
        if draft is None and meeting.status in ACTIVE:
            summary.cancelled.append(meeting)
        elif draft is not None and (
            meeting.status not in ACTIVE
            or (meeting.slot_id, meeting.table_id) != (draft.slot_id, draft.table_id)
        ):
            changing.append((meeting, draft))
        elif draft is not None:
            meeting.locked = meeting.locked or draft.locked
            summary.unchanged += 1
    # Stage 1: everything that leaves its place goes inactive, without seats, so no index sees a clash.
    for meeting in summary.cancelled + [m for m, _d in changing]:
        drop_seats(meeting)
        meeting.status = "cancelled"
        bump(meeting)
    db.session.flush()
    # Stage 2: moved and re-activated meetings take their new place, then new meetings are created.
    for meeting, draft in changing:
        meeting.slot_id, meeting.table_id = draft.slot_id, draft.table_id
        meeting.status, meeting.locked = "scheduled", draft.locked
        meeting.mandatory_meeting_id = draft.mandatory_meeting_id
        summary.moved.append(meeting)
    db.session.flush()
    for key, draft in wanted.items():
        if key not in existing:
            summary.created.append(_create_meeting(fair, draft))
    db.session.flush()
    for meeting in summary.moved + summary.created:
        add_seats(meeting)
    run.published_at = utcnow()
    fair.phase = "published"
    db.session.flush()
    _notify(fair, summary, first_time)
    return summary


def _has_meetings(fair: Fair) -> bool:
    return db.session.scalar(select(Meeting.id).where(Meeting.fair_id == fair.id).limit(1)) is not None


def _create_meeting(fair: Fair, draft) -> Meeting:  # noqa: ANN001
    """Insert the published meeting of a new identity."""
    meeting = Meeting(
        fair_id=fair.id,
        participant_a_id=draft.participant_a_id,
        participant_b_id=draft.participant_b_id,
        occurrence=draft.occurrence,
        slot_id=draft.slot_id,
        table_id=draft.table_id,
        mandatory_meeting_id=draft.mandatory_meeting_id,
        locked=draft.locked,
        source="solver",
        uid=new_uid(),
        sequence=0,
    )
    db.session.add(meeting)
    return meeting


def _notify(fair: Fair, summary: PublishSummary, first_time: bool) -> None:
    """Queue the notifications: the whole agenda on first publication, then one per change."""
    if first_time:
        people = sorted({pid for m in summary.created for pid in (m.participant_a_id, m.participant_b_id)})
        for pid in people:
            notifications.meeting_published(db.session.get(Participant, pid))
    else:
        for meeting in summary.created + summary.moved:
            notifications.meeting_changed(meeting)
    for meeting in summary.cancelled:
        notifications.meeting_cancelled(meeting)
