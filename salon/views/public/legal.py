"""A fair's legal notice, privacy policy and accessibility statement (RGAA template headings)."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select

from salon.extensions import db
from salon.models import Fair, LegalPage
from salon.models.dayof import LEGAL_KINDS
from salon.views.public import bp


@bp.get("/fairs/<slug>/legal/<kind>")
def legal_page(slug: str, kind: str):
    if kind not in LEGAL_KINDS:
        abort(404)
    fair = db.session.scalar(select(Fair).where(Fair.slug == slug))
    if fair is None or fair.phase == "draft":
        abort(404)
    page = db.session.scalar(select(LegalPage).where(LegalPage.fair_id == fair.id, LegalPage.kind == kind))
    return render_template("public/legal.html", fair=fair, kind=kind, body=page.body if page else "")
