"""Every user-facing string has a French translation, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHODS = [("**.py", "python"), ("**.html", "jinja2"), ("**.txt", "jinja2")]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def _source_messages() -> dict[str, str]:
    """Return every msgid found in salon/ and templates/ with one place it comes from."""
    found: dict[str, str] = {}
    for folder in ("salon", "templates"):
        for filename, _line, message, _c, _ctx in extract_from_dir(
            ROOT / folder, METHODS, keywords=KEYWORDS, comment_tags=()
        ):
            msgid = message if isinstance(message, str) else message[0]
            if msgid:
                found.setdefault(msgid, f"{folder}/{filename}")
    return found


def _french() -> dict[str, str]:
    catalogue: dict[str, str] = {}
    for po in sorted((ROOT / "salon" / "translations").glob("*/fr/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            for message in read_po(handle):
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                text = message.string if isinstance(message.string, str) else message.string[0]
                if msgid and text and not message.fuzzy:
                    catalogue.setdefault(msgid, text)
    return catalogue


def test_every_message_has_a_french_translation():
    french = _french()
    messages = _source_messages()
    missing = {msgid: where for msgid, where in messages.items() if msgid not in french}
    assert len(messages) > 500  # the extraction really ran over the code and templates
    assert missing == {}


def test_french_translations_keep_the_placeholders():
    french = _french()
    wrong = {
        msgid: text
        for msgid, text in french.items()
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text))
    }
    assert wrong == {}
