"""A fair's deadlines: registration first, then wishes, both before the fair begins."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from salon.models import Fair
from salon.services import DomainError
from salon.templating import local_datetime


def check_deadlines(fair: Fair, fields: dict[str, Any]) -> None:
    """Refuse a wishes deadline before the registration one, and a changed deadline after the fair begins."""
    registration = fields.get("registration_deadline", fair.registration_deadline)
    wishes = fields.get("wishes_deadline", fair.wishes_deadline)
    if registration and wishes and wishes < registration:
        raise DomainError(
            _("The wishes deadline must come after the registration deadline."), "wishes_deadline"
        )
    opening = fair.slots[0].starts_at if fair.slots else None
    for key in ("registration_deadline", "wishes_deadline"):
        value = fields.get(key)
        # Only a deadline being changed: an old fair keeps saving its other settings.
        if opening and value and value != getattr(fair, key) and value >= opening:
            when = local_datetime(opening, fair, "EEEE d MMMM y, HH:mm")
            raise DomainError(_("A deadline must come before the fair begins (%(when)s).", when=when), key)
