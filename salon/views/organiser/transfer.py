"""Import participants from CSV/XLSX; export participants, wishes and meetings."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms.organiser import ImportForm
from salon.services import DomainError, exporting, import_table, importing
from salon.views.organiser import bp
from salon.views.responses import private_download

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(data: bytes, filename: str, fmt: str) -> Response:
    """Return a private file download."""
    return private_download(data, filename, MIMETYPES.get(fmt, "application/octet-stream"))


def _fmt(fmt: str) -> str:
    if fmt not in MIMETYPES:
        abort(404)
    return fmt


@bp.route("/fairs/<int:fair_id>/import", methods=["GET", "POST"])
@login_required
def import_page(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            created = importing.import_participants(fair, upload.filename or "", upload.read())
        except DomainError as exc:  # ImportRejected lists every problem; others (closed fair) one message
            db.session.rollback()
            problems = getattr(exc, "problems", [])
            form.file.errors = [*form.file.errors, exc.message]
        else:
            db.session.commit()
            flash(_("%(n)d participants imported.", n=len(created)), "success")
            return redirect(url_for("organiser.participants", fair_id=fair.id))
    status = 200 if request.method == "GET" else 422
    return render_template("organiser/import.html", fair=fair, form=form, problems=problems), status


@bp.get("/fairs/<int:fair_id>/import/template.<fmt>")
@login_required
def import_template(fair_id: int, fmt: str):
    organiser_fair_or_404(fair_id)
    return download(import_table.template_bytes(_fmt(fmt)), f"modele-participants.{fmt}", fmt)


@bp.get("/fairs/<int:fair_id>/export/<what>.<fmt>")
@login_required
def export(fair_id: int, what: str, fmt: str):
    fair = organiser_fair_or_404(fair_id)
    tables = {
        "participants": exporting.participants_table,
        "wishes": exporting.wishes_table,
        "meetings": exporting.meetings_table,
    }
    if what not in tables:
        abort(404)
    headers, rows = tables[what](fair)
    return download(exporting.table_bytes(headers, rows, _fmt(fmt), what), f"{fair.slug}-{what}.{fmt}", fmt)
