"""Helpers shared by the participant and registration views."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from salon.extensions import db
from salon.models import OrganisationMember, Participant
from salon.services import DomainError


def attach_error(form: FlaskForm, error: DomainError, default_field: str | None = None) -> None:
    """Show a service's refusal next to its field (or at the top of the form)."""
    name = error.field if error.field in form else default_field
    if name in form:
        field = form[name]
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def my_participant(participant_id: int) -> Participant:
    """Return the participant the signed-in user acts for, with its fair and organisation; 404 otherwise."""
    if not current_user.is_authenticated:
        abort(404)
    # One query instead of four (participant, membership, fair, organisation): same rule as
    # participant_or_404, a member of the participant's organisation.
    query = (
        select(Participant)
        .join(OrganisationMember, OrganisationMember.organisation_id == Participant.organisation_id)
        .options(joinedload(Participant.fair), joinedload(Participant.organisation))
        .where(Participant.id == participant_id, OrganisationMember.user_id == current_user.id)
        .limit(1)
    )
    participant = db.session.scalar(query)
    if participant is None:
        abort(404)
    return participant


def refused_status(form: FlaskForm) -> int:
    """Return the HTTP status of a page re-rendered with a refused form."""
    return 422 if form.errors or form.form_errors else 200


def wish_label(wish) -> str:  # noqa: ANN001
    """Return the label of a wish's priority, or of a veto."""
    from salon.services.wishes import PRIORITY_LABELS, VETO_LABEL

    return str(VETO_LABEL if wish.veto else PRIORITY_LABELS.get(wish.priority, ""))


def card_context() -> dict:
    """Return what the organisation cards need besides the participants."""
    from salon import domain
    from salon.forms.participant import WISH_CHOICES

    return {"domain": domain, "wish_choices": WISH_CHOICES, "wish_label": wish_label}
