"""Row ids from untrusted text: digits only, within a database integer, never an exception."""

from __future__ import annotations

import pytest

from salon.forms import parse_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [("42", 42), (" 7 ", 7), ("2147483647", 2**31 - 1)],
)
def test_parse_id_accepts_plain_ids(text, expected):
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", None, "0", "-3", "²", "٣", "1e3", "9" * 40, "2147483648", "9223372036854775807", "12a", "1 2"],
)
def test_parse_id_refuses_anything_else(text):
    assert parse_id(text) is None
