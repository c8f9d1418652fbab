"""Participant's landing page: the fairs they take part in."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from salon.auth import participants_of_user
from salon.views.participant import bp


@bp.get("/")
@login_required
def home():
    return render_template("participant/home.html", participants=participants_of_user(current_user))
