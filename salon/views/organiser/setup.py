"""Fair set-up pages: settings, phase, days and slots, tables, co-organisers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms.organiser import FairSettingsForm, InviteForm, SlotsForm, TablesForm
from salon.models import Fair, OrganiserInvitation, OrganiserMembership, Slot
from salon.models.base import utcnow
from salon.services import DomainError, fairs, invitations
from salon.views.organiser import bp

DATETIME_FIELDS = ("registration_deadline", "wishes_deadline")


def _refused(exc: DomainError, form=None, default: str = "") -> None:  # noqa: ANN001
    """Attach a refused action's message to its field, or flash it."""
    target = getattr(form, exc.field or default, None) if form is not None else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, exc.message]
    else:
        flash(exc.message, "error")


@bp.route("/fairs/<int:fair_id>/settings", methods=["GET", "POST"])
@login_required
def settings(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    zone = ZoneInfo(fair.timezone)
    form = FairSettingsForm(obj=fair)
    if request.method == "GET":
        for name in DATETIME_FIELDS:  # show deadlines in the fair's wall-clock time
            value = getattr(fair, name)
            getattr(form, name).data = value.astimezone(zone).replace(tzinfo=None) if value else None
    if form.validate_on_submit():
        data = {f.name: f.data for f in form if f.name != "csrf_token"}
        try:
            tz = ZoneInfo(data["timezone"]) if data["timezone"] in fairs.available_timezones() else zone
            for name in DATETIME_FIELDS:
                data[name] = data[name].replace(tzinfo=tz) if data[name] else None
            fairs.update_fair(fair, **data)
        except DomainError as exc:
            db.session.rollback()
            _refused(exc, form)
        else:
            db.session.commit()
            flash(_("Settings saved."), "success")
            return redirect(url_for("organiser.settings", fair_id=fair.id))
    status = 200 if request.method == "GET" else 422
    return render_template("organiser/settings.html", fair=fair, form=form), status


@bp.post("/fairs/<int:fair_id>/phase")
@login_required
def phase(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    target = request.form.get("phase", "")
    if fair.phase == "published" and target == "scheduling" and request.form.get("confirmed") != "1":
        # Leaving the publication hides every agenda: it is confirmed on its own page first.
        return redirect(url_for("organiser.phase_unpublish", fair_id=fair.id)), 303
    try:
        fairs.set_phase(fair, target)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("organiser.dashboard", fair_id=fair.id)), 303
    db.session.commit()
    flash(_("The fair moved to the next phase."), "success")
    if request.form.get("back") == "schedule":  # asked from the scheduling page: go on computing there
        return redirect(url_for("organiser.schedule", fair_id=fair.id)), 303
    return redirect(url_for("organiser.dashboard", fair_id=fair.id)), 303


def _parse_days(text: str) -> list[date]:
    days = []
    for line in text.replace(",", "\n").split():
        try:
            days.append(date.fromisoformat(line.strip()))
        except ValueError:
            raise DomainError(_("Write each day as YYYY-MM-DD."), "days") from None
    return days


def slot_request(fair: Fair, form: SlotsForm) -> tuple[list[date], list[fairs.SessionSpec]] | None:
    """Read the days and sessions of a valid slots form; None (the error on the form) when they are wrong."""
    specs = [
        fairs.SessionSpec(label, start, end)
        for label, start, end in (
            ("am", form.am_start.data, form.am_end.data),
            ("pm", form.pm_start.data, form.pm_end.data),
        )
        if start and end
    ]
    try:
        days = _parse_days(form.days.data)
    except DomainError as exc:
        _refused(exc, form, "days")
        return None
    return days, specs


@bp.route("/fairs/<int:fair_id>/slots", methods=["GET", "POST"])
@login_required
def slots(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    form = SlotsForm()
    tables_form = TablesForm(count=len(fair.tables) or None)
    if request.method == "GET" and fair.sessions:
        form.days.data = "\n".join(sorted({s.day.isoformat() for s in fair.sessions}))
    elif request.method == "GET":
        form.days.data = request.args.get("days", "")  # the days given when the fair was created
    parsed = slot_request(fair, form) if form.validate_on_submit() else None
    replacing = parsed is not None and parsed[1] and fair.slots and not fairs.schedule_frozen(fair)
    if replacing and request.form.get("confirmed") != "1":
        # Replacing slots loses availabilities and drafts: say so first (organiser.slots_regenerate).
        fields = {f.name: request.form.get(f.name, "") for f in form if f.name != "csrf_token"}
        return redirect(url_for("organiser.slots_regenerate", fair_id=fair.id, **fields), 303)
    if parsed is not None:
        try:
            n = fairs.generate_slots(fair, *parsed)
        except DomainError as exc:
            db.session.rollback()
            _refused(exc, form, "days")
        else:
            db.session.commit()
            flash(ngettext("%(num)d slot generated.", "%(num)d slots generated.", n), "success")
            return redirect(url_for("organiser.slots", fair_id=fair.id))
    status = 200 if request.method == "GET" else 422
    return render_template("organiser/slots.html", fair=fair, form=form, tables_form=tables_form), status


@bp.post("/fairs/<int:fair_id>/slots/<int:slot_id>/delete")
@login_required
def slot_delete(fair_id: int, slot_id: int):
    fair = organiser_fair_or_404(fair_id)
    slot = db.session.get(Slot, slot_id)
    if slot is None or slot.fair_id != fair.id:
        abort(404)
    try:
        fairs.delete_slot(fair, slot)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Slot removed."), "success")
    return redirect(url_for("organiser.slots", fair_id=fair.id)), 303


@bp.post("/fairs/<int:fair_id>/tables")
@login_required
def tables(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    form = TablesForm()
    if form.validate_on_submit():
        names = [n for n in (form.names.data or "").splitlines() if n.strip()] or None
        try:
            fairs.set_tables(fair, count=form.count.data, names=names)
        except DomainError as exc:
            db.session.rollback()
            _refused(exc, form, "count")
        else:
            db.session.commit()
            flash(_("Tables saved."), "success")
            return redirect(url_for("organiser.slots", fair_id=fair.id)), 303
    return render_template(
        "organiser/slots.html", fair=fair, form=SlotsForm(formdata=None), tables_form=form
    ), 422


@bp.route("/fairs/<int:fair_id>/organisers", methods=["GET", "POST"])
@login_required
def organisers(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            added = invitations.invite(fair, current_user, form.email.data, form.role.data)
        except DomainError as exc:
            db.session.rollback()
            _refused(exc, form, "email")
        else:
            db.session.commit()
            if isinstance(added, OrganiserInvitation):
                flash(_("No account uses this address yet: an invitation was sent to it."), "success")
            else:
                flash(_("Co-organiser added."), "success")
            return redirect(url_for("organiser.organisers", fair_id=fair.id))
    status = 200 if request.method == "GET" else 422
    return render_template(
        "organiser/organisers.html",
        fair=fair,
        form=form,
        memberships=fairs.memberships(fair),
        invitations=invitations.open_invitations(fair),
        now=utcnow(),
    ), status


@bp.post("/fairs/<int:fair_id>/organisers/<int:membership_id>/remove")
@login_required
def organiser_remove(fair_id: int, membership_id: int):
    fair = organiser_fair_or_404(fair_id)
    membership = db.session.get(OrganiserMembership, membership_id)
    if membership is None or membership.fair_id != fair.id:
        abort(404)
    try:
        fairs.remove_organiser(fair, current_user, membership)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Co-organiser removed."), "success")
    return redirect(url_for("organiser.organisers", fair_id=fair.id)), 303


def _invitation_or_404(fair_id: int, invitation_id: int) -> tuple[Fair, OrganiserInvitation]:
    """Return the fair (organised by the signed-in user) and one of its invitations; 404 otherwise."""
    fair = organiser_fair_or_404(fair_id)
    invitation = db.session.get(OrganiserInvitation, invitation_id)
    if invitation is None or invitation.fair_id != fair.id:
        abort(404)
    return fair, invitation


@bp.post("/fairs/<int:fair_id>/invitations/<int:invitation_id>/revoke")
@login_required
def invitation_revoke(fair_id: int, invitation_id: int):
    return _invitation_action(
        fair_id, invitation_id, invitations.revoke, _("Invitation withdrawn: its link no longer works.")
    )


@bp.post("/fairs/<int:fair_id>/invitations/<int:invitation_id>/resend")
@login_required
def invitation_resend(fair_id: int, invitation_id: int):
    days = invitations.VALID_FOR.days
    return _invitation_action(
        fair_id,
        invitation_id,
        invitations.resend,
        _("Invitation sent again; its link is valid for %(n)d days.", n=days),
    )


def _invitation_action(fair_id: int, invitation_id: int, action: Callable[..., object], done: str):
    """Apply revoke or resend to one of the fair's invitations, flash the outcome, back to the list."""
    fair, invitation = _invitation_or_404(fair_id, invitation_id)
    try:
        action(fair, current_user, invitation)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("organiser.organisers", fair_id=fair.id)), 303
