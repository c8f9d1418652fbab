"""Publishing: a preview of every change and e-mail, then a confirmation that publishes exactly that."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from salon import preparing
from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms.organiser import PublishForm
from salon.models import Fair, ScheduleRun
from salon.services import DomainError, publishing
from salon.services.outbox import kind_label
from salon.services.publication_plan import PublishPlan, plan_publication
from salon.text import fold
from salon.views.organiser import bp
from salon.views.organiser.schedule import run_or_404


def _when(row) -> tuple:  # noqa: ANN001
    return (row.slot.starts_at, row.table.position, row.id)


def _recipients(plan: PublishPlan) -> list[dict]:
    """Group the plan's e-mails by participant: what they receive and at which addresses."""
    people: dict[int, dict] = {}
    for notice in plan.notices:
        entry = people.setdefault(
            notice.participant.id,
            {"participant": notice.participant, "addresses": notice.addresses, "kinds": {}},
        )
        label = kind_label(notice.kind)
        entry["kinds"][label] = entry["kinds"].get(label, 0) + 1
    return sorted(people.values(), key=lambda e: fold(e["participant"].organisation.name))


def _preview(fair: Fair, run: ScheduleRun, error: str | None = None, status: int = 200):  # noqa: ANN202
    """Render the preview of publishing `run` now, or go back to the run when it cannot be published."""
    try:
        plan = plan_publication(run)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("organiser.run_page", fair_id=fair.id, run_id=run.id), 303)
    form = PublishForm(formdata=None, digest=plan.digest)
    return render_template(
        "organiser/publish_preview.html",
        fair=fair,
        run=run,
        plan=plan,
        form=form,
        error=error,
        created=sorted(plan.created, key=_when),
        moved=sorted(plan.moved, key=lambda pair: _when(pair[1])),
        cancelled=sorted(plan.cancelled, key=_when),
        recipients=_recipients(plan),
    ), status


@bp.get("/fairs/<int:fair_id>/runs/<int:run_id>/publish")
@login_required
def run_publish_preview(fair_id: int, run_id: int):
    fair = organiser_fair_or_404(fair_id)
    return _preview(fair, run_or_404(fair, run_id))


@bp.post("/fairs/<int:fair_id>/runs/<int:run_id>/publish")
@login_required
def run_publish(fair_id: int, run_id: int):
    fair = organiser_fair_or_404(fair_id)
    run = run_or_404(fair, run_id)
    form = PublishForm()
    if not form.validate():
        return _preview(fair, run, _("Confirm the publication from its preview."), 422)
    try:
        summary = publishing.publish_run(run, form.digest.data)
    except publishing.StalePublication as exc:
        db.session.rollback()
        return _preview(fair, run, exc.message, 409)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("organiser.run_page", fair_id=fair.id, run_id=run.id), 303)
    db.session.commit()
    waiting = preparing.dispatch()  # a few e-mails are rendered now, many by the "prepare" job
    flash(
        _(
            "Published: %(c)d new, %(m)d moved, %(x)d cancelled meetings.",
            c=len(summary.created),
            m=len(summary.moved),
            x=len(summary.cancelled),
        ),
        "success",
    )
    flash(_queued_sentence(summary.emails, waiting), "info")
    return redirect(url_for("organiser.published", fair_id=fair.id), 303)


def _queued_sentence(count: int, waiting: int) -> str:
    """Say that the e-mails are only queued (or still being prepared), how many, and when they leave."""
    if not count:
        return _("No e-mail to send for this publication.")
    if waiting:
        return ngettext(
            "%(num)d e-mail is being prepared for the participants, in the background (about a minute for "
            "a large fair); then it leaves with the mail sender. The E-mails page shows how many are "
            "still being prepared.",
            "%(num)d e-mails are being prepared for the participants, in the background (about a minute "
            "for a large fair); then they leave with the mail sender. The E-mails page shows how many are "
            "still being prepared.",
            count,
        )
    return ngettext(
        "%(num)d e-mail is queued for the participants: it leaves the next time the mail sender runs. "
        "The E-mails page shows whether it was sent.",
        "%(num)d e-mails are queued for the participants: they leave the next time the mail sender runs. "
        "The E-mails page shows whether they were sent.",
        count,
    )
