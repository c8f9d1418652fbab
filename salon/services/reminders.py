"""Reminders and messages through the outbox: deadlines, "your agenda tomorrow", organiser messages.

Every reminder is recorded in `reminders_sent` under a key per recipient, so running the sender twice
(a cron every hour, a retried job) never sends the same reminder twice.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from salon.extensions import db
from salon.labels import table_label
from salon.models import Attendee, Fair, Meeting, Organisation, Participant, ReminderSent
from salon.services import DomainError, require_single_line
from salon.services.mail import queue_email

DEADLINE_NOTICE = timedelta(days=3)


def already_sent(fair: Fair, key: str) -> bool:
    """Return True if this reminder was queued before."""
    return (
        db.session.scalar(
            select(func.count(ReminderSent.id)).where(
                ReminderSent.fair_id == fair.id, ReminderSent.key == key
            )
        )
        > 0
    )


def send_once(fair: Fair, key: str, attendee: Attendee, subject: str, body: str, **mail) -> bool:
    """Queue the message unless this key was already sent; return True if queued."""
    if not attendee.email or already_sent(fair, key):
        return False
    db.session.add(ReminderSent(fair_id=fair.id, key=key))
    queue_email(attendee.email, subject, body, fair=fair, **mail)
    return True


def _attendees(fair: Fair, participants: list[Participant]) -> list[Attendee]:
    return [a for p in participants for a in p.attendees]


def _participants(fair: Fair, status: str = "approved") -> list[Participant]:
    return list(
        db.session.scalars(
            select(Participant)
            .where(Participant.fair_id == fair.id, Participant.status == status)
            .order_by(Participant.id)
        )
    )


def _local(fair: Fair, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(fair.timezone)).strftime("%d/%m/%Y %H:%M")


def send_deadline_reminders(fair: Fair, now: datetime) -> int:
    """Remind people a few days before the registration and wishes deadlines; return messages queued."""
    sent = 0
    with force_locale(fair.language or "fr"):
        deadline = fair.registration_deadline
        if fair.phase == "registration" and deadline and now < deadline <= now + DEADLINE_NOTICE:
            subject = _("%(fair)s: registration closes soon", fair=fair.name)
            body = _("Registration for %(fair)s closes on %(when)s. Please complete it before then.",
                     fair=fair.name, when=_local(fair, deadline))  # fmt: skip
            for a in _attendees(fair, _participants(fair, "pending")):
                sent += send_once(fair, f"registration:{deadline.date()}:a{a.id}", a, subject, body,
                                  kind="reminder_registration")  # fmt: skip
        deadline = fair.wishes_deadline
        if fair.phase == "wishes" and deadline and now < deadline <= now + DEADLINE_NOTICE:
            subject = _("%(fair)s: choose who you want to meet", fair=fair.name)
            body = _("Wishes for %(fair)s close on %(when)s. Say who you want to meet before then.",
                     fair=fair.name, when=_local(fair, deadline))  # fmt: skip
            for a in _attendees(fair, _participants(fair)):
                sent += send_once(fair, f"wishes:{deadline.date()}:a{a.id}", a, subject, body,
                                  kind="reminder_wishes")  # fmt: skip
    return sent


def first_day(fair: Fair):
    """Return the local date of the fair's first session, or None."""
    if not fair.sessions:
        return None
    return min(s.day for s in fair.sessions)


def send_agenda_tomorrow(fair: Fair, now: datetime) -> int:
    """The day before the fair, send each person their agenda with the .ics attached."""
    from salon.services.calendar import participant_calendar, participant_meetings

    day = first_day(fair)
    today = now.astimezone(ZoneInfo(fair.timezone)).date()
    if fair.phase != "published" or day is None or day - today != timedelta(days=1):
        return 0
    sent = 0
    for participant in _participants(fair):
        meetings = [m for m in participant_meetings(participant) if m.is_active]
        if not meetings:
            continue
        with force_locale(fair.language or "fr"):
            subject = _("%(fair)s: your agenda tomorrow", fair=fair.name)
            body = _agenda_text(fair, participant, meetings)
        ics = {"filename": "agenda.ics", "content_type": "text/calendar; method=PUBLISH",
               "text": participant_calendar(participant).decode()}  # fmt: skip
        for a in participant.attendees:
            sent += send_once(fair, f"agenda:{day}:a{a.id}", a, subject, body, attachments=[ics],
                              kind="agenda_tomorrow")  # fmt: skip
    return sent


def _agenda_text(fair: Fair, participant: Participant, meetings: list[Meeting]) -> str:
    tz = ZoneInfo(fair.timezone)
    lines = [_("Here are your meetings at %(fair)s tomorrow:", fair=fair.name), ""]
    for m in meetings:
        other = db.session.get(Participant, m.other(participant.id))
        start = m.slot.starts_at.astimezone(tz).strftime("%H:%M")
        lines.append(_("%(time)s, %(table)s: %(name)s", time=start, table=table_label(m.table.name),
                       name=other.organisation.name))  # fmt: skip
    lines += ["", _("Your calendar file is attached.")]
    return "\n".join(lines)


def recipients(fair: Fair, side: str = "", structure_type: str = "", checked_in: str = "") -> list[Attendee]:
    """Return the attendees of approved participants matching a filter (side, ESS type, checked in)."""
    query = (
        select(Attendee)
        .join(Participant, Attendee.participant_id == Participant.id)
        .join(Organisation, Participant.organisation_id == Organisation.id)
        .where(Participant.fair_id == fair.id, Participant.status == "approved")
        .order_by(Attendee.id)
    )
    if side:
        query = query.where(Participant.side == side)
    if checked_in == "yes":
        query = query.where(Attendee.checked_in_at.is_not(None))
    elif checked_in == "no":
        query = query.where(Attendee.checked_in_at.is_(None))
    found = list(db.session.scalars(query))
    if structure_type:
        found = [a for a in found if structure_type in (a.participant.organisation.structure_types or [])]
    return found


def send_organiser_message(fair: Fair, subject: str, body: str, **filters: str) -> int:
    """Send the organiser's message to everyone matching the filters; a repeated submit sends nothing."""
    if not subject.strip() or not body.strip():
        raise DomainError(_("Write a subject and a message."), "subject")
    require_single_line("subject", subject)
    digest = hashlib.sha256(repr((subject, body, sorted(filters.items()))).encode()).hexdigest()[:16]
    sent = 0
    for a in recipients(fair, **filters):
        sent += send_once(fair, f"message:{digest}:a{a.id}", a, subject, body, kind="organiser_message")
    return sent


def send_due_reminders(now: datetime) -> int:
    """Run every reminder that is due, for every fair (the `salon remind` command, e.g. hourly)."""
    from salon.services.outcomes import send_outcome_requests

    total = 0
    for fair in db.session.scalars(select(Fair).where(Fair.purged_at.is_(None))):
        total += send_deadline_reminders(fair, now)
        total += send_agenda_tomorrow(fair, now)
        total += send_outcome_requests(fair, now)
    current_app.logger.info("reminders queued: %s", total)
    return total
