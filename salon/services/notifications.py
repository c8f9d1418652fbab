"""Notifications about meetings: e-mails with iTIP calendar attachments, queued in the outbox.

Every message about a meeting carries its UID and current SEQUENCE, so a calendar client that applies
them in order (published, moved, cancelled) ends with one event in its final state. Subscription feeds
refresh on the client's schedule (hours for some); these e-mails carry a change on the day at once.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from salon.extensions import db
from salon.models import Fair, Meeting, MeetingTable, Participant, Slot
from salon.services.calendar import meeting_message, participant_calendar, participant_meetings
from salon.services.calendar_text import event_location, participant_addresses
from salon.services.mail import queue_email


def _ics_attachment(data: bytes, method: str, filename: str) -> dict:
    """Return an outbox attachment for an .ics with its iTIP method."""
    return {
        "filename": filename,
        "content_type": f"text/calendar; method={method}",
        "text": data.decode("utf-8"),
    }


def _queue(participant: Participant, kind: str, subject: str, template: str, attachment: dict, **ctx) -> int:
    """Queue one e-mail per recipient of the participant, in the fair's language; return how many."""
    fair = participant.fair
    base_url = current_app.config["SALON_BASE_URL"].rstrip("/")
    recipients = participant_addresses(participant)
    for name, address in recipients:
        context = dict(ctx, fair=fair, participant=participant, name=name, base_url=base_url)
        queue_email(
            to=address,
            subject=subject,
            body_text=render_template(f"mail/{template}.txt", **context),
            body_html=render_template(f"mail/{template}.html", **context),
            attachments=[attachment],
            kind=kind,
            fair=fair,
        )
    return len(recipients)


def meeting_published(participant: Participant) -> int:
    """Tell the participant their agenda is published, with their .ics attached (METHOD:PUBLISH)."""
    fair = participant.fair
    with force_locale(fair.language or "fr"):
        meetings = [m for m in participant_meetings(participant) if m.is_active]
        attachment = _ics_attachment(participant_calendar(participant, "PUBLISH"), "PUBLISH", "agenda.ics")
        subject = _("%(fair)s: your agenda is published", fair=fair.name)
        kind = "agenda_published"
        return _queue(participant, kind, subject, kind, attachment, meetings=meetings)


def _meeting_notice(meeting: Meeting, method: str, kind: str, previous: tuple | None = None) -> int:
    """Queue the REQUEST or CANCEL message of a meeting to both participants; return how many e-mails."""
    fair = db.session.get(Fair, meeting.fair_id)
    queued = 0
    with force_locale(fair.language or "fr"):
        location = event_location(meeting, fair)
        for viewer in (meeting.participant_a, meeting.participant_b):
            other = meeting.participant_b if viewer.id == meeting.participant_a_id else meeting.participant_a
            data = meeting_message(meeting, method, viewer=viewer)
            attachment = _ics_attachment(data, method, "cancel.ics" if method == "CANCEL" else "invite.ics")
            subject = _subject(kind, fair, other, meeting)
            queued += _queue(
                viewer, kind, subject, kind, attachment,
                meeting=meeting, other=other, location=location, previous=previous,
            )  # fmt: skip
    return queued


def _subject(kind: str, fair: Fair, other: Participant, meeting: Meeting) -> str:
    """Return the subject line of a meeting notice."""
    name = other.organisation.name
    if kind == "meeting_cancelled":
        return _("%(fair)s: meeting with %(name)s cancelled", fair=fair.name, name=name)
    if meeting.sequence == 0:
        return _("%(fair)s: new meeting with %(name)s", fair=fair.name, name=name)
    return _("%(fair)s: meeting with %(name)s moved", fair=fair.name, name=name)


def meeting_changed(meeting: Meeting, previous: tuple[Slot, MeetingTable] | None = None) -> int:
    """Tell both participants a meeting was created or moved (METHOD:REQUEST, current SEQUENCE).

    `previous` (slot, table) is where a moved meeting was, so the e-mail can say what changed.
    """
    return _meeting_notice(meeting, "REQUEST", "meeting_changed", previous)


def meeting_cancelled(meeting: Meeting) -> int:
    """Tell both participants a meeting was cancelled (METHOD:CANCEL, STATUS:CANCELLED)."""
    return _meeting_notice(meeting, "CANCEL", "meeting_cancelled")
