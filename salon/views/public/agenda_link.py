"""The agenda link of the "agenda published" e-mail: the agenda, read-only, without signing in.

The token is the secret (salon.services.agenda_links)."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import get_locale

from salon.extensions import limiter
from salon.services.agenda_links import participant_from_agenda_token
from salon.services.calendar_cache import participant_document
from salon.views.participant.agenda import VISIBLE_PHASES, agenda_lines
from salon.views.public import bp
from salon.views.responses import calendar_response, private_page

SECRET_LINK = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


def _participant(token: str):  # noqa: ANN202
    participant = participant_from_agenda_token(token)
    if participant is None:
        abort(404)
    return participant


@bp.get("/agenda/<token>")
@limiter.limit("60 per minute")
def agenda_link(token: str):
    participant = _participant(token)
    fair = participant.fair
    published = fair.phase in VISIBLE_PHASES
    lines = agenda_lines(participant) if published else []
    html = render_template(
        "public/agenda.html",
        participant=participant,
        fair=fair,
        published=published,
        active=[line for line in lines if line.meeting.is_active],
        cancelled=[line for line in lines if not line.meeting.is_active],
        token=token,
        sign_in=url_for("auth.login", next=url_for("participant.agenda", participant_id=participant.id)),
    )
    response = private_page(html)
    response.headers.update(SECRET_LINK)
    return response


@bp.get("/agenda/<token>.ics")
@limiter.limit("60 per minute")
def agenda_link_ics(token: str):
    participant = _participant(token)
    if participant.fair.phase not in VISIBLE_PHASES:
        abort(404)
    response = calendar_response(participant_document(participant, str(get_locale())), "private, no-store")
    response.headers["Content-Disposition"] = f'attachment; filename="agenda-{participant.fair.slug}.ics"'
    response.headers.update(SECRET_LINK)
    return response
