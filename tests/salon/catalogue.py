"""The message ids of the source (extracted as Babel does) and the French catalogue they map to."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHODS = [("**.py", "python"), ("**.html", "jinja2"), ("**.txt", "jinja2")]


def _searched(dirpath: str | os.PathLike[str]) -> bool:
    """Keep every folder but hidden ones and __pycache__.

    Babel's default filter also drops folders starting with "_", so templates/_macros/ (the form error
    banner) was never extracted; `pybabel extract` needs `--ignore-dirs ".* __pycache__"` for the same.
    """
    name = os.path.basename(dirpath)
    return not (name.startswith(".") or name == "__pycache__")


@cache
def source_messages() -> dict[str, str]:
    """Return every msgid (singular and plural) found in salon/ and templates/ with one place it is used."""
    found: dict[str, str] = {}
    for folder in ("salon", "templates"):
        for filename, _line, message, _c, _ctx in extract_from_dir(
            ROOT / folder, METHODS, keywords=KEYWORDS, comment_tags=(), directory_filter=_searched
        ):
            for msgid in (message,) if isinstance(message, str) else message:
                if msgid:
                    found.setdefault(msgid, f"{folder}/{filename}")
    return found


@cache
def french_catalogue() -> dict[str, str]:
    """Return msgid -> French text over every area's catalogue (fuzzy and empty entries left out)."""
    catalogue: dict[str, str] = {}
    for po in sorted((ROOT / "salon" / "translations").glob("*/fr/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            for message in read_po(handle):
                ids = (message.id,) if isinstance(message.id, str) else message.id
                texts = (message.string,) if isinstance(message.string, str) else message.string
                if ids[0] and texts and texts[0] and not message.fuzzy:
                    for msgid, text in zip(ids, (*texts, texts[-1]), strict=False):
                        catalogue.setdefault(msgid, text)
    return catalogue
