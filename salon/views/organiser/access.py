"""Accounts for the fair's entries: invite imported participants, decide the requests to act for one."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms import parse_id
from salon.models import ParticipantClaim
from salon.services import DomainError, participant_access, participant_invitations
from salon.services import participants_admin as admin
from salon.views.organiser import bp
from salon.views.organiser.participants import participant_or_404
from salon.views.public.home import safe_next


def _back(fair_id: int):  # noqa: ANN202
    fallback = url_for("organiser.participants", fair_id=fair_id)
    return redirect(safe_next(request.form.get("back"), fallback), 303)


def _say(report: participant_invitations.InviteReport) -> None:
    """Flash what an invitation round did, in words."""
    if report.sent or report.resent:
        flash(
            ngettext(
                "%(num)d invitation queued: it leaves the next time the mail sender runs.",
                "%(num)d invitations queued: they leave the next time the mail sender runs.",
                report.sent + report.resent,
            ),
            "success",
        )
    skipped = [
        (
            report.joined,
            ngettext("%(num)d already has an account.", "%(num)d already have an account.", report.joined),
        ),
        (
            report.no_address,
            ngettext("%(num)d has no e-mail address.", "%(num)d have no e-mail address.", report.no_address),
        ),
        (
            report.waiting,
            ngettext(
                "%(num)d was invited already and can still use the link.",
                "%(num)d were invited already and can still use their link.",
                report.waiting,
            ),
        ),
    ]
    for count, text in skipped:
        if count:
            flash(text, "info")
    if not (report.sent or report.resent or report.joined or report.no_address or report.waiting):
        flash(_("Tick the participants to invite first."), "error")


@bp.post("/fairs/<int:fair_id>/participants/invite")
@login_required
def participants_invite(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    everyone = request.form.get("scope") == "everyone"
    ids = {parse_id(v) for v in request.form.getlist("participant_ids")} - {None}
    # Refused registrations are never invited, even ticked.
    chosen = [p for p in admin.list_participants(fair) if p.status != "refused" and (everyone or p.id in ids)]
    report = participant_invitations.invite_many(fair, current_user, chosen, everyone=everyone)
    db.session.commit()
    _say(report)
    return _back(fair.id)


@bp.post("/fairs/<int:fair_id>/participants/<int:participant_id>/invite")
@login_required
def participant_invite(fair_id: int, participant_id: int):
    fair = organiser_fair_or_404(fair_id)
    participant = participant_or_404(fair, participant_id)
    try:
        invitation, resent = participant_invitations.invite_participant(fair, current_user, participant)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        if resent:
            flash(_("Invitation to %(email)s queued again: it leaves the next time the mail sender runs.",
                    email=invitation.email), "success")  # fmt: skip
        else:
            flash(_("Invitation to %(email)s queued: it leaves the next time the mail sender runs.",
                    email=invitation.email), "success")  # fmt: skip
    return _back(fair.id)


@bp.post("/fairs/<int:fair_id>/claims/<int:claim_id>")
@login_required
def claim_decide(fair_id: int, claim_id: int):
    fair = organiser_fair_or_404(fair_id)
    claim = db.session.get(ParticipantClaim, claim_id)
    if claim is None or claim.fair_id != fair.id:
        abort(404)
    decision = request.form.get("decision")
    if decision not in ("approve", "refuse"):
        flash(_("Choose to approve or to refuse."), "error")
        return _back(fair.id)
    try:
        participant_access.decide_claim(fair, current_user, claim, approve=decision == "approve")
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        name = claim.participant.organisation.name
        told = _("An e-mail tells them; it leaves the next time the mail sender runs.")
        if decision == "approve":
            done = _("%(person)s now acts for %(name)s.", person=claim.user.email, name=name)
            flash(f"{done} {told}", "success")
        else:
            done = _("The request of %(person)s is refused.", person=claim.user.email)
            flash(f"{done} {told}", "info")
    return _back(fair.id)
