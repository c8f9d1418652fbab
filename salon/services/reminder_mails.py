"""The reminders' e-mails, one per person: greeting, what to do and where, the link to do it, the footer.

Each is written in the language its reader chose on the site, else the fair's.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from salon.extensions import db
from salon.models import Attendee, Fair, Meeting, Participant, User
from salon.services.agenda_links import agenda_link
from salon.services.calendar import participant_calendar


def reader_language(fair: Fair, attendee: Attendee) -> str:
    """Return the language the attendee's account chose on the site, else the fair's."""
    user = db.session.get(User, attendee.user_id) if attendee.user_id else None
    return (user.locale if user else None) or fair.language or "fr"


def deadline_mail(fair: Fair, attendee: Attendee, kind: str) -> dict:
    """Return subject and bodies of a deadline reminder ("registration" or "wishes") for one attendee."""
    base = current_app.config["SALON_BASE_URL"].rstrip("/")
    page = "profile" if kind == "registration" else "catalogue"
    language = reader_language(fair, attendee)
    context = {"fair": fair, "name": attendee.full_name, "kind": kind, "mail_lang": language,
               "link": f"{base}/p/{attendee.participant_id}/{page}"}  # fmt: skip
    with force_locale(language):
        if kind == "registration":
            subject = _("%(fair)s: registration closes soon", fair=fair.name)
        else:
            subject = _("%(fair)s: choose who you want to meet", fair=fair.name)
        return {
            "subject": subject,
            "body": render_template("mail/deadline_reminder.txt", **context),
            "body_html": render_template("mail/deadline_reminder.html", **context),
        }


def outcome_request_mail(fair: Fair, attendee: Attendee, url: str, days: int) -> dict:
    """Return subject and bodies of the e-mail asking one attendee what their meetings produced."""
    language = reader_language(fair, attendee)
    context = {"fair": fair, "name": attendee.full_name, "url": url, "days": days, "mail_lang": language}
    with force_locale(language):
        return {
            "subject": _("%(fair)s: what came of your meetings?", fair=fair.name),
            "body": render_template("mail/outcome_request.txt", **context),
            "body_html": render_template("mail/outcome_request.html", **context),
        }


def agenda_tomorrow_mail(
    fair: Fair, participant: Participant, attendee: Attendee, meetings: list[Meeting]
) -> dict:
    """Return subject, bodies and .ics of the day-before agenda for one attendee."""
    language = reader_language(fair, attendee)
    context = {"fair": fair, "participant": participant, "meetings": meetings, "name": attendee.full_name,
               "agenda_url": agenda_link(participant.id, attendee.email), "mail_lang": language}  # fmt: skip
    ics = participant_calendar(participant, meetings=meetings, locale=language)
    with force_locale(language):
        return {
            "subject": _("%(fair)s: your agenda tomorrow", fair=fair.name),
            "body": render_template("mail/agenda_tomorrow.txt", **context),
            "body_html": render_template("mail/agenda_tomorrow.html", **context),
            "attachments": [
                {
                    "filename": "agenda.ics",
                    "content_type": "text/calendar; method=PUBLISH",
                    "text": ics.decode(),
                }
            ],  # fmt: skip
        }
