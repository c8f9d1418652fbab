"""Catalogue: accent-free search, filters, pagination, suggestions with their reason."""

from __future__ import annotations

import pytest

from salon.services import profiles
from salon.services.catalogue import Filters, match, search_catalogue, suggest_counterparts
from tests.factories import make_fair, make_participant


@pytest.fixture(autouse=True)
def _request(app, db):
    with app.test_request_context():
        yield


def _supplier(fair, name, status="approved", **profile):
    p = make_participant(fair, "supplier", name=name, status=status)
    profiles.update_profile(p.organisation, **profile)
    return p


@pytest.fixture()
def market(db):
    fair = make_fair(phase="wishes")
    buyer = make_participant(fair, "buyer", name="Ville de Montpellier")
    profiles.update_profile(
        buyer.organisation,
        buyer_kind="commune",
        sectors=["nettoyage"],
        departements=["34"],
        needs="Nettoyage des locaux et réemploi du mobilier",
    )
    s1 = _supplier(
        fair,
        "Recyclerie",
        offer="Réemploi de mobilier",
        sectors=["reemploi"],
        structure_types=["aci"],
        departements=["34"],
    )
    s2 = _supplier(
        fair,
        "Net'ESAT",
        offer="Nettoyage de bureaux",
        sectors=["nettoyage"],
        structure_types=["esat"],
        departements=["30"],
    )
    s3 = _supplier(
        fair,
        "SCOP Imprimerie",
        offer="Impression",
        sectors=["imprimerie"],
        structure_types=["scop"],
        departements=["13"],
    )
    _supplier(fair, "En attente", status="pending", offer="Réemploi")
    other_fair = make_fair(phase="wishes")
    _supplier(other_fair, "Ailleurs", offer="Réemploi")
    return fair, buyer, s1, s2, s3


def _names(page):
    return [p.organisation.name for p in page.items]


def test_search_ignores_accents_and_case(market):
    _, buyer, *_ = market
    assert _names(search_catalogue(buyer, Filters(q="reemploi"))) == ["Recyclerie"]
    assert _names(search_catalogue(buyer, Filters(q="RÉEMPLOI"))) == ["Recyclerie"]
    assert _names(search_catalogue(buyer, Filters(q="net esat"))) == ["Net'ESAT"]


def test_search_shows_only_approved_other_side_of_same_fair(market):
    _, buyer, *_ = market
    assert _names(search_catalogue(buyer, Filters())) == ["Net'ESAT", "Recyclerie", "SCOP Imprimerie"]


def test_supplier_sees_buyers(market):
    _, buyer, s1, *_ = market
    assert [p.id for p in search_catalogue(s1, Filters()).items] == [buyer.id]


def test_filters_structure_type_sector_departement(market):
    _, buyer, *_ = market
    assert _names(search_catalogue(buyer, Filters(structure_type="scop"))) == ["SCOP Imprimerie"]
    assert _names(search_catalogue(buyer, Filters(sector="nettoyage"))) == ["Net'ESAT"]
    assert _names(search_catalogue(buyer, Filters(departement="34"))) == ["Recyclerie"]
    assert _names(search_catalogue(buyer, Filters(structure_type="unknown"))) == [
        "Net'ESAT",
        "Recyclerie",
        "SCOP Imprimerie",
    ]


def test_filter_reserved_contracts_keeps_ea_esat_and_siae(market):
    _, buyer, *_ = market
    assert _names(search_catalogue(buyer, Filters(reserved=True))) == ["Net'ESAT", "Recyclerie"]


def test_search_paginates(db):
    fair = make_fair(phase="wishes")
    buyer = make_participant(fair, "buyer")
    for i in range(5):
        _supplier(fair, f"Structure {i}")
    first = search_catalogue(buyer, Filters(), page=1, per_page=2)
    last = search_catalogue(buyer, Filters(), page=3, per_page=2)
    beyond = search_catalogue(buyer, Filters(), page=9, per_page=2)
    assert (first.total, first.pages, _names(first)) == (5, 3, ["Structure 0", "Structure 1"])
    assert _names(last) == ["Structure 4"]
    assert beyond.page == 3


def test_suggestions_ranked_with_reason(market):
    _, buyer, s1, s2, s3 = market
    suggestions = suggest_counterparts(buyer)
    assert [s.participant.id for s in suggestions] == [s1.id, s2.id]
    assert [s.reason for s in suggestions] == [
        "même département ; mots communs : mobilier, réemploi ; éligible aux marchés réservés",
        "secteur commun : nettoyage, propreté ; éligible aux marchés réservés",
    ]


def test_suggestions_for_supplier_use_the_reverse_match(market):
    _, buyer, s1, *_ = market
    [suggestion] = suggest_counterparts(s1)
    assert suggestion.participant.id == buyer.id
    assert (
        suggestion.reason
        == "même département ; mots communs : mobilier, réemploi ; éligible aux marchés réservés"
    )


def test_match_scores_zero_without_common_ground(market):
    _, buyer, _, _, s3 = market
    assert match(buyer.organisation, s3.organisation) == (0, "")
