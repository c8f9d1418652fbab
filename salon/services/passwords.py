"""Which new passwords are refused: too short, common, predictable, or built from the person's own words.

NIST SP 800-63B (5.1.1.2) asks to check a new password against a blocklist of passwords from breaches,
dictionary words, repeated or sequential characters, and context-specific words (the service, the user's
name). zxcvbn (MIT licence, maintained on PyPI) bundles that blocklist: the 30,000 most common passwords of
the Xato breach corpus, with English dictionary words, first names and surnames; it also finds keyboard
rows, sequences, repeats, dates and "l33t" variants. The person's own words (name, e-mail address,
organisation, fair) are given to it, and removed by us as well, so "Camille Dupont 2027" is refused.
Nothing is downloaded at run time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import gettext as _

from salon.services import DomainError
from salon.text import fold

MIN_PASSWORD_LENGTH = 12
MIN_SCORE = 3  # zxcvbn: at least 10^8 guesses ("safely unguessable" online, slow-hash offline)
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; the first 72 characters decide
MIN_OWN_LETTERS = 4  # letters left once the person's own words, digits and signs are taken out
# Parts of e-mail addresses that say nothing about the person.
_MAIL_WORDS = frozenset("com org net gouv gmail yahoo hotmail outlook live icloud".split())


def context_words(values: Iterable[str | None]) -> list[str]:
    """Return the folded words (3 characters or more) of names, addresses and titles, longest first."""
    words = {w for value in values for w in fold(value).split() if len(w) >= 3 and w not in _MAIL_WORDS}
    return sorted(words, key=lambda w: (-len(w), w))


def _built_from(password: str, words: list[str]) -> bool:
    """Say whether the password is the person's own words with digits or signs around them."""
    folded = fold(password).replace(" ", "")
    rest = folded
    for word in words:
        rest = rest.replace(word, "")
    if rest == folded:
        return False
    return len(re.sub(r"[^a-z]", "", rest)) < MIN_OWN_LETTERS


def _decorated(password: str) -> str:
    """Return the password without case, accents, separators, and digits or signs at either end.

    "Motdepasse2024!" gives "motdepasse": a common password with a year around it is still common.
    """
    return re.sub(r"^[^a-z]+|[^a-z]+$", "", fold(password).replace(" ", ""))


def check_new_password(password: str, context: Iterable[str | None] = ()) -> None:
    """Refuse a new password that is short, common, predictable or built from the person's own words."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), "password"
        )
    words = context_words(context)
    if _built_from(password, words):
        raise DomainError(
            _("This password is built from your name, your address or the fair's name: choose another."),
            "password",
        )
    from zxcvbn import zxcvbn  # loads its word lists (a few MB): only when a password is set
    from zxcvbn.matching import RANKED_DICTIONARIES

    if _decorated(password) in RANKED_DICTIONARIES["passwords"]:
        raise DomainError(_("This password is among the most common ones: choose another."), "password")
    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=words)
    if result["score"] >= MIN_SCORE:
        return
    dictionaries = {m.get("dictionary_name") for m in result["sequence"] if m["pattern"] == "dictionary"}
    if "user_inputs" in dictionaries:
        message = _("This password is built from your name, your address or the fair's name: choose another.")
    elif "passwords" in dictionaries:
        message = _("This password is among the most common ones: choose another.")
    else:
        message = _(
            "This password is too easy to guess (common words, repeated characters, sequences or "
            "keyboard rows): choose a longer one, for instance a few unrelated words."
        )
    raise DomainError(message, "password")
