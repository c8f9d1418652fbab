"""The organiser after the doors open: messages, funders' report, legal pages, board link."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.models import LegalPage
from salon.models.dayof import LEGAL_KINDS
from salon.models.organisation import STRUCTURE_TYPES
from salon.services import DomainError
from salon.services.board import board_token, renew_board_key
from salon.services.funders_labels import column_labels, group_label, report_labels
from salon.services.funders_report import compute_figures, report_csv, report_pdf, report_xlsx
from salon.services.reminders import send_organiser_message
from salon.views.organiser import bp


@bp.route("/fairs/<int:fair_id>/day/message", methods=["GET", "POST"])
@login_required
def day_message(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    form = {k: request.form.get(k, "") for k in ("subject", "body", "side", "structure_type", "checked_in")}
    if request.method == "POST":
        filters = {k: form[k] for k in ("side", "structure_type", "checked_in")}
        try:
            count = send_organiser_message(fair, form["subject"], form["body"], **filters)
        except DomainError as exc:
            db.session.rollback()
            return render_template(
                "organiser/dayof/message.html", fair=fair, form=form, error=exc, types=STRUCTURE_TYPES
            ), 422
        db.session.commit()
        flash(_("Message queued for %(count)s people.", count=count), "success")
        return redirect(url_for("organiser.day_message", fair_id=fair.id), 303)
    return render_template(
        "organiser/dayof/message.html", fair=fair, form=form, error=None, types=STRUCTURE_TYPES
    )


def _report_context(fair) -> dict:  # noqa: ANN001
    """Return what the report's page and PDF show: the figures and their words."""
    return {
        "fair": fair,
        "figures": compute_figures(fair),
        "labels": report_labels(),
        "columns": column_labels(),
        "group_label": group_label,
    }


@bp.get("/fairs/<int:fair_id>/report")
@login_required
def funders_report(fair_id: int):
    return render_template("organiser/dayof/report.html", **_report_context(organiser_fair_or_404(fair_id)))


@bp.get("/fairs/<int:fair_id>/report.<fmt>")
@login_required
def funders_report_file(fair_id: int, fmt: str):
    fair = organiser_fair_or_404(fair_id)
    context = _report_context(fair)
    name = f"salon-{fair.slug}-bilan"
    if fmt == "csv":
        body, mime = report_csv(context["figures"]).encode("utf-8-sig"), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = report_xlsx(context["figures"])
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "pdf":
        html = render_template("dayof/report_pdf.html", **context)
        body, mime = report_pdf(html, request.url_root), "application/pdf"
    else:
        return Response(status=404)
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    return Response(body, mimetype=mime, headers=headers)


@bp.route("/fairs/<int:fair_id>/legal/<kind>", methods=["GET", "POST"])
@login_required
def legal_edit(fair_id: int, kind: str):
    fair = organiser_fair_or_404(fair_id)
    if kind not in LEGAL_KINDS:
        return Response(status=404)
    page = db.session.scalar(select(LegalPage).where(LegalPage.fair_id == fair.id, LegalPage.kind == kind))
    if request.method == "POST":
        body = request.form.get("body", "")
        if len(body) > 100_000:
            flash(_("This text is too long."), "error")
            return render_template(
                "organiser/dayof/legal.html", fair=fair, kind=kind, body=body, kinds=LEGAL_KINDS
            ), 422
        if page is None:
            page = LegalPage(fair_id=fair.id, kind=kind)
            db.session.add(page)
        page.body = body
        db.session.commit()
        flash(_("Page saved."), "success")
        return redirect(url_for("organiser.legal_edit", fair_id=fair.id, kind=kind), 303)
    return render_template(
        "organiser/dayof/legal.html", fair=fair, kind=kind, body=page.body if page else "", kinds=LEGAL_KINDS
    )


@bp.get("/fairs/<int:fair_id>/board")
@login_required
def board_link(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    url = url_for("public.board", token=board_token(fair), _external=True)
    return render_template("organiser/dayof/board_link.html", fair=fair, url=url)


@bp.post("/fairs/<int:fair_id>/board/renew")
@login_required
def board_renew(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    renew_board_key(fair)
    db.session.commit()
    flash(_("The board has a new address; the previous one no longer works."), "success")
    return redirect(url_for("organiser.board_link", fair_id=fair.id), code=303)
