"""WTForms forms per domain: validation only, no writes."""

from __future__ import annotations

MAX_ID = 2**31 - 1  # id columns are INTEGER: the largest value PostgreSQL's int4 holds


def parse_id(value: object) -> int | None:
    """Return a row id from form or query text: ASCII digits within range, else None (never raises)."""
    text = str(value or "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
