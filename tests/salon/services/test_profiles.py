"""Profiles: validated updates and the accent-free search text."""

from __future__ import annotations

import pytest

from salon.services import DomainError, profiles
from tests.factories import make_organisation


@pytest.fixture(autouse=True)
def _request(app, db):
    with app.test_request_context():
        yield


def test_normalise_text_drops_accents_case_and_punctuation():
    assert (
        profiles.normalise_text("Réemploi, ŒUVRE & Blanchisserie-Hôpital")
        == "reemploi oeuvre blanchisserie hopital"
    )


def test_update_profile_sets_fields_and_search_text(db):
    org = make_organisation(name="Ateliers")
    profiles.update_profile(
        org,
        offer="Réemploi de mobilier de bureau",
        sectors=["reemploi", "mobilier"],
        departements=["34"],
        structure_types=["aci", "association"],
        siret="732 829 320 00074",
    )
    assert org.siret == "73282932000074"
    assert org.sectors == ["mobilier", "reemploi"]
    assert "reemploi de mobilier de bureau" in org.search_text
    assert "herault" in org.search_text
    assert "recyclage" in org.search_text  # sector keywords


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"siret": "73282932000075"}, "siret"),
        ({"siret": "12 34"}, "siret"),
        ({"sectors": ["astrologie"]}, "sectors"),
        ({"departements": ["20"]}, "departements"),
        ({"structure_types": ["sarl"]}, "structure_types"),
        ({"buyer_kind": "pirate"}, "buyer_kind"),
        ({"name": " "}, "name"),
    ],
)
def test_update_profile_refuses_bad_values_and_changes_nothing(db, fields, field):
    org = make_organisation(name="Ateliers", siret="73282932000074", sectors=["textile"])
    with pytest.raises(DomainError) as err:
        profiles.update_profile(org, offer="new offer", **fields)
    assert err.value.field == field
    assert (org.name, org.siret, org.sectors, org.offer) == ("Ateliers", "73282932000074", ["textile"], "")


def test_update_profile_clears_siret_when_empty(db):
    org = make_organisation(siret="73282932000074")
    profiles.update_profile(org, siret="")
    assert org.siret is None


def test_public_profile_hides_contact_details(db):
    org = make_organisation(
        contact_email="secret@example.org", contact_phone="0600000000", siret="73282932000074"
    )
    public = profiles.public_profile(org)
    assert "contact_email" not in public and "contact_phone" not in public and "siret" not in public
    assert public["name"] == org.name
