"""The account's own data: export as JSON, delete the account."""

from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from salon.extensions import db
from salon.forms.participant import DeleteAccountForm
from salon.services import accounts, own_data
from salon.views.participant import bp
from salon.views.responses import private_download


@bp.get("/account/data.json")
@login_required
def export_data():
    data = own_data.export_own_data(current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return private_download(body.encode("utf-8"), "salon-mes-donnees.json", "application/json")


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if accounts.authenticate(current_user.email, form.password.data) is None:
            form.password.errors = [*form.password.errors, _("Wrong password.")]
        else:
            own_data.delete_account(current_user)
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your account is deleted."), "info")
            return redirect(url_for("public.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("participant/delete_account.html", form=form), status
