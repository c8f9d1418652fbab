"""Invitation links (to organise a fair, or to act for a participant): an account, then acceptance."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from salon.auth import sign_in
from salon.extensions import db, limiter
from salon.forms.auth import InvitedAccountForm
from salon.models import OrganiserInvitation
from salon.services import DomainError, NotAllowed, invitations
from salon.views.participant.common import attach_error
from salon.views.public import bp
from salon.views.public.register import register_limit


def _failed(error: DomainError):  # noqa: ANN202
    """Say why the link cannot be used (tampered, expired, used, withdrawn)."""
    return render_template("public/invitation_failed.html", message=error.message), 400


def _page(token: str, invitation: OrganiserInvitation, form: InvitedAccountForm, status: int = 200):  # noqa: ANN202
    has_account = invitations.address_has_account(invitation)
    if invitation.participant_id is not None and not form.full_name.data and not has_account:
        form.full_name.data = _contact_name(invitation)
    template = "public/participant_invitation.html" if invitation.participant_id else "public/invitation.html"
    return render_template(
        template, token=token, invitation=invitation, form=form, has_account=has_account
    ), status


def _contact_name(invitation: OrganiserInvitation) -> str:
    """Return the name the organisers gave for the invited address (the form starts with it)."""
    people = invitation.participant.attendees if invitation.participant else []
    return next((a.full_name for a in people if (a.email or "").lower() == invitation.email), "")


def _welcome(invitation: OrganiserInvitation):  # noqa: ANN202
    """Say the account acts for the participant now, and open its profile."""
    participant = invitation.participant
    flash(
        _(
            "Welcome: you act for %(name)s at %(fair)s. Check your profile, then say whom you wish to meet.",
            name=participant.organisation.name,
            fair=invitation.fair.name,
        ),
        "success",
    )
    return redirect(url_for("participant.profile", participant_id=participant.id)), 303


@bp.get(invitations.INVITATION_PATH + "<token>")
def invitation(token: str):
    try:
        found = invitations.invitation_from_token(token)
    except DomainError as error:
        return _failed(error)
    return _page(token, found, InvitedAccountForm(formdata=None))


@bp.post(invitations.INVITATION_PATH + "<token>/account")
# Accounts created per address, counted with the registration's (refused forms do not count).
@limiter.limit(register_limit, methods=["POST"], deduct_when=lambda r: r.status_code == 303, scope="register")
def invitation_account(token: str):
    if current_user.is_authenticated:
        return redirect(url_for("public.invitation", token=token)), 303
    try:
        found = invitations.invitation_from_token(token)
    except DomainError as error:
        return _failed(error)
    form = InvitedAccountForm()
    if form.validate_on_submit():
        try:
            user = invitations.create_invited_account(found, form.full_name.data, form.password.data)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            sign_in(user)  # commits
            if found.participant_id is not None:
                return _welcome(found)
            flash(_("Your account is created: you can accept the invitation now."), "success")
            return redirect(url_for("public.invitation", token=token)), 303
    return _page(token, found, form, 422)


@bp.post(invitations.INVITATION_PATH + "<token>/accept")
def invitation_accept(token: str):
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=url_for("public.invitation", token=token)))
    try:
        found = invitations.invitation_from_token(token)
    except DomainError as error:
        return _failed(error)
    try:
        membership = invitations.accept(found, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _page(
            token, found, InvitedAccountForm(formdata=None), 403 if isinstance(error, NotAllowed) else 409
        )
    db.session.commit()
    if membership is None:
        return _welcome(found)
    flash(_("You organise %(fair)s now.", fair=membership.fair.name), "success")
    return redirect(url_for("organiser.dashboard", fair_id=membership.fair_id)), 303
