"""Participants: list, approve or refuse, add or edit by hand, constraints, mandatory meetings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms import parse_id
from salon.forms.organiser import ConstraintsForm, MandatoryForm, ParticipantForm, set_pair_choices
from salon.forms.participant import WISH_CHOICES, ProfileForm
from salon.labels import session_label
from salon.models import Fair, Participant
from salon.services import DomainError, participant_access, participant_changes, participant_invitations
from salon.services import participants_admin as admin
from salon.views.organiser import bp
from salon.views.organiser.setup import _refused
from salon.views.public.home import safe_next

ORG_KEYS = ("name", "siret", "contact_email", "contact_phone", "city", "postcode")


def participant_or_404(fair: Fair, participant_id: int) -> Participant:
    participant = admin.participant_of_fair_or_none(fair, participant_id)
    if participant is None:
        abort(404)
    return participant


def slot_label(slot) -> str:  # noqa: ANN001
    from salon.templating import local_datetime

    return f"{session_label(slot.session)} {local_datetime(slot.starts_at, slot.fair, 'HH:mm')}"


@bp.get("/fairs/<int:fair_id>/participants")
@login_required
def participants(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    side = request.args.get("side") if request.args.get("side") in ("buyer", "supplier") else None
    status = (
        request.args.get("status")
        if request.args.get("status") in ("pending", "approved", "refused")
        else None
    )
    rows = admin.list_participants(fair, side, status)
    return render_template(
        "organiser/participants.html",
        fair=fair,
        participants=rows,
        side=side,
        status=status,
        access=participant_invitations.access_states(fair),
        claims=participant_access.claims_to_decide(fair),
    )


@bp.post("/fairs/<int:fair_id>/participants/<int:participant_id>/status")
@login_required
def participant_status(fair_id: int, participant_id: int):
    fair = organiser_fair_or_404(fair_id)
    participant = participant_or_404(fair, participant_id)
    try:
        admin.set_status(participant, request.form.get("status", ""))
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s: status updated.", name=participant.organisation.name), "success")
    return redirect(
        safe_next(request.form.get("back"), url_for("organiser.participants", fair_id=fair.id)), 303
    )


@bp.route("/fairs/<int:fair_id>/participants/new", methods=["GET", "POST"])
@login_required
def participant_new(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    form = ParticipantForm()
    if form.validate_on_submit():
        data = {k: getattr(form, k).data or "" for k in ORG_KEYS}
        try:
            p = admin.add_participant(fair, form.side.data, data, form.contact_name.data or "")
            if form.note.data:
                p.note = form.note.data.strip()
        except DomainError as exc:
            db.session.rollback()
            _refused(exc, form, "name")
        else:
            db.session.commit()
            flash(_("Participant added."), "success")
            return redirect(url_for("organiser.participant_edit", fair_id=fair.id, participant_id=p.id))
    status = 200 if request.method == "GET" else 422
    return render_template("organiser/participant_form.html", fair=fair, form=form, participant=None), status


def _constraints_form(fair: Fair, participant: Participant, formdata=None) -> ConstraintsForm:  # noqa: ANN001
    form = ConstraintsForm(formdata=formdata, obj=None if formdata else participant)
    form.home_table_id.choices = [("", _("None"))] + [(str(t.id), t.name) for t in fair.tables]
    form.unavailable.choices = [(s.id, slot_label(s)) for s in fair.slots]
    if formdata is None:
        form.home_table_id.data = str(participant.home_table_id or "")
        form.unavailable.data = [s.id for s in participant.unavailable_slots]
    return form


@bp.route("/fairs/<int:fair_id>/participants/<int:participant_id>", methods=["GET", "POST"])
@login_required
def participant_edit(fair_id: int, participant_id: int):
    fair = organiser_fair_or_404(fair_id)
    p = participant_or_404(fair, participant_id)
    form = ParticipantForm(obj=p.organisation, side=p.side, note=p.note)
    if form.validate_on_submit():
        data = {k: getattr(form, k).data or "" for k in ORG_KEYS}
        try:
            admin.update_participant(p, data, note=form.note.data or "")
        except DomainError as exc:
            db.session.rollback()
            _refused(exc, form, "name")
        else:
            db.session.commit()
            flash(_("Participant saved."), "success")
            return redirect(url_for("organiser.participant_edit", fair_id=fair.id, participant_id=p.id))
    status = 200 if request.method == "GET" else 422
    return render_template(
        "organiser/participant_form.html",
        fair=fair,
        form=form,
        participant=p,
        constraints=_constraints_form(fair, p),
        **_history(fair, p),
    ), status


@bp.post("/fairs/<int:fair_id>/participants/<int:participant_id>/constraints")
@login_required
def participant_constraints(fair_id: int, participant_id: int):
    fair = organiser_fair_or_404(fair_id)
    p = participant_or_404(fair, participant_id)
    form = _constraints_form(fair, p, request.form)
    if form.validate():
        table = parse_id(form.home_table_id.data)
        try:
            admin.set_constraints(
                p, form.min_meetings.data or 0, form.max_meetings.data, table, form.unavailable.data or []
            )
        except DomainError as exc:
            db.session.rollback()
            _refused(exc, form, "max_meetings")
        else:
            db.session.commit()
            flash(_("Constraints saved."), "success")
            return redirect(url_for("organiser.participant_edit", fair_id=fair.id, participant_id=p.id), 303)
    return render_template(
        "organiser/participant_form.html",
        fair=fair,
        participant=p,
        constraints=form,
        form=ParticipantForm(obj=p.organisation, side=p.side, note=p.note),
        **_history(fair, p),
    ), 422


def _history(fair: Fair, participant: Participant) -> dict:
    """Return the participant's change log and the names and labels it is told with."""
    changes = participant_changes.history(participant)
    return {
        "history": changes,
        "names": {p.id: p.organisation.name for p in admin.list_participants(fair)},
        "choice_labels": dict(WISH_CHOICES),
        "field_labels": {f.name: f.label.text for f in ProfileForm(formdata=None) if f.name != "csrf_token"},
    }


