"""The participant after the fair (outcome form by signed link) and on the day (mark own meeting)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import login_required

from salon.auth import participant_or_404
from salon.extensions import db
from salon.forms import parse_id
from salon.models.dayof import OUTCOMES
from salon.services import DomainError, NotAllowed
from salon.services.meeting_status import mark_meeting, meeting_of_fair_or_none
from salon.services.outcomes import (
    held_meetings,
    outcomes_of,
    parse_amount,
    participant_from_outcome_token,
    record_outcome,
)
from salon.services.waiting_list import Proposal, accept_replacement
from salon.views.participant import bp


def _form_page(token: str, participant, errors: dict, status: int = 200):
    meetings = held_meetings(participant)
    others = {
        m.id: (m.participant_a if m.participant_b_id == participant.id else m.participant_b) for m in meetings
    }
    shown = _recorded_answers(participant) if not errors else _submitted_answers(meetings)
    return render_template("participant/outcomes.html", token=token, participant=participant,
                           meetings=meetings, others=others, shown=shown, outcomes=OUTCOMES,
                           errors=errors), status  # fmt: skip


def _recorded_answers(participant) -> dict[int, tuple[str, str]]:  # noqa: ANN001
    """Return each recorded outcome and its amount as the page's language writes it (1200,50 in French)."""
    return {
        meeting_id: (row.outcome, "" if row.amount_eur is None else format_decimal(row.amount_eur, "0.00"))
        for meeting_id, row in outcomes_of(participant).items()
    }


def _submitted_answers(meetings) -> dict[int, tuple[str, str]]:  # noqa: ANN001
    """Return what was typed, so that a refused form comes back as the person filled it."""
    return {
        m.id: (request.form.get(f"outcome-{m.id}", ""), request.form.get(f"amount-{m.id}", ""))
        for m in meetings
    }


@bp.route("/outcomes/<token>", methods=["GET", "POST"])
def outcome_form(token: str):
    try:
        participant = participant_from_outcome_token(token)
    except NotAllowed as exc:
        return render_template("participant/outcome_expired.html", message=exc.message), 410
    except DomainError:
        abort(404)
    if request.method == "GET":
        return _form_page(token, participant, {})
    errors = {}
    for meeting in held_meetings(participant):
        choice = request.form.get(f"outcome-{meeting.id}", "")
        if not choice:
            continue
        try:
            record_outcome(
                participant, meeting.id, choice, parse_amount(request.form.get(f"amount-{meeting.id}"))
            )
        except DomainError as exc:
            errors[meeting.id] = exc.message
    if errors:
        db.session.rollback()
        return _form_page(token, participant, errors, 422)
    db.session.commit()
    flash(_("Thank you: your answers are saved."), "success")
    return redirect(url_for("participant.outcome_form", token=token), 303)


@bp.post("/<int:participant_id>/meetings/<int:meeting_id>/status")
@login_required
def mark_own_meeting(participant_id: int, meeting_id: int):
    participant = participant_or_404(participant_id)
    status = request.form.get("status", "")
    if status == "cancelled":  # cancelling cannot be undone: confirm it first
        back = safe_next(request.form.get("next"))
        target = url_for(
            "participant.cancel_own_meeting", participant_id=participant.id, meeting_id=meeting_id
        )
        return redirect(target + (f"?{urlencode({'next': back})}" if back else ""), 303)
    absent = _absent_id(participant, meeting_id, request.form.get("absent", ""))
    try:
        mark_meeting(
            participant.fair, meeting_id, status, absent_participant_id=absent, by_participant=participant
        )
    except DomainError as exc:
        db.session.rollback()
        if exc.field == "meeting":
            abort(404)
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Meeting marked."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("participant.home"), 303)


@bp.route("/<int:participant_id>/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_own_meeting(participant_id: int, meeting_id: int):
    participant = participant_or_404(participant_id)
    meeting = meeting_of_fair_or_none(participant.fair, meeting_id)
    if meeting is None or participant.id not in (meeting.participant_a_id, meeting.participant_b_id):
        abort(404)
    agenda = url_for("participant.agenda", participant_id=participant.id)
    back = safe_next(request.values.get("next")) or agenda
    if request.method == "POST":
        try:
            mark_meeting(participant.fair, meeting.id, "cancelled", by_participant=participant)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Meeting cancelled: the other organisation is told."), "success")
        return redirect(back, 303)
    other = meeting.participant_a if meeting.participant_b_id == participant.id else meeting.participant_b
    return render_template("participant/cancel_meeting.html", participant=participant, fair=participant.fair,
                           meeting=meeting, other=other, back=back)  # fmt: skip


def _absent_id(participant, meeting_id: int, absent: str) -> int | None:
    """Read who was absent: "me", "other" (the counterpart) or a participant id."""
    if absent == "me":
        return participant.id
    if absent == "other":
        meeting = meeting_of_fair_or_none(participant.fair, meeting_id)
        return meeting.other(participant.id) if meeting is not None else None
    return parse_id(absent)


@bp.post("/<int:participant_id>/replacements/accept")
@login_required
def accept_own_replacement(participant_id: int):
    participant = participant_or_404(participant_id)
    fields = [request.form.get(k, type=int) for k in ("other", "slot", "table")]
    if not all(fields):
        abort(400)
    other, slot_id, table_id = fields
    a, b = sorted((participant.id, other))
    try:
        accept_replacement(participant.fair, Proposal(a, b, slot_id, table_id, 0), by_participant=participant)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Replacement booked; both participants are notified."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("participant.home"), 303)


def safe_next(target: str | None) -> str | None:
    """Return a same-site path to go back to, or None (no open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return None
