"""Full-text search of the catalogue: the same rows on SQLite (FTS5) and PostgreSQL (text search).

CI runs this module on both databases, so every assertion below holds on both engines.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from salon.services import profiles, search
from salon.services.catalogue import Filters, search_catalogue
from tests.factories import make_fair, make_participant


@pytest.fixture(autouse=True)
def _request(app, db):
    with app.test_request_context():
        yield


def _org(fair, side, name, **profile):
    p = make_participant(fair, side, name=name)
    profiles.update_profile(p.organisation, **profile)
    return p


@pytest.fixture()
def fair_world(db):
    fair = make_fair(phase="wishes")
    viewer_supplier = _org(fair, "supplier", "Recyclerie du Gard", structure_types=["aci"], city="Alès")
    viewer_buyer = _org(fair, "buyer", "Acheteur", buyer_kind="pme")
    _org(fair, "buyer", "CHU de Nîmes", buyer_kind="hopital", city="Nîmes", departements=["30"],
         needs="Blanchisserie et restauration collective")  # fmt: skip
    _org(fair, "buyer", "Habitat Sud Atlantic", buyer_kind="bailleur_social", city="Montpellier",
         departements=["34"], needs="Entretien des espaces verts des résidences")  # fmt: skip
    _org(fair, "buyer", "Ville d'Alès", buyer_kind="commune", city="Alès", departements=["30"],
         needs="Nettoyage des écoles")  # fmt: skip
    _org(fair, "buyer", "Département des Pyrénées-Orientales", buyer_kind="departement", city="Perpignan",
         departements=["66"], needs="Nettoyage nettoyage nettoyage des collèges")  # fmt: skip
    _org(fair, "supplier", "Net Quartiers", structure_types=["qpv"], city="Marseille", departements=["13"],
         offer="Nettoyage de bureaux")  # fmt: skip
    _org(fair, "supplier", "Atelier Bellevue", structure_types=["ei"], city="Nîmes",
         offer="Second œuvre, installée en quartier prioritaire de la ville")  # fmt: skip
    _org(fair, "supplier", "Les Jardins d'Oc", structure_types=["esat"], sectors=["espaces_verts"])
    make_participant(make_fair(phase="wishes"), "buyer", name="CHU d'une autre foire")
    return viewer_supplier, viewer_buyer


def _names(viewer, q="", **filters):
    return sorted(p.organisation.name for p in search_catalogue(viewer, Filters(q=q, **filters)).items)


def test_hospital_found_with_or_without_accents_and_by_chu(fair_world):
    supplier, _ = fair_world
    for query in ("hopital", "hôpital", "HÔPITAL", "chu", "centre hospitalier", "hôp"):
        assert _names(supplier, query) == ["CHU de Nîmes"], query


def test_whole_words_only_ales_is_not_orientales(fair_world):
    supplier, _ = fair_world
    assert _names(supplier, "ales") == ["Ville d'Alès"]
    assert _names(supplier, "alès") == ["Ville d'Alès"]
    assert _names(supplier, "ientales") == []
    assert _names(supplier, "pital") == []


def test_words_shown_on_cards_are_found(fair_world):
    supplier, buyer = fair_world
    assert _names(supplier, "bailleur") == ["Habitat Sud Atlantic"]
    assert _names(supplier, "commune") == ["Ville d'Alès"]
    assert _names(supplier, "gard") == ["CHU de Nîmes", "Ville d'Alès"]  # département name
    assert _names(supplier, "34") == ["Habitat Sud Atlantic"]  # département number
    assert _names(buyer, "espaces verts") == ["Les Jardins d'Oc"]  # sector label
    assert _names(buyer, "oeuvre") == ["Atelier Bellevue"]  # "œ" folds to "oe"


def test_quartier_prioritaire_finds_what_qpv_finds(fair_world):
    _, buyer = fair_world
    expected = ["Atelier Bellevue", "Net Quartiers"]
    assert _names(buyer, "qpv") == expected
    assert _names(buyer, "quartier prioritaire") == expected
    assert _names(buyer, "Quartiers prioritaires") == expected


def test_siae_finds_the_insertion_types(fair_world):
    _, buyer = fair_world
    assert _names(buyer, "siae") == ["Atelier Bellevue", "Recyclerie du Gard"]  # EI and ACI
    assert _names(buyer, "insertion") == ["Atelier Bellevue", "Recyclerie du Gard"]


def test_every_word_must_match(fair_world):
    supplier, _ = fair_world
    assert _names(supplier, "nettoyage") == ["Département des Pyrénées-Orientales", "Ville d'Alès"]
    assert _names(supplier, "nettoyage alès") == ["Ville d'Alès"]


def test_results_are_ranked_best_first(fair_world):
    supplier, _ = fair_world
    page = search_catalogue(supplier, Filters(q="nettoyage"))
    assert [p.organisation.name for p in page.items][0] == "Département des Pyrénées-Orientales"


def test_buyer_kind_filter(fair_world):
    supplier, _ = fair_world
    assert _names(supplier, buyer_kind="hopital") == ["CHU de Nîmes"]
    assert _names(supplier, "nettoyage", buyer_kind="commune") == ["Ville d'Alès"]


def test_index_follows_profile_changes(fair_world, db):
    supplier, _ = fair_world
    org = next(p.organisation for p in search_catalogue(supplier, Filters(q="montpellier")).items)
    profiles.update_profile(org, city="Uzès")
    db.session.commit()
    assert _names(supplier, "uzes") == ["Habitat Sud Atlantic"]
    assert _names(supplier, "montpellier") == []


def test_operators_in_the_query_are_plain_words(fair_world):
    supplier, _ = fair_world
    for query in ('"', "*", "NEAR(", "OR", "a:*", "!x", "(&|)", "-nettoyage", "chu OR"):
        search_catalogue(supplier, Filters(q=query))  # never a syntax error from the engine
    assert _names(supplier, "chu OR") == []  # "or" is a word to find, not an operator
    assert _names(supplier, "-chu") == ["CHU de Nîmes"]


def test_the_database_index_itself_answers(fair_world, db):
    """The rows come from the engine's own index (FTS5 table or tsvector), not from a LIKE."""
    hits = search.matching("hopital")
    ids = db.session.execute(text("SELECT id FROM organisations WHERE name = 'CHU de Nîmes'")).scalars().all()
    assert sorted(db.session.execute(hits.select()).scalars()) == ids
