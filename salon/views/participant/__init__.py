"""Participant pages under /p: profile, catalogue, wishes, availability, agenda."""

from flask import Blueprint

bp = Blueprint("participant", __name__, url_prefix="/p")

from salon.views.participant import (  # noqa: E402,F401
    account,
    agenda,
    availability,
    calendar,  # noqa: E402,F401
    catalogue,
    home,  # noqa: E402,F401
    nav,  # noqa: E402,F401
    outcomes,  # noqa: E402,F401
    profile,
    wishes,
)
