"""The public page of a fair: what, where, when, deadlines, who is registered, how to take part."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from salon import domain
from salon.extensions import db
from salon.models import Fair, Participant
from salon.services.registration import registration_open
from salon.services.wishes import wishes_open
from salon.views.public import bp


def public_fair_or_404(slug: str) -> Fair:
    """Return a fair that is no longer a draft; 404 otherwise."""
    fair = db.session.scalar(select(Fair).where(Fair.slug == slug))
    if fair is None or fair.phase == "draft":
        abort(404)
    return fair


@bp.get("/fairs/<slug>")
def fair(slug: str):
    fair = public_fair_or_404(slug)
    registered = db.session.scalars(
        select(Participant)
        .where(Participant.fair_id == fair.id, Participant.status == "approved")
        .options(selectinload(Participant.organisation))
    ).all()
    registered = sorted(registered, key=lambda p: p.organisation.name.lower())
    return render_template(
        "public/fair.html",
        fair=fair,
        buyers=[p for p in registered if p.side == "buyer"],
        suppliers=[p for p in registered if p.side == "supplier"],
        registration_open=registration_open(fair),
        wishes_open=wishes_open(fair),
        domain=domain,
    )
