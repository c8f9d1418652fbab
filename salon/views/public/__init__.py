"""Public pages: home, fair pages, language switch."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from salon.views.public import (  # noqa: E402,F401  # noqa: E402,F401
    agenda_link,
    board,
    fairs,
    feeds,  # noqa: E402,F401
    home,  # noqa: E402,F401
    invitations,
    legal,
    register,
)
