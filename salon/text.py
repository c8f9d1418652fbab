"""Text folding: the one way Salon compares words ("Hôpital" = "hopital", "œuvre" = "oeuvre")."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ﬁ": "fi", "ﬂ": "fl"})
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: object) -> str:
    """Return lower-case ASCII words, single-spaced ("Second œuvre, BTP" -> "second oeuvre btp")."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").translate(_LIGATURES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    bare = bare.encode("ascii", "ignore").decode()
    return " ".join(_NON_WORD.sub(" ", bare).split())


def lower_first(text: object) -> str:
    """Return a label as it reads inside a sentence: its first letter in lower case, unless its first word is
    an acronym; acronyms further on keep their capitals ("Second œuvre, BTP" -> "second œuvre, BTP", "Type de
    structure de l’ESS" -> "type de structure de l’ESS", "ESS structure type" unchanged)."""
    words = str(text or "")
    first = words.split(" ", 1)[0]
    if len(first) > 1 and first[1:2].isupper():
        return words
    return words[:1].lower() + words[1:]


# Characters that break a line or steer the display: controls (Cc: CR, LF, tab, NUL, DEL, C1), the line and
# paragraph separators, and the bidirectional embeddings, overrides and isolates (a name must not reorder
# the text around it).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _breaks_line(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI_CONTROLS


def has_control_characters(text: object, multiline: bool = False) -> bool:
    """Tell whether the text holds a line break, a tab or another control character (multi-line text may
    hold tabs and line breaks)."""
    allowed = "\t\n\r" if multiline else ""
    return any(_breaks_line(ch) and ch not in allowed for ch in str(text or ""))


def single_line(text: object) -> str:
    """Return the text on one line: control characters become spaces, spaces are collapsed."""
    return " ".join("".join(" " if _breaks_line(ch) else ch for ch in str(text or "")).split())
