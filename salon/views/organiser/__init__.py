"""Organiser pages under /orga: fair set-up, participants, scheduling, review, publishing."""

from flask import Blueprint

bp = Blueprint("organiser", __name__, url_prefix="/orga")

from salon.views.organiser import home  # noqa: E402,F401
from salon.views.organiser import calendar  # noqa: E402,F401
from salon.views.organiser import dayof, dayof_after  # noqa: E402,F401
from salon.views.organiser import setup, participants, transfer, schedule, review, printing  # noqa: E402,F401,I001
