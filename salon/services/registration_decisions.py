"""Tell a registered organisation that the organisers approved or refused its registration."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from salon.models import Participant, User
from salon.services.mail import queue_email

DECISIONS = ("approved", "refused")


def tell_registration_decision(participant: Participant, previous: str) -> int:
    """Queue the e-mail telling the organisation's accounts of a new approval or refusal; return how many."""
    if participant.status == previous or participant.status not in DECISIONS:
        return 0
    readers = {m.user.email: m.user for m in participant.organisation.members if m.user.email_confirmed_at}
    for email in sorted(readers):
        _tell(participant, readers[email])
    return len(readers)


def _tell(participant: Participant, reader: User) -> None:
    """Queue the decision's e-mail to one account, in the language it chose on the site, else the fair's."""
    fair = participant.fair
    base = current_app.config["SALON_BASE_URL"].rstrip("/")
    approved = participant.status == "approved"
    link = f"{base}/p/{participant.id}/catalogue" if approved else f"{base}/fairs/{fair.slug}"
    language = reader.locale or fair.language or "fr"
    context = {"fair": fair, "organisation": participant.organisation, "approved": approved, "link": link}
    with force_locale(language):
        if approved:
            subject = _("%(fair)s: your registration is approved", fair=fair.name)
        else:
            subject = _("%(fair)s: your registration was not accepted", fair=fair.name)
        queue_email(
            to=reader.email,
            subject=subject,
            body_text=render_template("mail/registration_decided.txt", **context),
            body_html=render_template("mail/registration_decided.html", mail_lang=language, **context),
            kind="registration_decided",
            fair=fair,
        )
