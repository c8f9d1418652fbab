"""One folding function for every comparison of words."""

from __future__ import annotations

from salon.services import checkin, fairs, import_columns, profiles
from salon.text import fold, lower_first


def test_fold_drops_accents_case_punctuation_and_ligatures():
    assert fold("Second œuvre, BTP") == "second oeuvre btp"
    assert fold("  HÔPITAL d'Alès  ") == "hopital d ales"
    assert fold("Æther straße") == "aether strasse"
    assert fold(None) == ""


def test_fold_is_the_one_used_by_import_search_and_check_in():
    assert import_columns.fold is fold
    assert checkin.fold is fold
    assert profiles.normalise_text("Œuvre") == fold("Œuvre")
    assert fairs.slugify("Salon Coventis — Alès 2027") == "salon-coventis-ales-2027"


def test_lower_first_puts_a_label_inside_a_sentence_and_keeps_its_acronyms():
    assert lower_first("Second œuvre, BTP") == "second œuvre, BTP"
    assert lower_first("Type de structure de l’ESS") == "type de structure de l’ESS"
    assert lower_first("ESS structure type (suppliers)") == "ESS structure type (suppliers)"
    assert lower_first("Réemploi, recyclage, DEEE") == "réemploi, recyclage, DEEE"
    assert lower_first("Collège") == "collège"
    assert lower_first("A") == "a" and lower_first("") == "" and lower_first(None) == ""
