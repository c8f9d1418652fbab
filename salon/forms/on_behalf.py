"""Forms the organisers fill in for a participant: the participant's own forms, with what differs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired

from salon.forms.participant import WISH_CHOICES, PriorityField, WishForm
from salon.forms.registration import ListField


class OrganiserWishForm(WishForm):
    """A wish entered for a participant: the participant to meet is picked from a list."""

    target_id = ListField(
        _l("Participant to meet"), choices=[], validators=[DataRequired(_l("Choose a participant."))]
    )
    choice = PriorityField(
        _l("The participant's wish"),
        choices=WISH_CHOICES,
        validators=[DataRequired(_l("Choose a priority."))],
    )
