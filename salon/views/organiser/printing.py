"""Printouts: per-table sheets and all agendas as PDF."""

from __future__ import annotations

from flask_login import login_required

from salon.auth import organiser_fair_or_404
from salon.services import printouts
from salon.views.organiser import bp
from salon.views.responses import private_download


@bp.get("/fairs/<int:fair_id>/print/tables.pdf")
@login_required
def print_tables(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    return private_download(printouts.tables_pdf(fair), f"{fair.slug}-tables.pdf", "application/pdf")


@bp.get("/fairs/<int:fair_id>/print/agendas.pdf")
@login_required
def print_agendas(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    return private_download(printouts.agendas_pdf(fair), f"{fair.slug}-agendas.pdf", "application/pdf")
