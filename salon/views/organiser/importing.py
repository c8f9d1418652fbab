"""Importing participants, step by step: upload, columns, values, check and import (or abandon).

The file is kept in the database between the steps (salon.services.import_uploads), so any web process
serves the next one. The column and value steps are in import_mapping.py.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms.organiser import ImportForm
from salon.models import Fair, ImportUpload
from salon.services import DomainError, import_reference, import_uploads
from salon.services.import_rows import unknown_values
from salon.services.import_table import MAX_ROWS
from salon.services.import_values import labels
from salon.services.importing import check_sheet, known_organisations, mapping_problems
from salon.views.organiser import bp
from salon.views.organiser.transfer import _fmt, download

PREVIEW_ROWS = 10


def upload_or_404(fair: Fair, upload_id: int) -> ImportUpload:
    """Return the fair's upload, or 404 (another fair's, or already imported or abandoned)."""
    upload = import_uploads.upload_of_fair_or_none(fair, upload_id)
    if upload is None:
        abort(404)
    return upload


@bp.route("/fairs/<int:fair_id>/import", methods=["GET", "POST"])
@login_required
def import_page(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    form = ImportForm()
    problems: list = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            started = import_uploads.start_upload(fair, current_user, upload.filename or "", upload.read())
        except DomainError as exc:
            db.session.rollback()
            problems = getattr(exc, "problems", [])
            form.file.errors = [*form.file.errors, exc.message]
        else:
            db.session.commit()
            return redirect(url_for("organiser.import_columns", fair_id=fair.id, upload_id=started.id), 303)
    status = 200 if request.method == "GET" else 422
    return render_template(
        "organiser/import.html",
        fair=fair,
        form=form,
        problems=problems,
        uploads=import_uploads.open_uploads(fair),
        headers=import_reference.accepted_headers(),
        values=import_reference.accepted_values(),
        regions=import_reference.regions(),
        max_rows=MAX_ROWS,
    ), status


@bp.get("/fairs/<int:fair_id>/import/template.<fmt>")
@login_required
def import_template(fair_id: int, fmt: str):
    organiser_fair_or_404(fair_id)
    return download(import_reference.template_bytes(_fmt(fmt)), f"modele-participants.{fmt}", fmt)


@bp.route("/fairs/<int:fair_id>/import/<int:upload_id>/check", methods=["GET", "POST"])
@login_required
def import_check(fair_id: int, upload_id: int):
    fair = organiser_fair_or_404(fair_id)
    upload = upload_or_404(fair, upload_id)
    sheet, mapping = import_uploads.sheet_of(upload), import_uploads.mapping_of(upload)
    if request.method == "GET" and mapping_problems(mapping):
        return redirect(url_for("organiser.import_columns", fair_id=fair.id, upload_id=upload.id))
    if request.method == "GET" and any(u.pick is None for u in unknown_values(sheet, mapping)):
        return redirect(url_for("organiser.import_values", fair_id=fair.id, upload_id=upload.id))
    problems: list = []
    planned: list = []
    message = None
    try:
        if request.method == "POST":
            created = import_uploads.finish_upload(fair, upload, current_user)
        else:
            planned = check_sheet(fair, sheet, mapping, known_organisations(fair, current_user))
    except DomainError as exc:
        db.session.rollback()
        if import_uploads.upload_of_fair_or_none(fair, upload_id) is None:  # imported by a concurrent request
            flash(exc.message, "error")
            return redirect(url_for("organiser.participants", fair_id=fair.id), 303)
        problems, message = getattr(exc, "problems", []), exc.message
    else:
        if request.method == "POST":
            db.session.commit()
            flash(
                ngettext("%(num)d participant imported.", "%(num)d participants imported.", len(created)),
                "success",
            )
            return redirect(url_for("organiser.participants", fair_id=fair.id), 303)
    return render_template(
        "organiser/import_check.html",
        fair=fair,
        upload=upload,
        problems=problems,
        message=message,
        planned=planned,
        preview=planned[:PREVIEW_ROWS],
        known=[p for p in planned if p.organisation is not None],
        labels={v: labels(v) for v in ("side", "structure_types", "sectors", "buyer_kind")},
    ), (422 if request.method == "POST" else 200)


@bp.post("/fairs/<int:fair_id>/import/<int:upload_id>/abandon")
@login_required
def import_abandon(fair_id: int, upload_id: int):
    fair = organiser_fair_or_404(fair_id)
    import_uploads.abandon_upload(upload_or_404(fair, upload_id))
    db.session.commit()
    flash(_("Import abandoned: the file was deleted."), "success")
    return redirect(url_for("organiser.import_page", fair_id=fair.id), 303)
