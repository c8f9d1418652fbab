"""The password rules (NIST SP 800-63B): length, blocklist, predictable patterns, the person's own words."""

from __future__ import annotations

import pytest

from salon.services import DomainError
from salon.services.passwords import check_new_password, context_words

OWN = ("Camille Dupont", "camille.dupont@mairie-sete.fr", "Salon ESS Occitanie", "Recyclerie du Lez")


def _refusal(app, password: str, context=OWN) -> str | None:
    with app.test_request_context():
        try:
            check_new_password(password, context)
        except DomainError as refused:
            assert refused.field == "password"
            return refused.message
    return None


def test_blocklist_is_bundled_and_large_enough():
    from zxcvbn.matching import RANKED_DICTIONARIES

    assert len(RANKED_DICTIONARIES["passwords"]) >= 10_000
    assert RANKED_DICTIONARIES["passwords"]["motdepasse"] > 0


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "Brique7Sureau lagune", "tulip-Orbit9", "vert-Lagune-7 du matin"],
)
def test_good_passwords_are_accepted(app, password):
    assert _refusal(app, password) is None


@pytest.mark.parametrize(
    "password",
    ["azertyuiop123", "motdepasse2024", "Motdepasse2024!", "password12345", "123456789012", "Marseille2027!"],
)
def test_common_passwords_are_refused(app, password):
    message = _refusal(app, password)
    assert "parmi les plus courants" in message or "trop facile à deviner" in message


@pytest.mark.parametrize(
    "password",
    ["Camille Dupont 2027", "camilledupont!!", "dupont.camille@", "SalonESSOccitanie", "Recyclerie du Lez 34",
     "mairiesete2027"],
)  # fmt: skip
def test_passwords_built_from_the_persons_own_words_are_refused(app, password):
    assert "construit à partir de votre nom, de votre adresse ou du nom du salon" in _refusal(app, password)


def test_repeats_and_sequences_are_refused(app):
    assert "trop facile à deviner" in _refusal(app, "aaaaaaaaaaaaaaaa")
    assert "trop facile à deviner" in _refusal(app, "abcdefghijklmnop")


def test_length_is_checked_first_and_long_passwords_are_fine(app):
    assert "12" in _refusal(app, "Xk9#mQ2!pL")
    assert _refusal(app, "an unusual long phrase, " * 10) is None  # beyond zxcvbn's 72 characters


def test_context_words_fold_names_and_addresses():
    assert context_words(["Hélène Œuvray", "h.oeuvray@gmail.com"]) == ["oeuvray", "helene"]
