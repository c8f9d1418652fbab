"""Domain vocabulary: SIRET checks, départements, reserved-contract eligibility."""

from __future__ import annotations

import pytest

from salon import domain
from salon.models.organisation import STRUCTURE_TYPES


@pytest.mark.parametrize("siret", ["73282932000074", "44306184100047"])
def test_siret_valid_when_luhn_holds(siret):
    assert domain.siret_problem(siret) is None
    assert domain.is_valid_siret(siret) is True


def test_siret_invalid_checksum():
    assert domain.siret_problem("73282932000075") == "checksum"


def test_siret_la_poste_uses_sum_multiple_of_five():
    # 3+5+6+4+9+8+3+7 = 45: valid for La Poste although Luhn fails.
    assert domain._luhn_ok("35600000049837") is False
    assert domain.siret_problem("35600000049837") is None
    assert domain.siret_problem("35600000000048") is None  # the head office
    assert domain.siret_problem("35600000049838") == "checksum"


def test_siret_accepts_spaces_and_cleans_to_digits():
    assert domain.siret_problem("732 829 320 00074") is None
    assert domain.siret_problem("732\u00a0829\u00a0320\u00a000074") is None
    assert domain.clean_siret(" 732 829 320 00074 ") == "73282932000074"


@pytest.mark.parametrize("siret", ["7328293200007", "732829320000740", ""])
def test_siret_wrong_length(siret):
    assert domain.siret_problem(siret) == "length"


def test_siret_refuses_letters():
    assert domain.siret_problem("7328293200007A") == "digits"
    assert domain.siret_problem("٧٣٢٨٢٩٣٢٠٠٠٠٧٤") == "digits"  # non-ASCII digits


def test_departements_cover_every_french_code():
    codes = set(domain.DEPARTEMENTS)
    expected = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B", "971", "972", "973", "974", "976"}
    assert codes == expected
    assert domain.DEPARTEMENTS["34"] == "Hérault"
    assert domain.departement_label("2A") == "2A – Corse-du-Sud"
    assert domain.region_name("34") == "Occitanie"
    assert domain.region_name("13") == "Provence-Alpes-Côte d'Azur"
    assert set(domain.DEPARTEMENT_REGION) == codes


def test_structure_type_labels_cover_the_model_codes():
    assert set(domain.STRUCTURE_TYPE_LABELS) == set(STRUCTURE_TYPES)


@pytest.mark.parametrize(
    ("types", "eligible", "articles"),
    [
        (["ea"], True, ["L2113-12"]),
        (["esat", "association"], True, ["L2113-12"]),
        (["aci", "association"], True, ["L2113-13"]),
        (["ei", "scop", "ea"], True, ["L2113-12", "L2113-13"]),
        (["scop", "scic"], False, []),
        ([], False, []),
    ],
)
def test_reserved_contract_eligible(types, eligible, articles):
    assert domain.reserved_contract_eligible(types) is eligible
    assert domain.reserved_contract_articles(types) == articles


def test_regions_sorted_in_french_order_cover_every_departement():
    regions = domain.regions_by_name()
    names = [name for _, name, _ in regions]
    assert names.index("Hauts-de-France") < names.index("Île-de-France") < names.index("La Réunion")
    assert sorted(d for _, _, deps in regions for d in deps) == sorted(domain.DEPARTEMENTS)
