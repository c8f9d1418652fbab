"""A participant's calendar: .ics download and a private subscription feed they can regenerate."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from salon.extensions import db
from salon.services.calendar_cache import participant_document
from salon.services.calendar_feeds import (
    participant_feeds,
    regenerate_participant_feed,
    revoke_participant_feeds,
)
from salon.views.participant import bp
from salon.views.participant.common import my_participant
from salon.views.responses import calendar_response, private_page


def _page(participant, new_url: str | None = None, status: int = 200):
    """Render the calendar page (with the new feed URL, shown this one time)."""
    html = render_template(
        "participant/calendar.html",
        participant=participant,
        feeds=participant_feeds(participant),
        new_url=new_url,
        # webcal:// opens the calendar application, subscribed, in one tap (it reads it as http(s)://).
        webcal_url=new_url and "webcal://" + new_url.split("://", 1)[1],
    )
    return private_page(html, status)


@bp.get("/<int:participant_id>/calendar")
@login_required
def calendar_page(participant_id: int):
    return _page(my_participant(participant_id))


@bp.get("/<int:participant_id>/agenda.ics")
@login_required
def calendar_ics(participant_id: int):
    participant = my_participant(participant_id)
    response = calendar_response(participant_document(participant, str(get_locale())), "private, no-store")
    filename = f"agenda-{participant.fair.slug}.ics"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.post("/<int:participant_id>/calendar/token")
@login_required
def calendar_token(participant_id: int):
    participant = my_participant(participant_id)
    token = regenerate_participant_feed(participant, current_user)
    db.session.commit()
    # Shown once, in this response only: the token is stored as a hash and cannot be shown again.
    return _page(participant, new_url=url_for("public.calendar_feed", token=token, _external=True))


@bp.post("/<int:participant_id>/calendar/token/revoke")
@login_required
def calendar_token_revoke(participant_id: int):
    participant = my_participant(participant_id)
    revoke_participant_feeds(participant)
    db.session.commit()
    return _page(participant)
