"""Publish a schedule run: map its drafts onto the published meetings by identity (fair, pair, occurrence).

Publications and edits of the published agenda take the fair's write lock first, so two of them never
interleave: the one that waited re-reads the state and, when the organiser confirmed a preview, finds it
out of date (StalePublication) instead of colliding on a unique index.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.attributes import set_committed_value

from salon.extensions import db
from salon.models import DraftMeeting, Fair, Meeting, MeetingSeat, ScheduleRun
from salon.models.base import utcnow
from salon.services import NotAllowed, notifications
from salon.services.publication_plan import ACTIVE, PUBLISH_PHASES, PublishPlan, plan_publication

__all__ = ["ACTIVE", "PUBLISH_PHASES", "PublishSummary", "StalePublication", "publish_run"]


class StalePublication(NotAllowed):
    """What the organiser confirmed is no longer what a publication would do."""


@dataclass
class PublishSummary:
    """What a publication changed, and how many e-mails it queued (as intents, rendered afterwards)."""

    created: list[Meeting] = field(default_factory=list)
    moved: list[Meeting] = field(default_factory=list)
    cancelled: list[Meeting] = field(default_factory=list)
    unchanged: int = 0
    emails: int = 0


def new_uid() -> str:
    """Return a new calendar UID for a meeting."""
    return f"{uuid.uuid4()}@salon"


def add_seats(*meetings: Meeting) -> None:
    """Give both participants of active meetings their seat, in one statement."""
    seats = [
        {"meeting_id": m.id, "participant_id": pid, "slot_id": m.slot_id}
        for m in meetings
        for pid in (m.participant_a_id, m.participant_b_id)
    ]
    if seats:
        db.session.execute(insert(MeetingSeat), seats)
    for meeting in meetings:
        db.session.expire(meeting, ["seats"])


def drop_seats(*meetings: Meeting) -> None:
    """Remove the seats of meetings that stop being active (or are about to move), in one statement."""
    if meetings:
        db.session.execute(
            delete(MeetingSeat)
            .where(MeetingSeat.meeting_id.in_([m.id for m in meetings]))
            .execution_options(synchronize_session=False)  # no seat object is loaded: nothing to match
        )
    for meeting in meetings:
        db.session.expire(meeting, ["seats"])


def bump(meeting: Meeting) -> None:
    """Record a change the participants must hear about."""
    meeting.sequence += 1
    meeting.updated_at = utcnow()


def place(meeting: Meeting, slot_id: int, table_id: int) -> None:
    """Set a meeting's slot and table; its e-mail and invitation then read the new ones."""
    meeting.slot_id, meeting.table_id = slot_id, table_id
    # A relationship loaded before keeps the old row until expired: the notice would state the old place.
    db.session.expire(meeting, ["slot", "table"])


def lock_fair(fair_id: int) -> None:
    """Hold the fair's write lock until the transaction ends, then read everything afresh."""
    try:
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(select(Fair.id).where(Fair.id == fair_id).with_for_update())
        else:
            # SQLite has one writer at a time: a first write takes the lock (waiting its busy timeout).
            db.session.execute(update(Fair).where(Fair.id == fair_id).values(phase=Fair.phase))
    except OperationalError:
        db.session.rollback()
        raise StalePublication(
            _("Another change of the published agenda is under way. Try again in a moment."), "lock"
        ) from None
    # What was read before the lock may predate another publication that has just committed.
    db.session.expire_all()


def publish_run(run: ScheduleRun, expected_digest: str | None = None) -> PublishSummary:
    """Make the run's drafts the published agenda; queue one notification per change.

    With `expected_digest` (the preview's), refuse with StalePublication if the plan changed since.
    """
    lock_fair(run.fair_id)
    plan = plan_publication(run)
    if expected_digest is not None and plan.digest != expected_digest:
        raise StalePublication(
            _(
                "The schedule or the published agenda changed since the preview: nothing was published. "
                "Check the new preview and confirm again."
            ),
            "digest",
        )
    return _apply(plan)


def _apply(plan: PublishPlan) -> PublishSummary:
    """Write the plan: cancellations and moves first (without seats), then new meetings, then seats."""
    summary = PublishSummary(unchanged=len(plan.unchanged))
    # Where moved meetings were, for their e-mails (a re-activated meeting was nowhere).
    previous = {m.id: (m.slot_id, m.table_id) for m, _d in plan.moved if m.status in ACTIVE}
    for meeting, draft in plan.unchanged:
        if draft.locked and not meeting.locked:  # only then: every object set counts in each flush
            meeting.locked = True
    # Stage 1: everything that leaves its place goes inactive, without seats, so no index sees a clash.
    leaving = plan.cancelled + [m for m, _d in plan.moved]
    drop_seats(*leaving)
    now = utcnow()
    _write([(m, {"status": "cancelled", "sequence": m.sequence + 1, "updated_at": now}) for m in leaving])
    summary.cancelled = list(plan.cancelled)
    # Stage 2: moved and re-activated meetings take their new place, then new meetings are created.
    _write(
        [
            (m, {"slot_id": d.slot_id, "table_id": d.table_id, "status": "scheduled", "locked": d.locked,
                 "mandatory_meeting_id": d.mandatory_meeting_id})
            for m, d in plan.moved
        ]
    )  # fmt: skip
    summary.moved = [m for m, _d in plan.moved]
    summary.created = [_create_meeting(plan.fair, draft) for draft in plan.created]
    db.session.flush()
    add_seats(*summary.moved, *summary.created)
    plan.run.published_at = utcnow()
    plan.fair.phase = "published"
    db.session.flush()
    summary.emails = notifications.queue_intents(_intents(plan, summary, previous))
    return summary


def _write(changes: list[tuple[Meeting, dict]]) -> None:
    """Update many meetings in one statement; their objects take the values as written (no second UPDATE)."""
    if not changes:
        return
    db.session.execute(update(Meeting), [{"id": meeting.id, **values} for meeting, values in changes])
    for meeting, values in changes:
        for key, value in values.items():
            set_committed_value(meeting, key, value)
        db.session.expire(meeting, ["slot", "table"])  # read from the new place, where it moved


def _create_meeting(fair: Fair, draft: DraftMeeting) -> Meeting:
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


def _intents(plan: PublishPlan, summary: PublishSummary, previous: dict[int, tuple[int, int]]) -> list[dict]:
    """Return the notices the preview listed, to the addresses it showed: the agendas, or one per change."""
    addresses = {n.participant.id: n.addresses for n in plan.notices}
    rows: list[dict] = []
    if plan.first_time:
        agendas: dict[int, list[Meeting]] = {}
        for meeting in summary.created:
            for pid in (meeting.participant_a_id, meeting.participant_b_id):
                agendas.setdefault(pid, []).append(meeting)
        for pid in sorted(agendas):
            rows += notifications.agenda_intents(pid, plan.fair.id, addresses[pid], agendas[pid])
    else:
        for meeting in summary.created + summary.moved:
            rows += notifications.meeting_intents(
                "meeting_changed", meeting, addresses, previous.get(meeting.id)
            )
    for meeting in summary.cancelled:
        rows += notifications.meeting_intents("meeting_cancelled", meeting, addresses)
    return rows
