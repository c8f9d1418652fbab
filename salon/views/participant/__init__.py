"""Participant pages under /p: profile, catalogue, wishes, availability, agenda."""

from flask import Blueprint

bp = Blueprint("participant", __name__, url_prefix="/p")

from salon.views.participant import home  # noqa: E402,F401
from salon.views.participant import calendar  # noqa: E402,F401
from salon.views.participant import account, agenda, availability, catalogue, profile, wishes  # noqa: E402,F401
from salon.views.participant import outcomes  # noqa: E402,F401
