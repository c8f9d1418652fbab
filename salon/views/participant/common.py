"""Helpers shared by the participant and registration views."""

from __future__ import annotations

from flask_wtf import FlaskForm

from salon.auth import participant_or_404
from salon.models import Participant
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
    """Return the participant the signed-in user acts for; 404 otherwise."""
    return participant_or_404(participant_id)


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
