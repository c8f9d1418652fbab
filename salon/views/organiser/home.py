"""Organiser's landing page (their fairs, invitations waiting for them), fair creation, each dashboard."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select

from salon.auth import organiser_fair_or_404, participants_of_user
from salon.extensions import db
from salon.forms.organiser import FairCreateForm
from salon.labels import type_label
from salon.models import Fair, Meeting, OrganiserMembership, Participant, Wish
from salon.services import DomainError, fairs, invitations, outbox, participant_invitations
from salon.services.notice_rendering import preparing
from salon.services.scheduling import latest_run
from salon.views.organiser import bp

PHASE_LABELS = {
    "draft": _l("draft"),
    "registration": _l("registration"),
    "wishes": _l("wishes"),
    "scheduling": _l("scheduling"),
    "published": _l("published"),
    "closed": _l("closed"),
}


# What each phase opens, in the order a fair goes through them (the dashboard and the scheduling page say it).
PHASE_HELP = {
    "draft": _l("Only the organisers see the fair: set it up, import or add the participants, invite them."),
    "registration": _l(
        "The fair's public page is open: organisations register and you approve them; approved participants "
        "can already say whom they want to meet."
    ),
    "wishes": _l(
        "Participants say whom they want to meet, until the wishes deadline; registration stays open until "
        "its own deadline."
    ),
    "scheduling": _l(
        "Participants can no longer change their wishes (you still can): compute the schedule, review it, "
        "publish it."
    ),
    "published": _l(
        "Everyone reads their agenda and calendar; each meeting you move, add or cancel is e-mailed to both "
        "organisations."
    ),
    "closed": _l(
        "The fair is over: agendas stay readable, the personal data are deleted after the retention period."
    ),
}


@bp.context_processor
def _phase_labels() -> dict:
    return {"phase_labels": PHASE_LABELS, "phase_help": PHASE_HELP}


@bp.get("/")
@login_required
def home():
    memberships = db.session.scalars(
        select(OrganiserMembership)
        .join(Fair)
        .where(OrganiserMembership.user_id == current_user.id)
        .order_by(Fair.created_at.desc())
    ).all()
    return render_template(
        "organiser/home.html",
        fairs=[m.fair for m in memberships],
        invitations=invitations.waiting_for(current_user),
        participations=participants_of_user(current_user),
    )


@bp.post("/invitations/<int:invitation_id>/accept")
@login_required
def invitation_accept(invitation_id: int):
    # Only invitations sent to the account's confirmed address exist here: ids of others answer 404.
    invitation = invitations.invitation_for(current_user, invitation_id)
    if invitation is None:
        abort(404)
    try:
        membership = invitations.accept(invitation, current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("organiser.home")), 303
    db.session.commit()
    flash(_("You organise %(fair)s now.", fair=membership.fair.name), "success")
    return redirect(url_for("organiser.dashboard", fair_id=membership.fair_id)), 303


@bp.route("/fairs/new", methods=["GET", "POST"])
@login_required
def fair_new():
    form = FairCreateForm()
    if form.validate_on_submit():
        days = []
        if form.first_day.data:
            days = [form.first_day.data + timedelta(days=i) for i in range(form.days.data or 1)]
        try:
            fair = fairs.create_fair(current_user, form.name.data, form.preset.data or None, days)
        except DomainError as exc:
            form.name.errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("The fair is created."), "success")
            if days and not fair.slots:
                # Without a preset nothing holds the days yet: carry them to the slots form, not lose them.
                flash(_("Now give the times of its half-days to create its slots."), "info")
                dates = "\n".join(d.isoformat() for d in days)
                return redirect(url_for("organiser.slots", fair_id=fair.id, days=dates))
            return redirect(url_for("organiser.dashboard", fair_id=fair.id))
    status = 200 if request.method == "GET" else 422
    return render_template("organiser/fair_new.html", form=form), status


def dashboard_figures(fair: Fair) -> dict:
    """Return registrations per side and type, wishes, meetings and fill rates."""
    counts = fairs.fair_counts(fair)
    types = db.session.execute(
        select(Participant.side, Participant.status, func.count())
        .where(Participant.fair_id == fair.id)
        .group_by(Participant.side, Participant.status)
    ).all()
    wishes = db.session.scalar(
        select(func.count(Wish.id)).where(Wish.fair_id == fair.id, Wish.veto.is_(False))
    )
    meetings = db.session.scalar(
        select(func.count(Meeting.id)).where(
            Meeting.fair_id == fair.id, Meeting.status.in_(("scheduled", "held"))
        )
    )
    capacity = counts["slots"] * counts["tables"]
    run = latest_run(fair)
    drafts = len(run.drafts) if run else 0
    return {
        "counts": counts,
        "types": types,
        "by_type": _by_structure_type(fair),
        "wishes": wishes or 0,
        "meetings": meetings or 0,
        "drafts": drafts,
        "fill": round(100 * (meetings or drafts) / capacity, 1) if capacity else 0.0,
        "run": run,
    }


def _by_structure_type(fair: Fair) -> list[tuple[str, int]]:
    """Count approved participants per structure type (suppliers) or buyer kind (buyers), in words."""
    untyped = {"buyer": _("Buyer, kind not given"), "supplier": _("ESS supplier, type not given")}
    found: dict[str, int] = {}
    participants = db.session.scalars(
        select(Participant).where(Participant.fair_id == fair.id, Participant.status == "approved")
    )
    for p in participants:
        org = p.organisation
        keys = (
            org.structure_types if p.side == "supplier" else [org.buyer_kind] if org.buyer_kind else []
        ) or []
        for name in [type_label(k) for k in keys] or [untyped[p.side]]:
            found[name] = found.get(name, 0) + 1
    return sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))


@bp.get("/fairs/<int:fair_id>/")
@login_required
def dashboard(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    return render_template(
        "organiser/dashboard.html",
        fair=fair,
        figures=dashboard_figures(fair),
        transitions=fairs.TRANSITIONS,
        access=participant_invitations.access_summary(fair),
        outbox=outbox.outbox_counts(fair),
        outbox_labels=outbox.COUNT_LABELS,
        preparing=preparing(fair.id),
    )
