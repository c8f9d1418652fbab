"""Registration: account, organisation and participation; e-mail confirmation by a signed link."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from salon.auth import participants_of_user, sign_in
from salon.extensions import db, limiter
from salon.forms.registration import JoinFairForm, RegistrationForm
from salon.models import Organisation, OrganisationMember, ParticipantClaim
from salon.services import DomainError, registration
from salon.views.participant.common import attach_error
from salon.views.public import bp
from salon.views.public.fairs import public_fair_or_404


def _status(form) -> int:  # noqa: ANN001
    return 422 if request.method == "POST" else 200


def register_limit() -> str:
    """Return the configured limit of accounts created per address (registration and invitations)."""
    return current_app.config.get("SALON_REGISTER_LIMIT", "30 per hour")


@bp.route("/fairs/<slug>/register", methods=["GET", "POST"])
# Accounts created (and confirmation e-mails sent) per address: refused forms do not count.
@limiter.limit(register_limit, methods=["POST"], deduct_when=lambda r: r.status_code == 302, scope="register")
def register(slug: str):
    fair = public_fair_or_404(slug)
    if not registration.registration_open(fair):
        return render_template("public/register_closed.html", fair=fair)
    if current_user.is_authenticated:
        return _join(fair)
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            result = registration.register(
                fair,
                email=form.email.data,
                password=form.password.data,
                full_name=form.full_name.data,
                phone=form.phone.data or "",
                side=form.side.data,
                organisation_name=form.organisation_name.data,
                siret=form.siret.data,
                consent=form.consent.data,
                locale=session.get("lang"),  # only a language the person chose, else the fair's
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            if isinstance(result, ParticipantClaim):
                _say_claimed(result)
            return redirect(url_for("public.register_sent", slug=fair.slug))
    return render_template("public/register.html", fair=fair, form=form), _status(form)


def _my_organisations() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .join(OrganisationMember)
            .where(OrganisationMember.user_id == current_user.id)
            .order_by(Organisation.name)
        )
    )


def _join(fair):  # noqa: ANN001, ANN202
    """A signed-in person registers one of their organisations, or a new one."""
    already = participants_of_user(current_user, fair.id)
    form = JoinFairForm()
    organisations = {str(o.id): o for o in _my_organisations()}
    form.organisation.choices = [
        *[(k, o.name) for k, o in organisations.items()],
        ("new", _("A new organisation")),
    ]
    if form.validate_on_submit():
        try:
            result = registration.join_fair(
                current_user,
                fair,
                form.side.data,
                organisation_name=form.organisation_name.data or "",
                siret=form.siret.data,
                organisation=organisations.get(form.organisation.data),
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error, "organisation")
        else:
            db.session.commit()
            if not isinstance(result, ParticipantClaim):
                flash(_("Your registration is recorded; the organiser will confirm it."), "success")
                return redirect(url_for("participant.profile", participant_id=result.id))
            _say_claimed(result)
            if result.status != "approved":
                return redirect(url_for("participant.home"))
            return redirect(url_for("participant.profile", participant_id=result.participant_id))
    return render_template("public/register_join.html", fair=fair, form=form, already=already), _status(form)


def _say_claimed(claim: ParticipantClaim) -> None:
    """Tell the person that the organisers entered their organisation already, and what happens next."""
    name = claim.participant.organisation.name
    if claim.status == "approved":
        flash(_("The organisers had registered %(name)s already: you act for it now.", name=name), "success")
    elif claim.via == "address":
        flash(
            _(
                "The organisers had registered %(name)s with your address already: confirm your address with "
                "the link we sent and you will act for it (nothing is registered twice).",
                name=name,
            ),
            "info",
        )
    else:
        flash(
            _(
                "The organisers had registered %(name)s (same SIRET number) already: once your address is "
                "confirmed, they check that you act for it and let you in (nothing is registered twice).",
                name=name,
            ),
            "info",
        )


@bp.get("/fairs/<slug>/register/sent")
def register_sent(slug: str):
    fair = public_fair_or_404(slug)
    return render_template("public/register_sent.html", fair=fair)


@bp.get(registration.CONFIRM_PATH + "<token>")
def confirm_email(token: str):
    try:
        user, first_time = registration.confirm_email(token)
    except DomainError as error:
        db.session.rollback()
        return render_template("public/register_confirm_failed.html", message=error.message), 400
    if first_time:
        # The first use of the link signs the person in: the shortest path to their profile.
        sign_in(user)
    flash(_("Your e-mail address is confirmed."), "success")
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    participants = participants_of_user(user)
    if participants:
        return redirect(url_for("participant.profile", participant_id=participants[-1].id))
    return redirect(url_for("participant.home"))
