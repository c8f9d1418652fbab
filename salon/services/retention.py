"""Data lifecycle: a closed fair's personal data is purged after its retention period; figures stay.

What goes: the people (attendees: names, e-mails, phones, check-in times), the fair's outbox messages
(they quote names and addresses), calendar feeds, reminder keys, organisers' private notes and the
free-text outcome data linked to people. What stays: the fair, its slots and tables, the meetings between
organisations (legal persons) and the aggregated figures in `fair_aggregates`. User accounts are not
deleted: a person may attend other fairs, and closes their account themselves.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from salon.extensions import db
from salon.models import (
    Attendee,
    CalendarFeed,
    Fair,
    FairAggregate,
    OrganiserInvitation,
    OutboxMessage,
    Participant,
    ReminderSent,
)
from salon.services import NotAllowed
from salon.services.funders_report import compute_figures, to_json_ready
from salon.services.outcomes import fair_end
from salon.services.print_builds import delete_fair_builds


def purge_date(fair: Fair) -> datetime | None:
    """Return when the fair's personal data becomes due for purging."""
    end = fair_end(fair) or fair.created_at
    return end + timedelta(days=fair.retention_days) if end else None


def fairs_due(now: datetime) -> list[Fair]:
    """Return the closed, not yet purged fairs past their retention period."""
    rows = db.session.scalars(
        select(Fair).where(Fair.phase == "closed", Fair.purged_at.is_(None)).order_by(Fair.id)
    )
    return [f for f in rows if (due := purge_date(f)) is not None and due <= now]


def keep_figures(fair: Fair, now: datetime) -> FairAggregate:
    """Store (or refresh) the fair's aggregated figures."""
    row = db.session.scalar(select(FairAggregate).where(FairAggregate.fair_id == fair.id))
    if row is None:
        row = FairAggregate(fair_id=fair.id)
        db.session.add(row)
    row.figures = to_json_ready(compute_figures(fair))
    row.computed_at = now
    db.session.flush()
    return row


def purge_fair(fair: Fair, now: datetime) -> FairAggregate:
    """Keep the fair's figures, then delete its personal data; only a closed fair may be purged."""
    if fair.phase != "closed":
        raise NotAllowed(_("Only a closed fair can be purged."), "phase")
    if fair.purged_at is not None:
        raise NotAllowed(_("This fair was already purged."), "phase")
    aggregate = keep_figures(fair, now)
    participant_ids = select(Participant.id).where(Participant.fair_id == fair.id)
    db.session.execute(delete(Attendee).where(Attendee.participant_id.in_(participant_ids)))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.fair_id == fair.id))
    db.session.execute(delete(OrganiserInvitation).where(OrganiserInvitation.fair_id == fair.id))
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.fair_id == fair.id))
    db.session.execute(delete(ReminderSent).where(ReminderSent.fair_id == fair.id))
    delete_fair_builds(fair)  # printed badges and agendas carry names
    for participant in db.session.scalars(select(Participant).where(Participant.fair_id == fair.id)):
        participant.note = ""
    fair.contact_email = ""
    fair.purged_at = now
    db.session.flush()
    db.session.expire_all()
    return aggregate


def purge_due_fairs(now: datetime) -> list[Fair]:
    """Purge every fair due; return them."""
    done = []
    for fair in fairs_due(now):
        purge_fair(fair, now)
        done.append(fair)
    return done
