"""Manual review edits on a draft and on published meetings: lock, move, swap, cancel, add.

Every edit is checked at once with the solver's own validator against the instance built from the
database; an edit that breaks a rule is refused with a sentence naming the organisations, the slot and what
to do (salon/services/explain.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _

from salon.extensions import db
from salon.models import DraftMeeting, Fair, Meeting, Participant, ScheduleRun
from salon.services import DomainError, NotAllowed, notifications
from salon.services.explain import explain_violation
from salon.services.publishing import ACTIVE, add_seats, bump, drop_seats, lock_fair, new_uid, place
from salon.services.scheduling import Maps, Spec, build_instance, load_maps
from solver.validate import Violation, violations_of_meetings


def _spec_of(row: DraftMeeting | Meeting) -> Spec:
    return Spec(
        row.participant_a_id,
        row.participant_b_id,
        row.slot_id,
        row.table_id,
        row.mandatory_meeting_id,
        True if isinstance(row, Meeting) else row.locked,
        row.occurrence,
    )


def _violations(fair: Fair, maps: Maps, specs: Sequence[Spec]) -> list[Violation]:
    instance = build_instance(fair, locked=[s for s in specs if s.locked], maps=maps)
    meetings = [maps.to_scheduled(s) for s in specs]
    return violations_of_meetings(instance, meetings, complete=False, skip={"locked-moved"})


def check_edit(fair: Fair, before: Sequence[Spec], after: Sequence[Spec]) -> None:
    """Refuse (DomainError, in words for people) when `after` breaks a rule that `before` did not break."""
    maps = load_maps(fair)
    old = {(v.rule, v.ids) for v in _violations(fair, maps, before)}
    fresh = [v for v in _violations(fair, maps, after) if (v.rule, v.ids) not in old]
    if fresh:
        changed = {i for i, spec in enumerate(after) if i >= len(before) or spec != before[i]}
        explanation = explain_violation(fair, maps, fresh[0], after, changed)
        current_app.logger.info("edit refused on fair %s: %s", fair.id, explanation.technical)
        raise DomainError(str(explanation), "meeting")


def _pair_ids(fair: Fair, a: Participant, b: Participant) -> tuple[int, int]:
    if a.fair_id != fair.id or b.fair_id != fair.id or a.id == b.id:
        raise DomainError(_("Choose two different participants of this fair."), "participant")
    return (min(a.id, b.id), max(a.id, b.id))


# ---- drafts -------------------------------------------------------------------------------------


def _draft_board(run: ScheduleRun) -> list[DraftMeeting]:
    if run.status != "done":
        raise NotAllowed(_("Only a finished schedule can be edited."), "run")
    return sorted(run.drafts, key=lambda d: d.id)


def _edit_drafts(fair: Fair, run: ScheduleRun, changes: dict[int, tuple[int, int]]) -> None:
    """Move drafts (id -> (slot, table)) after checking the result."""
    rows = _draft_board(run)
    before = [_spec_of(d) for d in rows]
    after = [
        Spec(s.a, s.b, *changes.get(d.id, (s.slot_id, s.table_id)), s.mandatory_id, s.locked, s.occurrence)
        for d, s in zip(rows, before, strict=True)
    ]
    check_edit(fair, before, after)
    for d in rows:
        if d.id in changes:
            d.slot_id, d.table_id = changes[d.id]
            db.session.expire(d, ["slot", "table"])  # read the new place, not the one loaded before
    db.session.flush()


def lock_draft(run: ScheduleRun, draft: DraftMeeting, locked: bool) -> None:
    """Lock (keep in place on re-solve) or unlock a draft meeting."""
    _draft_board(run)
    draft.locked = locked
    db.session.flush()


def move_draft(fair: Fair, run: ScheduleRun, draft: DraftMeeting, slot_id: int, table_id: int) -> None:
    """Move a draft meeting to another slot and table; it becomes locked."""
    _edit_drafts(fair, run, {draft.id: (slot_id, table_id)})
    draft.locked = True
    db.session.flush()


def swap_drafts(fair: Fair, run: ScheduleRun, first: DraftMeeting, second: DraftMeeting) -> None:
    """Exchange the slots and tables of two draft meetings."""
    if first.id == second.id:
        raise DomainError(_("Choose two different meetings."), "meeting")
    _edit_drafts(
        fair, run, {first.id: (second.slot_id, second.table_id), second.id: (first.slot_id, first.table_id)}
    )
    first.locked = second.locked = True
    db.session.flush()


def cancel_draft(run: ScheduleRun, draft: DraftMeeting) -> None:
    """Remove a meeting from the draft."""
    _draft_board(run)
    run.drafts.remove(draft)
    db.session.delete(draft)
    db.session.flush()


def add_draft(
    fair: Fair, run: ScheduleRun, a: Participant, b: Participant, slot_id: int, table_id: int
) -> DraftMeeting:
    """Add a (locked) meeting to the draft."""
    pair = _pair_ids(fair, a, b)
    rows = _draft_board(run)
    before = [_spec_of(d) for d in rows]
    occurrence = 1 + max(
        (d.occurrence for d in rows if (d.participant_a_id, d.participant_b_id) == pair), default=-1
    )
    new = Spec(*pair, slot_id, table_id, None, True, occurrence)
    check_edit(fair, before, [*before, new])
    draft = DraftMeeting(
        participant_a_id=pair[0],
        participant_b_id=pair[1],
        occurrence=occurrence,
        slot_id=slot_id,
        table_id=table_id,
        locked=True,
    )
    run.drafts.append(draft)
    db.session.flush()
    return draft


# ---- published meetings -------------------------------------------------------------------------


class Relocated(NamedTuple):
    """What a move or swap of published meetings did: meetings moved, e-mails queued to tell their people."""

    meetings: int
    emails: int


def _published_board(fair: Fair) -> list[Meeting]:
    lock_fair(fair.id)  # one change of the published agenda at a time (publications included)
    if fair.phase != "published":
        raise NotAllowed(_("Published meetings can only be edited while the fair is published."), "phase")
    return list(
        db.session.scalars(
            db.select(Meeting)
            .where(Meeting.fair_id == fair.id, Meeting.status.in_(ACTIVE))
            .order_by(Meeting.id)
        )
    )


def _relocate(fair: Fair, rows: list[Meeting], changes: dict[int, tuple[int, int]]) -> Relocated:
    """Move published meetings (`rows`: the active board) after checking; seats follow the move."""
    before = [_spec_of(m) for m in rows]
    after = [
        Spec(s.a, s.b, *changes.get(m.id, (s.slot_id, s.table_id)), s.mandatory_id, True, s.occurrence)
        for m, s in zip(rows, before, strict=True)
    ]
    check_edit(fair, before, after)
    moved = [m for m in rows if m.id in changes and changes[m.id] != (m.slot_id, m.table_id)]
    statuses = {m.id: m.status for m in moved}
    previous = {m.id: (m.slot_id, m.table_id) for m in moved}
    for m in moved:
        drop_seats(m)
        m.status = "cancelled"
    db.session.flush()
    for m in moved:
        place(m, *changes[m.id])
        m.status, m.locked = statuses[m.id], True
        bump(m)
    db.session.flush()
    add_seats(*moved)
    db.session.flush()
    emails = sum(notifications.meeting_changed(m, previous[m.id]) for m in moved)
    return Relocated(len(moved), emails)


def lock_meeting(fair: Fair, meeting: Meeting, locked: bool) -> None:
    """Lock or unlock a published meeting (a locked one is never moved by a re-solve's publication)."""
    _published_board(fair)
    meeting.locked = locked
    db.session.flush()


def move_meeting(fair: Fair, meeting: Meeting, slot_id: int, table_id: int) -> Relocated:
    """Move a published meeting: its SEQUENCE goes up and both participants are told."""
    rows = _published_board(fair)
    if meeting.status not in ACTIVE:
        raise NotAllowed(_("A cancelled meeting cannot be moved."), "meeting")
    return _relocate(fair, rows, {meeting.id: (slot_id, table_id)})


def swap_meetings(fair: Fair, first: Meeting, second: Meeting) -> Relocated:
    """Exchange the places of two published meetings; their participants are told."""
    rows = _published_board(fair)  # places and statuses read after the lock, not before
    if first.id == second.id or first.status not in ACTIVE or second.status not in ACTIVE:
        raise DomainError(_("Choose two different meetings."), "meeting")
    changes = {first.id: (second.slot_id, second.table_id), second.id: (first.slot_id, first.table_id)}
    return _relocate(fair, rows, changes)


def cancel_meeting(fair: Fair, meeting: Meeting) -> None:
    """Cancel a published meeting: the row stays, its seats go, both participants are told."""
    _published_board(fair)
    if meeting.status not in ACTIVE:
        raise NotAllowed(_("This meeting is already cancelled."), "meeting")
    drop_seats(meeting)
    meeting.status = "cancelled"
    bump(meeting)
    db.session.flush()
    notifications.meeting_cancelled(meeting)


def add_meeting(fair: Fair, a: Participant, b: Participant, slot_id: int, table_id: int) -> Meeting:
    """Add a published meeting by hand (locked, source manual); both participants are told."""
    pair = _pair_ids(fair, a, b)
    rows = _published_board(fair)
    before = [_spec_of(m) for m in rows]
    occurrences = db.session.scalars(
        db.select(Meeting.occurrence).where(
            Meeting.fair_id == fair.id,
            Meeting.participant_a_id == pair[0],
            Meeting.participant_b_id == pair[1],
        )
    ).all()
    occurrence = 1 + max(occurrences, default=-1)
    check_edit(fair, before, [*before, Spec(*pair, slot_id, table_id, None, True, occurrence)])
    meeting = Meeting(
        fair_id=fair.id,
        participant_a_id=pair[0],
        participant_b_id=pair[1],
        occurrence=occurrence,
        slot_id=slot_id,
        table_id=table_id,
        locked=True,
        source="manual",
        uid=new_uid(),
    )
    db.session.add(meeting)
    db.session.flush()
    add_seats(meeting)
    db.session.flush()
    notifications.meeting_changed(meeting)
    return meeting
