"""Printouts: per-table sheets and all agendas as PDF."""

from __future__ import annotations

from flask import Response
from flask_login import login_required

from salon.auth import organiser_fair_or_404
from salon.services import printouts
from salon.views.organiser import bp


def _pdf(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/fairs/<int:fair_id>/print/tables.pdf")
@login_required
def print_tables(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    return _pdf(printouts.tables_pdf(fair), f"{fair.slug}-tables.pdf")


@bp.get("/fairs/<int:fair_id>/print/agendas.pdf")
@login_required
def print_agendas(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    return _pdf(printouts.agendas_pdf(fair), f"{fair.slug}-agendas.pdf")
