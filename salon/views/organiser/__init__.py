"""Organiser pages under /orga: fair set-up, participants, scheduling, review, publishing."""

from flask import Blueprint

bp = Blueprint("organiser", __name__, url_prefix="/orga")

from salon.views.organiser import (  # noqa: E402,F401  # noqa: E402,F401,I001
    calendar,  # noqa: E402,F401
    confirm,
    dayof,
    dayof_after,
    home,  # noqa: E402,F401
    nav,  # noqa: E402,F401
    participants,
    printing,
    review,
    schedule,
    setup,
    transfer,
)
