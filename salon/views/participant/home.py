"""Participant's landing page: the fairs they take part in, and the account's own data."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from salon.auth import participants_of_user
from salon.extensions import db, limiter
from salon.forms.registration import ResendConfirmationForm
from salon.services import participant_access, registration
from salon.views.participant import bp


@bp.get("/")
@login_required
def home():
    return render_template(
        "participant/home.html",
        participants=participants_of_user(current_user),
        claims=participant_access.claims_of(current_user),
        resend_form=ResendConfirmationForm(),
    )


@bp.post("/confirm/resend")
@limiter.limit("5 per hour", scope="confirm-resend")
@login_required
def resend_confirmation():
    form = ResendConfirmationForm()
    if form.validate_on_submit() and current_user.email_confirmed_at is None:
        registration.send_confirmation(current_user)
        db.session.commit()
        flash(_("We sent the confirmation link again."), "success")
    return redirect(url_for("participant.home"))
