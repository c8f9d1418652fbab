"""WTForms forms per domain: validation only, no writes."""

from __future__ import annotations

from wtforms.validators import ValidationError

from salon.services import SINGLE_LINE_MESSAGE
from salon.text import has_control_characters

MAX_ID = 2**31 - 1  # id columns are INTEGER: the largest value PostgreSQL's int4 holds


def parse_id(value: object) -> int | None:
    """Return a row id from form or query text: ASCII digits within range, else None (never raises)."""
    text = str(value or "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class SingleLine:
    """Refuse line breaks, tabs and other control characters in a one-line text field."""

    field_flags = {"single_line": True}

    def __call__(self, form, field) -> None:  # noqa: ANN001
        if has_control_characters(field.data):
            raise ValidationError(SINGLE_LINE_MESSAGE)
