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
