"""Forgotten password (a reset link by e-mail) and password change."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from salon.auth import home_for, sign_in
from salon.extensions import db, limiter
from salon.forms.auth import ChangePasswordForm, ForgotPasswordForm, NewPasswordForm
from salon.services import DomainError, accounts, password_reset
from salon.views.auth import bp
from salon.views.participant.common import attach_error

# Reset requests per client address and per address asked for; every request counts, found or not.
RESET_LIMIT_ADDRESS = "10 per hour; 50 per day"
RESET_LIMIT_ACCOUNT = "3 per hour"


def reset_address_limit() -> str:
    """Return the configured limit of reset requests per client address."""
    relaxed = "1000 per hour" if current_app.testing else RESET_LIMIT_ADDRESS
    return current_app.config.get("SALON_RESET_LIMIT_ADDRESS", relaxed)


def reset_account_limit() -> str:
    """Return the configured limit of reset requests per e-mail address asked for."""
    relaxed = "1000 per hour" if current_app.testing else RESET_LIMIT_ACCOUNT
    return current_app.config.get("SALON_RESET_LIMIT_ACCOUNT", relaxed)


def reset_account_key() -> str:
    """Return the rate-limit key of the address named in the form (normalised)."""
    return "reset:" + accounts.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(reset_address_limit, methods=["POST"], scope="reset-address")
@limiter.limit(reset_account_limit, key_func=reset_account_key, methods=["POST"], scope="reset-account")
def password_forgot():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_reset.request_reset(form.email.data)
        db.session.commit()
        # The same page whether or not an account uses the address.
        return render_template("auth/password_sent.html", email=form.email.data)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/password_forgot.html", form=form), status


def _reset_failed(error: DomainError):  # noqa: ANN202
    return render_template("auth/password_link_failed.html", message=error.message), 400


@bp.route(password_reset.RESET_PATH + "<token>", methods=["GET", "POST"])
def password_reset_page(token: str):
    try:
        user = password_reset.user_from_token(token)
    except DomainError as error:
        return _reset_failed(error)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.reset_password(token, form.password.data)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error, "password")
        else:
            sign_in(user)  # commits; every other session of the account is dead (new nonce)
            flash(_("Your password is changed; your other sessions are signed out."), "success")
            return redirect(home_for(user)), 303
    status = 422 if request.method == "POST" else 200
    return render_template("auth/password_reset.html", form=form, user=user), status


@bp.route("/account/password", methods=["GET", "POST"])
# Wrong current passwords count like failed sign-ins: the form must not become a way to guess.
@limiter.limit(
    "10 per 15 minutes", methods=["POST"], deduct_when=lambda r: r.status_code == 422, scope="password-change"
)
@login_required
def password_change():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if accounts.authenticate(current_user.email, form.current_password.data) is None:
            form.current_password.errors = [*form.current_password.errors, _("Wrong password.")]
        else:
            try:
                accounts.set_password(current_user, form.password.data)
            except DomainError as error:
                db.session.rollback()
                attach_error(form, error, "password")
            else:
                sign_in(current_user._get_current_object())  # this browser stays in; the others are out
                flash(_("Your password is changed; your other sessions are signed out."), "success")
                return redirect(url_for("participant.home")), 303
    status = 422 if request.method == "POST" else 200
    return render_template("auth/password_change.html", form=form), status
