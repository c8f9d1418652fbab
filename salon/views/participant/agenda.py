"""My agenda once the schedule is published: meetings, counterparts, free slots, calendar links."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.routing import BuildError

from salon.extensions import db, limiter
from salon.models import Meeting, Participant, Slot
from salon.services.printouts import participant_agenda
from salon.views.participant import bp
from salon.views.participant.common import my_participant
from salon.views.responses import private_download

VISIBLE_PHASES = ("published", "closed")
CALENDAR_ENDPOINTS = ("participant.calendar_download", "participant.calendar_ics")
FEED_ENDPOINTS = ("participant.calendar_page", "participant.calendar_feed")


@dataclass
class AgendaLine:
    """A meeting seen by one participant."""

    meeting: Meeting
    counterpart: Participant


def agenda_lines(participant: Participant) -> list[AgendaLine]:
    """Return the participant's meetings (cancelled ones too) in time order, each with its counterpart."""
    # Slot, table, both participants and their organisations in the same rows; attendees in one more
    # query per side: the page costs the same number of queries however many meetings it lists.
    sides = [
        joinedload(side).options(joinedload(Participant.organisation), selectinload(Participant.attendees))
        for side in (Meeting.participant_a, Meeting.participant_b)
    ]
    meetings = db.session.scalars(
        select(Meeting)
        .join(Slot, Slot.id == Meeting.slot_id)
        .options(joinedload(Meeting.slot), joinedload(Meeting.table), *sides)
        .where(
            Meeting.fair_id == participant.fair_id,
            or_(Meeting.participant_a_id == participant.id, Meeting.participant_b_id == participant.id),
        )
        .order_by(Slot.starts_at)
    ).all()
    return [
        AgendaLine(m, m.participant_b if m.participant_a_id == participant.id else m.participant_a)
        for m in meetings
    ]


def _fair_slots(participant: Participant) -> list[Slot]:
    """Return the fair's slots in time order, with their sessions (named in the free-slot list)."""
    query = select(Slot).options(joinedload(Slot.session)).where(Slot.fair_id == participant.fair_id)
    return list(db.session.scalars(query.order_by(Slot.starts_at, Slot.id)))


def _link(endpoints: tuple[str, ...], participant: Participant) -> str | None:
    """Return the first of these endpoints' URL that exists (the calendar area provides them)."""
    for endpoint in endpoints:
        if endpoint in current_app.view_functions:
            try:
                return url_for(endpoint, participant_id=participant.id)
            except BuildError:  # a route with other arguments: no link from here
                pass
    return None


@bp.get("/<int:participant_id>/agenda")
@login_required
def agenda(participant_id: int):
    participant = my_participant(participant_id)
    fair = participant.fair
    published = fair.phase in VISIBLE_PHASES
    lines = agenda_lines(participant) if published else []
    active = [line for line in lines if line.meeting.is_active]
    busy = {line.meeting.slot_id for line in active}
    unavailable = {s.id for s in participant.unavailable_slots}
    free = [s for s in _fair_slots(participant) if s.id not in busy and s.id not in unavailable]
    return render_template(
        "participant/agenda.html",
        participant=participant,
        fair=fair,
        published=published,
        active=active,
        cancelled=[line for line in lines if line.meeting.status == "cancelled"],
        missed=[line for line in lines if line.meeting.status == "no_show"],  # marked absent on the day
        free=free,
        several_days=len({s.day for s in fair.sessions}) > 1,  # then each free slot says its day
        calendar_url=_link(CALENDAR_ENDPOINTS, participant),
        feed_url=_link(FEED_ENDPOINTS, participant),
    )


def _signed_in_key() -> str:
    """Limit each account on its own (many participants share the fair's Wi-Fi address)."""
    return f"user-{current_user.get_id()}"


@bp.get("/<int:participant_id>/agenda.pdf")
@login_required
@limiter.limit("20 per minute", key_func=_signed_in_key, scope="agenda-pdf")  # each PDF costs some CPU
def agenda_pdf(participant_id: int):
    participant = my_participant(participant_id)
    fair = participant.fair
    if fair.phase not in VISIBLE_PHASES:
        flash(_("Your agenda appears here once the organiser publishes the schedule."), "info")
        return redirect(url_for("participant.agenda", participant_id=participant.id), 303)
    printout = participant_agenda(participant)
    return private_download(printout.pdf, f"agenda-{fair.slug}.pdf", "application/pdf")
