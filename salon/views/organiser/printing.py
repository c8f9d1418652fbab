"""Printouts: badges, all agendas and table sheets, built in the background, then downloaded."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from salon import print_jobs
from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms.printing import PrintForm
from salon.models import Fair, PrintBuild
from salon.models.printing import DOCUMENTS
from salon.services import DomainError, print_builds, printouts
from salon.views.organiser import bp
from salon.views.responses import private_download

# The word of each printout's file name, in the organiser's language.
FILE_WORDS = {"badges": _l("badges"), "agendas": _l("agendas"), "tables": _l("table-sheets")}


def build_or_404(fair: Fair, build_id: int) -> PrintBuild:
    build = print_builds.build_of_fair_or_none(fair, build_id)
    if build is None:
        abort(404)
    return build


@bp.get("/fairs/<int:fair_id>/print")
@login_required
def printouts_page(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    print_builds.expire_stale_builds(fair)  # the page shows a dead build as interrupted, not running forever
    print_builds.purge_old_builds(fair)
    db.session.commit()
    return _page(fair, PrintForm())


def _page(fair: Fair, form: PrintForm, status: int = 200):
    builds = print_builds.latest_builds(fair)
    return render_template(
        "organiser/printouts.html",
        fair=fair,
        form=form,
        builds=builds,
        counts=printouts.document_counts(fair),
        outdated={doc: printouts.changed_since(fair, b) for doc, b in builds.items() if b.status == "done"},
        keep_hours=int(current_app.config.get("PRINT_KEEP_HOURS", 24)),
    ), status


@bp.post("/fairs/<int:fair_id>/print/<document>")
@login_required
def print_start(fair_id: int, document: str):
    fair = organiser_fair_or_404(fair_id)
    if document not in DOCUMENTS:
        abort(404)
    form = PrintForm()
    if not form.validate_on_submit():
        return _page(fair, form, 400)
    try:
        build, created = print_builds.request_build(
            fair, current_user, document, bool(form.include_empty.data), str(get_locale() or "fr")
        )
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("organiser.printouts_page", fair_id=fair.id, _anchor=document), 303)
    db.session.commit()
    if created:
        try:
            print_jobs.enqueue_build(build.id)
        except DomainError as exc:
            flash(exc.message, "error")
    else:
        flash(_("This printout is already being built: it is shown below."), "info")
    return redirect(url_for("organiser.printouts_page", fair_id=fair.id, _anchor=document), 303)


@bp.get("/fairs/<int:fair_id>/print/builds/<int:build_id>")
@login_required
def print_progress(fair_id: int, build_id: int):
    fair = organiser_fair_or_404(fair_id)
    build = build_or_404(fair, build_id)
    outdated = build.status == "done" and printouts.changed_since(fair, build)
    return render_template("organiser/_print_build.html", fair=fair, build=build, outdated=outdated)


@bp.get("/fairs/<int:fair_id>/print/builds/<int:build_id>.pdf")
@login_required
def print_download(fair_id: int, build_id: int):
    fair = organiser_fair_or_404(fair_id)
    pdf = print_builds.read_pdf(build_or_404(fair, build_id))
    if pdf is None:
        abort(404)
    build = build_or_404(fair, build_id)
    return private_download(pdf, f"{fair.slug}-{FILE_WORDS[build.document]}.pdf", "application/pdf")
