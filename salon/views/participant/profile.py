"""The organisation's profile as a participant of a fair."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from salon import domain
from salon.extensions import db
from salon.forms.participant import ProfileForm
from salon.services import DomainError, profiles
from salon.views.participant import bp
from salon.views.participant.common import attach_error, my_participant


@bp.route("/<int:participant_id>/profile", methods=["GET", "POST"])
@login_required
def profile(participant_id: int):
    participant = my_participant(participant_id)
    org = participant.organisation
    form = ProfileForm(obj=org)
    if request.method == "GET":
        form.siret.data = org.siret or ""
    if form.validate_on_submit():
        try:
            profiles.update_participant_profile(
                participant, current_user, **form.profile_data(participant.side)
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("participant.profile", participant_id=participant.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "participant/profile.html", participant=participant, form=form, domain=domain
    ), status