def _mandatory_form(fair: Fair) -> MandatoryForm:
    form = MandatoryForm()
    people = admin.list_participants(fair, status="approved")
    set_pair_choices(form, fair.supplier_meetings != "off", people)
    sessions = [(str(s.id), session_label(s)) for s in fair.sessions]
    form.session_id.choices = [("", _("Any session")), *sessions]
    return form


@bp.route("/fairs/<int:fair_id>/mandatory", methods=["GET", "POST"])
@login_required
def mandatory(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    form = _mandatory_form(fair)
    if form.validate_on_submit():
        a = participant_or_404(fair, form.participant_a.data)
        b = participant_or_404(fair, form.participant_b.data)
        session_id = parse_id(form.session_id.data)
        try:
            admin.add_mandatory_meeting(fair, a, b, session_id=session_id, second=form.second_meeting.data)
        except DomainError as exc:
            db.session.rollback()
            _refused(exc, form, "participant_b")
        else:
            db.session.commit()
            flash(_("Mandatory meeting added."), "success")
            return redirect(url_for("organiser.mandatory", fair_id=fair.id))
    status = 200 if request.method == "GET" else 422
    return render_template(
        "organiser/mandatory.html", fair=fair, form=form, rows=admin.mandatory_meetings(fair)
    ), status


@bp.post("/fairs/<int:fair_id>/mandatory/<int:mandatory_id>/delete")
@login_required
def mandatory_delete(fair_id: int, mandatory_id: int):
    fair = organiser_fair_or_404(fair_id)
    try:
        admin.remove_mandatory_meeting(fair, mandatory_id)
    except DomainError:
        abort(404)
    db.session.commit()
    flash(_("Mandatory meeting removed."), "success")
    return redirect(url_for("organiser.mandatory", fair_id=fair.id), 303)
