"""WTForms forms per domain: validation only, no writes."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest id any supported database stores


def parse_id(value: object) -> int | None:
    """Return a row id from form or query text: ASCII digits within range, else None (never raises)."""
    text = str(value or "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
