"""What publishing a run would do, computed without writing: the preview the organiser confirms.

The plan maps the run's drafts onto the published meetings by identity (fair, pair, occurrence) and lists
the e-mails that would be queued. Its digest covers the draft, the published meetings and the recipients,
so a confirmation publishes exactly what was shown, or is refused when anything changed in between.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from salon.extensions import db
from salon.models import DraftMeeting, Fair, Meeting, Participant, ScheduleRun
from salon.services import NotAllowed
from salon.services.calendar_text import participant_addresses, people_options

ACTIVE = ("scheduled", "held")
PUBLISH_PHASES = ("scheduling", "published")
Key = tuple[int, int, int]


@dataclass
class Notice:
    """One e-mail kind to one participant, sent to each of their addresses."""

    kind: str  # agenda_published | meeting_changed | meeting_cancelled
    participant: Participant
    addresses: list[tuple[str, str]]


@dataclass
class PublishPlan:
    """The changes a publication would make and the e-mails it would queue."""

    fair: Fair
    run: ScheduleRun
    first_time: bool
    created: list[DraftMeeting] = field(default_factory=list)
    moved: list[tuple[Meeting, DraftMeeting]] = field(default_factory=list)
    cancelled: list[Meeting] = field(default_factory=list)
    unchanged: list[tuple[Meeting, DraftMeeting]] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    digest: str = ""
    shown: list = field(default_factory=list, repr=False)  # keeps what was loaded at once in the session

    @property
    def email_count(self) -> int:
        return sum(len(n.addresses) for n in self.notices)

    @property
    def unreachable(self) -> list[Participant]:
        """Return the participants who should hear of a change but have no address to write to."""
        return list({n.participant.id: n.participant for n in self.notices if not n.addresses}.values())


def key_of(row: Meeting | DraftMeeting) -> Key:
    return (row.participant_a_id, row.participant_b_id, row.occurrence)


def plan_publication(run: ScheduleRun) -> PublishPlan:
    """Return what publishing `run` would do now; refuse a run or phase that cannot be published."""
    fair = db.session.get(Fair, run.fair_id)
    shown = _load_shown(fair)
    drafts = list(
        db.session.scalars(
            select(DraftMeeting).where(DraftMeeting.run_id == run.id).order_by(DraftMeeting.id)
        )
    )
    if run.status != "done" or not drafts:
        raise NotAllowed(_("Only a finished schedule with meetings can be published."), "run")
    if fair.phase not in PUBLISH_PHASES:
        raise NotAllowed(_("Publishing is only possible in the scheduling or published phase."), "phase")
    meetings = list(
        db.session.scalars(select(Meeting).where(Meeting.fair_id == fair.id).order_by(Meeting.id))
    )
    first_time = fair.phase != "published" and not meetings
    plan = PublishPlan(fair, run, first_time, shown=shown)
    wanted = {key_of(d): d for d in drafts}
    for meeting in meetings:
        draft = wanted.get(key_of(meeting))
        if draft is None:
            if meeting.status in ACTIVE:
                plan.cancelled.append(meeting)
        elif meeting.status not in ACTIVE or (meeting.slot_id, meeting.table_id) != (
            draft.slot_id,
            draft.table_id,
        ):
            plan.moved.append((meeting, draft))
        else:
            plan.unchanged.append((meeting, draft))
    known = {key_of(m) for m in meetings}
    plan.created = [d for key, d in wanted.items() if key not in known]
    plan.notices = _notices(plan)
    plan.digest = _digest(plan, drafts, meetings)
    return plan


def _load_shown(fair: Fair) -> list:
    """Load the fair's participants (with what the preview shows of them), slots and tables at once.

    Drafts and meetings then find their people, slot and table in the session, without a query each and
    without repeating those columns on every row. The returned list keeps them there.
    """
    people = db.session.scalars(
        select(Participant).where(Participant.fair_id == fair.id).options(*people_options())
    )
    return [*people, *fair.slots, *fair.tables]


def _notices(plan: PublishPlan) -> list[Notice]:
    """Return the e-mails of the publication: the whole agenda the first time, then one per change."""
    targets: list[tuple[str, Participant]] = []
    if plan.first_time:
        people = {p.id: p for d in plan.created for p in (d.participant_a, d.participant_b)}
        targets = [("agenda_published", people[pid]) for pid in sorted(people)]
    else:
        changed = [*plan.created, *(d for _m, d in plan.moved)]
        targets = [("meeting_changed", p) for d in changed for p in (d.participant_a, d.participant_b)]
    targets += [("meeting_cancelled", p) for m in plan.cancelled for p in (m.participant_a, m.participant_b)]
    addresses: dict[int, list[tuple[str, str]]] = {}
    for _kind, p in targets:
        if p.id not in addresses:
            addresses[p.id] = participant_addresses(p)
    return [Notice(kind, p, addresses[p.id]) for kind, p in targets]


def _digest(plan: PublishPlan, drafts: list[DraftMeeting], meetings: list[Meeting]) -> str:
    """Return a fingerprint of the draft, the published meetings and the recipients."""
    state = {
        "run": plan.run.id,
        "phase": plan.fair.phase,
        "drafts": sorted(
            [*key_of(d), d.slot_id, d.table_id, d.locked, d.mandatory_meeting_id] for d in drafts
        ),
        "meetings": [
            [m.id, *key_of(m), m.slot_id, m.table_id, m.status, m.sequence, m.locked] for m in meetings
        ],
        "mail": [[n.kind, n.participant.id, [a for _n, a in n.addresses]] for n in plan.notices],
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()
