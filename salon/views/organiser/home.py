"""Organiser's landing page: the fairs they belong to."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from salon.extensions import db
from salon.models import Fair, OrganiserMembership
from salon.views.organiser import bp


@bp.get("/")
@login_required
def home():
    fairs = db.session.scalars(
        select(Fair)
        .join(OrganiserMembership)
        .where(OrganiserMembership.user_id == current_user.id)
        .order_by(Fair.created_at.desc())
    ).all()
    return render_template("organiser/home.html", fairs=fairs)
