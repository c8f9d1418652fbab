"""Sign in and sign out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from salon import login_limits
from salon.auth import home_for, sign_in
from salon.extensions import db
from salon.forms.auth import LoginForm
from salon.services import accounts
from salon.views.public.home import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        attempt = login_limits.begin(form.email.data)  # 429 past the limits, before any password check
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong e-mail address or password."))
        else:
            sign_in(user)
            attempt.succeeded()
            response = redirect(safe_next(request.args.get("next"), home_for(user)))
            login_limits.remember_device(response, user.email)
            return response
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" else 400


@bp.post("/logout")
@login_required
def logout():
    accounts.end_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("public.index"))


from salon.views import password  # noqa: E402,F401  (its routes belong to this blueprint)
