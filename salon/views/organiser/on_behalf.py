"""The organisers act for a participant (wishes collected by phone or on paper, availability, profile).

The participant's own forms and services are used, with by_organiser=True: the deadline for participants
does not apply, publication still closes wishes and availability, the caps stay, and every change is
logged with who made it.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from salon import domain
from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms import parse_id
from salon.forms.on_behalf import OrganiserWishForm
from salon.forms.participant import WISH_CHOICES, ProfileForm, availability_form
from salon.models import Fair, Participant
from salon.services import DomainError, availability, profiles, wishes
from salon.services import participants_admin as admin
from salon.services.catalogue import other_side
from salon.views.organiser import bp
from salon.views.organiser.participants import participant_or_404
from salon.views.participant.common import attach_error, wish_label

BASE = "/fairs/<int:fair_id>/participants/<int:participant_id>"


def _wish_form(fair: Fair, participant: Participant, formdata=None) -> OrganiserWishForm:  # noqa: ANN001
    form = OrganiserWishForm(formdata=formdata)
    others = admin.list_participants(fair, side=other_side(participant.side), status="approved")
    form.target_id.choices = [("", "—"), *[(str(p.id), p.organisation.name) for p in others]]
    return form


@bp.route(BASE + "/wishes", methods=["GET", "POST"])
@login_required
def participant_wishes(fair_id: int, participant_id: int):
    fair = organiser_fair_or_404(fair_id)
    participant = participant_or_404(fair, participant_id)
    form = _wish_form(fair, participant, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        target = admin.participant_of_fair_or_none(fair, parse_id(form.target_id.data) or 0)
        try:
            if target is None:
                raise DomainError(_("This participant is not in the catalogue."), "target_id")
            wishes.apply_choice(participant, target, form.choice.data, by=current_user, by_organiser=True)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error, "choice")
        else:
            db.session.commit()
            flash(_("Wish about %(name)s saved.", name=target.organisation.name), "success")
            return redirect(
                url_for("organiser.participant_wishes", fair_id=fair.id, participant_id=participant.id), 303
            )
    return render_template(
        "organiser/participant_wishes.html",
        fair=fair,
        participant=participant,
        form=form,
        sent=wishes.wishes_sent(participant),
        received=wishes.wishes_received(participant),
        cap=wishes.wish_cap(participant),
        used=wishes.count_wishes(participant),
        wishes_open=wishes.wishes_open(fair, by_organiser=True),
        wish_choices=WISH_CHOICES,
        wish_label=wish_label,
    ), 422 if form.errors or form.form_errors else 200


@bp.route(BASE + "/availability", methods=["GET", "POST"])
@login_required
def participant_availability(fair_id: int, participant_id: int):
    fair = organiser_fair_or_404(fair_id)
    participant = participant_or_404(fair, participant_id)
    form = availability_form(participant, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            availability.set_unavailability(
                participant,
                form.slots.data or [],
                form.sessions.data or [],
                by=current_user,
                by_organiser=True,
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error, "slots")
        else:
            db.session.commit()
            flash(_("Availability of %(name)s saved.", name=participant.organisation.name), "success")
            return redirect(
                url_for("organiser.participant_availability", fair_id=fair.id, participant_id=participant.id),
                303,
            )
    return render_template(
        "organiser/participant_availability.html",
        fair=fair,
        participant=participant,
        form=form,
        editable=availability.availability_open(participant, by_organiser=True),
    ), 422 if form.errors or form.form_errors else 200


@bp.route(BASE + "/profile", methods=["GET", "POST"])
@login_required
def participant_profile(fair_id: int, participant_id: int):
    fair = organiser_fair_or_404(fair_id)
    participant = participant_or_404(fair, participant_id)
    form = ProfileForm(obj=participant.organisation)
    if request.method == "GET":
        form.siret.data = participant.organisation.siret or ""
    if form.validate_on_submit():
        try:
            profiles.update_participant_profile(
                participant, current_user, by_organiser=True, **form.profile_data(participant.side)
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Profile of %(name)s saved.", name=participant.organisation.name), "success")
            return redirect(
                url_for("organiser.participant_profile", fair_id=fair.id, participant_id=participant.id), 303
            )
    return render_template(
        "organiser/participant_profile.html", fair=fair, participant=participant, form=form, domain=domain
    ), 422 if request.method == "POST" else 200
