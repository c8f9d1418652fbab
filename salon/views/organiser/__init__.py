"""Organiser pages under /orga: fair set-up, participants, scheduling, review, publishing."""

from flask import Blueprint

bp = Blueprint("organiser", __name__, url_prefix="/orga")

from salon.views.organiser import (  # noqa: E402,F401  # noqa: E402,F401,I001
    access,
    calendar,  # noqa: E402,F401
    confirm,
    dayof,
    dayof_after,
    home,  # noqa: E402,F401
    import_mapping,
    importing,
    nav,  # noqa: E402,F401
    on_behalf,
    outbox,
    participants,
    printing,
    publish,
    review,
    schedule,
    setup,
    transfer,
)
