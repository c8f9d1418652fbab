"""Tell a registered organisation that the organisers approved or refused its registration."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from salon.models import Participant
from salon.services.mail import queue_email

DECISIONS = ("approved", "refused")


def tell_registration_decision(participant: Participant, previous: str) -> int:
    """Queue the e-mail telling the organisation's accounts of a new approval or refusal; return how many."""
    status = participant.status
    if status == previous or status not in DECISIONS:
        return 0
    fair = participant.fair
    recipients = sorted(
        {m.user.email for m in participant.organisation.members if m.user.email_confirmed_at is not None}
    )
    base = current_app.config["SALON_BASE_URL"].rstrip("/")
    approved = status == "approved"
    link = f"{base}/p/{participant.id}/catalogue" if approved else f"{base}/fairs/{fair.slug}"
    context = {"fair": fair, "organisation": participant.organisation, "approved": approved, "link": link}
    with force_locale(fair.language or "fr"):
        if approved:
            subject = _("%(fair)s: your registration is approved", fair=fair.name)
        else:
            subject = _("%(fair)s: your registration was not accepted", fair=fair.name)
        for email in recipients:
            queue_email(
                to=email,
                subject=subject,
                body_text=render_template("mail/registration_decided.txt", **context),
                body_html=render_template("mail/registration_decided.html", **context),
                kind="registration_decided",
                fair=fair,
            )
    return len(recipients)
