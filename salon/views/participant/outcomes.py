"""The participant after the fair (outcome form by signed link) and on the day (mark own meeting)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from salon.auth import participant_or_404
from salon.extensions import db
from salon.models.dayof import OUTCOMES
from salon.services import DomainError, NotAllowed
from salon.services.meeting_status import mark_meeting
from salon.services.outcomes import (
    held_meetings,
    outcomes_of,
    parse_amount,
    participant_from_outcome_token,
    record_outcome,
)
from salon.views.participant import bp


def _form_page(token: str, participant, errors: dict, status: int = 200):
    meetings = held_meetings(participant)
    others = {
        m.id: (m.participant_a if m.participant_b_id == participant.id else m.participant_b) for m in meetings
    }
    recorded = outcomes_of(participant)
    return render_template("participant/outcomes.html", token=token, participant=participant,
                           meetings=meetings, others=others, recorded=recorded, outcomes=OUTCOMES,
                           errors=errors), status  # fmt: skip


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
    absent = participant.id if status == "no_show" and request.form.get("absent") == "me" else None
    if status == "no_show" and absent is None:
        absent = request.form.get("absent", type=int)
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


def safe_next(target: str | None) -> str | None:
    """Return a same-site path to go back to, or None (no open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return None
