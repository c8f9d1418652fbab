"""Public pages: home, fair pages, language switch."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from salon.views.public import home  # noqa: E402,F401
from salon.views.public import feeds  # noqa: E402,F401
from salon.views.public import fairs, register  # noqa: E402,F401
from salon.views.public import board, legal  # noqa: E402,F401
