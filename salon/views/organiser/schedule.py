"""Scheduling: start a background solve, follow its progress, cancel it, read the report."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from salon import jobs
from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms.organiser import SolveForm
from salon.models import Fair, Participant, ScheduleRun
from salon.services import DomainError, exporting, fairs, quality, run_leases, scheduling
from salon.services.explain import explain_reasons
from salon.views.organiser import bp
from salon.views.organiser.run_view import RunView, run_view
from salon.views.organiser.transfer import download


def run_or_404(fair: Fair, run_id: int) -> ScheduleRun:
    run = scheduling.run_of_fair_or_none(fair, run_id)
    if run is None:
        abort(404)
    return run


def checked_run_or_404(fair: Fair, run_id: int) -> ScheduleRun:
    """Return the run, released first if the process holding it is gone (whoever looks checks)."""
    run = run_or_404(fair, run_id)
    if run_leases.release_if_dead(run):
        db.session.commit()
    return run


@bp.route("/fairs/<int:fair_id>/schedule", methods=["GET", "POST"])
@login_required
def schedule(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    form = SolveForm()
    limit = current_app.config["SOLVER_TIME_LIMIT"]
    if request.method == "GET":
        form.time_limit.data = int(limit)
    if form.validate_on_submit():
        try:
            run = scheduling.request_solve(fair, current_user, float(form.time_limit.data or limit))
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            try:
                jobs.enqueue_solve(run.id)
            except DomainError as exc:
                flash(exc.message, "error")
            return redirect(url_for("organiser.run_page", fair_id=fair.id, run_id=run.id), 303)
    elif request.method == "GET" and run_leases.release_dead_runs(fair):
        db.session.commit()
    runs = db.session.scalars(
        select(ScheduleRun).where(ScheduleRun.fair_id == fair.id).order_by(ScheduleRun.id.desc()).limit(20)
    ).all()
    status = 200 if request.method == "GET" else 409
    return render_template(
        "organiser/schedule.html",
        fair=fair,
        form=form,
        runs=runs,
        solve_phases=scheduling.SOLVE_PHASES,
        next_phases=fairs.TRANSITIONS.get(fair.phase, ()),
    ), status


def _view(fair: Fair, run: ScheduleRun) -> RunView:
    approved = db.session.scalar(
        select(func.count(Participant.id)).where(
            Participant.fair_id == fair.id, Participant.status == "approved"
        )
    )
    return run_view(fair, run, approved or 0)


@bp.get("/fairs/<int:fair_id>/runs/<int:run_id>")
@login_required
def run_page(fair_id: int, run_id: int):
    fair = organiser_fair_or_404(fair_id)
    run = checked_run_or_404(fair, run_id)
    failure = run_leases.failure_label(run)
    reasons = explain_reasons(fair, scheduling.load_maps(fair), run.reasons or []) if run.reasons else []
    return render_template(
        "organiser/run.html", fair=fair, run=run, failure=failure, view=_view(fair, run), reasons=reasons
    )


@bp.get("/fairs/<int:fair_id>/runs/<int:run_id>/progress")
@login_required
def run_progress(fair_id: int, run_id: int):
    fair = organiser_fair_or_404(fair_id)
    run = checked_run_or_404(fair, run_id)
    page = render_template("organiser/_run_progress.html", fair=fair, run=run, view=_view(fair, run))
    response = current_app.make_response(page)
    if run.status not in ("queued", "running") and request.headers.get("HX-Request"):
        response.headers["HX-Refresh"] = "true"  # reload the page once, to show the result
    return response


@bp.post("/fairs/<int:fair_id>/runs/<int:run_id>/cancel")
@login_required
def run_cancel(fair_id: int, run_id: int):
    fair = organiser_fair_or_404(fair_id)
    run = run_or_404(fair, run_id)
    try:
        scheduling.request_cancel(run)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        if run.status == "running":
            flash(_("Cancellation requested: the best schedule found so far is kept."), "info")
        else:
            flash(_("The computation is stopped: you can start a new one."), "info")
    return redirect(url_for("organiser.run_page", fair_id=fair.id, run_id=run.id), 303)


@bp.get("/fairs/<int:fair_id>/runs/<int:run_id>/report")
@login_required
def run_report(fair_id: int, run_id: int):
    fair = organiser_fair_or_404(fair_id)
    run = run_or_404(fair, run_id)
    if run.status not in ("done", "cancelled"):
        abort(404)
    report = quality.quality_report(fair, run)
    return render_template("organiser/report.html", fair=fair, run=run, report=report)


@bp.get("/fairs/<int:fair_id>/runs/<int:run_id>/report.csv")
@login_required
def run_report_csv(fair_id: int, run_id: int):
    fair = organiser_fair_or_404(fair_id)
    run = run_or_404(fair, run_id)
    rows = quality.report_rows(quality.quality_report(fair, run))
    data = exporting.table_bytes(rows[0], rows[1:], "csv")
    return download(data, f"{fair.slug}-rapport-{run.id}.csv", "csv")
