"""When the organisation cannot meet, and who attends."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from salon.extensions import db
from salon.forms.participant import AttendeeForm, AvailabilityForm, availability_form
from salon.models import Participant
from salon.services import DomainError, availability
from salon.views.participant import bp
from salon.views.participant.common import attach_error, my_participant


def _render(participant: Participant, form: AvailabilityForm, attendee_form: AttendeeForm, status: int = 200):  # noqa: ANN202
    return render_template(
        "participant/availability.html",
        participant=participant,
        form=form,
        attendee_form=attendee_form,
        editable=availability.availability_open(participant),
        closed_reason=availability.closed_reason(participant),
    ), status


@bp.route("/<int:participant_id>/availability", methods=["GET", "POST"])
@login_required
def availability_page(participant_id: int):
    participant = my_participant(participant_id)
    if request.method == "GET":
        return _render(participant, availability_form(participant), AttendeeForm(formdata=None))
    form = availability_form(participant, request.form)
    if form.validate_on_submit():
        try:
            availability.set_unavailability(
                participant, form.slots.data or [], form.sessions.data or [], by=current_user
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error, "slots")
        else:
            db.session.commit()
            flash(_("Your availability is saved."), "success")
            return redirect(url_for("participant.availability_page", participant_id=participant.id))
    return _render(participant, form, AttendeeForm(formdata=None), 422)


@bp.post("/<int:participant_id>/attendees")
@login_required
def add_attendee(participant_id: int):
    participant = my_participant(participant_id)
    form = AttendeeForm()
    if form.validate_on_submit():
        try:
            availability.add_attendee(
                participant,
                form.full_name.data,
                form.job_title.data or "",
                form.email.data or "",
                form.phone.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error, "full_name")
        else:
            db.session.commit()
            flash(_("The person is added."), "success")
            return redirect(
                url_for("participant.availability_page", participant_id=participant.id) + "#people"
            )
    return _render(participant, availability_form(participant), form, 422)


@bp.post("/<int:participant_id>/attendees/<int:attendee_id>/delete")
@login_required
def remove_attendee(participant_id: int, attendee_id: int):
    participant = my_participant(participant_id)
    if attendee_id not in {a.id for a in participant.attendees}:
        abort(404)
    try:
        availability.remove_attendee(participant, attendee_id)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The person is removed."), "success")
    return redirect(url_for("participant.availability_page", participant_id=participant.id) + "#people")
