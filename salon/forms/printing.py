"""Printout forms: validation only, no writes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class PrintForm(FlaskForm):
    include_empty = BooleanField(_l("Also print the agendas of participants without meetings"))
