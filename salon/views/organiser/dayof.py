"""The organiser on the day: check-in desk, presence, meeting status, waiting list, walk-ins."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.models import Attendee, MeetingTable, Participant, Slot
from salon.models.base import utcnow
from salon.services import DomainError
from salon.services.checkin import (
    attendee_from_token,
    attendee_of_fair_or_none,
    attendees_of_fair,
    check_in,
    search_attendees,
)
from salon.services.meeting_status import mark_meeting, meeting_of_fair_or_none, meetings_of_slot
from salon.services.waiting_list import (
    Proposal,
    accept_replacement,
    book_walk_in,
    free_tables,
    propose_replacements,
    slot_state,
)
from salon.text import fold
from salon.views.organiser import bp


def current_slot(slots: list[Slot], now: datetime) -> Slot | None:
    """Return the slot under way, else the next one, else the last."""
    for slot in slots:
        if now < slot.ends_at:
            return slot
    return slots[-1] if slots else None


def _slot_or_404(fair, slot_id: int) -> Slot:
    slot = db.session.get(Slot, slot_id)
    if slot is None or slot.fair_id != fair.id:
        abort(404)
    return slot


@bp.get("/fairs/<int:fair_id>/day")
@login_required
def day(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    query = request.args.get("q", "")
    found = search_attendees(fair, query) if query else []
    slot = current_slot(list(fair.slots), utcnow())
    return render_template(
        "organiser/dayof/day.html",
        fair=fair,
        query=query,
        found=found,
        slot=slot,
        people=attendees_of_fair(fair),
    )


@bp.get("/fairs/<int:fair_id>/day/presence")
@login_required
def presence(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    return render_template("organiser/dayof/_presence.html", fair=fair, people=attendees_of_fair(fair))


@bp.get("/fairs/<int:fair_id>/checkin/t/<token>")
@login_required
def scanned(fair_id: int, token: str):
    fair = organiser_fair_or_404(fair_id)
    try:
        attendee = attendee_from_token(fair, token)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("organiser.day", fair_id=fair.id))
    return render_template("organiser/dayof/scanned.html", fair=fair, attendee=attendee)


@bp.post("/fairs/<int:fair_id>/checkin")
@login_required
def do_check_in(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    try:
        attendee = _attendee_from_form(fair)
        check_in(attendee)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("organiser.day", fair_id=fair.id, q=request.form.get("q", "")), 303)
    db.session.commit()
    flash(_("%(name)s is checked in.", name=attendee.full_name), "success")
    return redirect(url_for("organiser.day", fair_id=fair.id), 303)


def _attendee_from_form(fair) -> Attendee:
    token = request.form.get("token", "").strip()
    if token:
        return attendee_from_token(fair, token)
    attendee = attendee_of_fair_or_none(fair, request.form.get("attendee_id", type=int))
    if attendee is None:
        raise DomainError(_("Scan a badge or choose a person."), "token")
    return attendee


@bp.get("/fairs/<int:fair_id>/day/slots/<int:slot_id>")
@login_required
def slot_view(fair_id: int, slot_id: int):
    fair = organiser_fair_or_404(fair_id)
    slot = _slot_or_404(fair, slot_id)
    try:
        proposals = propose_replacements(fair, slot)
    except DomainError as exc:
        proposals = []
        flash(exc.message, "error")
    names = {p.id: p.organisation.name for p in db.session.query(Participant).filter_by(fair_id=fair.id)}
    tables = {t.id: t.name for t in fair.tables}
    meetings = meetings_of_slot(fair, slot.id)
    return render_template(
        "organiser/dayof/slot.html",
        fair=fair,
        slot=slot,
        meetings=meetings,
        proposals=proposals,
        names=names,
        tables=tables,
        free=free_tables(fair, slot),
        present=_present_participants(fair, slot_state(fair, slot).busy_people),
    )


def _present_participants(fair, busy: set[int]) -> list[Participant]:  # noqa: ANN001
    """Return the checked-in participants free at the slot, by name: who can take a walk-in meeting."""
    from salon.services.checkin import present_participant_ids

    ids = present_participant_ids(fair) - busy
    rows = db.session.query(Participant).filter(Participant.id.in_(ids)).all() if ids else []
    return sorted(rows, key=lambda p: fold(p.organisation.name))


@bp.post("/fairs/<int:fair_id>/day/meetings/<int:meeting_id>/status")
@login_required
def set_status(fair_id: int, meeting_id: int):
    fair = organiser_fair_or_404(fair_id)
    status = request.form.get("status", "")
    absent = request.form.get("absent", type=int)
    if status == "cancelled":  # cancelling cannot be undone: confirm it first
        return redirect(url_for("organiser.meeting_cancel", fair_id=fair.id, meeting_id=meeting_id), 303)
    try:
        meeting = mark_meeting(fair, meeting_id, status, absent_participant_id=absent)
    except DomainError as exc:
        db.session.rollback()
        if exc.field == "meeting":
            abort(404)
        flash(exc.message, "error")
        meeting = meeting_of_fair_or_none(fair, meeting_id)  # back to the slot the organiser was marking
        return redirect(url_for("organiser.slot_view", fair_id=fair.id, slot_id=meeting.slot_id), 303)
    db.session.commit()
    flash(_("Meeting marked."), "success")
    return redirect(url_for("organiser.slot_view", fair_id=fair.id, slot_id=meeting.slot_id), 303)


@bp.post("/fairs/<int:fair_id>/day/slots/<int:slot_id>/accept")
@login_required
def accept(fair_id: int, slot_id: int):
    fair = organiser_fair_or_404(fair_id)
    slot = _slot_or_404(fair, slot_id)
    a, b, table = (request.form.get(k, type=int) for k in ("a", "b", "table"))
    if not (a and b and table):
        abort(400)
    try:
        accept_replacement(fair, Proposal(min(a, b), max(a, b), slot.id, table, 0))
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("organiser.slot_view", fair_id=fair.id, slot_id=slot.id), 303)
    db.session.commit()
    flash(_("Replacement booked; both participants are notified."), "success")
    return redirect(url_for("organiser.slot_view", fair_id=fair.id, slot_id=slot.id), 303)


@bp.post("/fairs/<int:fair_id>/day/slots/<int:slot_id>/walk-in")
@login_required
def walk_in(fair_id: int, slot_id: int):
    fair = organiser_fair_or_404(fair_id)
    slot = _slot_or_404(fair, slot_id)
    a, b, table_id = (request.form.get(k, type=int) for k in ("a", "b", "table"))
    table = db.session.get(MeetingTable, table_id) if table_id else None
    try:
        if table is None or not a or not b:
            raise DomainError(_("Choose two participants and a table."), "table")
        book_walk_in(fair, a, b, slot, table)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("organiser.slot_view", fair_id=fair.id, slot_id=slot.id), 303)
    db.session.commit()
    flash(_("Walk-in meeting booked."), "success")
    return redirect(url_for("organiser.slot_view", fair_id=fair.id, slot_id=slot.id), 303)
