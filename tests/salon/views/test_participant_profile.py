"""Profile page: edit the organisation's profile; refusals next to the field; others' profiles are 404."""

from __future__ import annotations

import pytest

from salon.models import Organisation
from tests.salon.views.participant_scene import build_scene, error_next_to

GOOD = {
    "name": "Ville de Montpellier",
    "siret": "",
    "buyer_kind": "commune",
    "sectors": ["nettoyage", "reemploi"],
    "departements": ["34", "30"],
    "needs": "Réemploi de mobilier, nettoyage",
    "purchases_planned": "Marché de nettoyage 2027",
    "city": "Montpellier",
    "website": "https://www.montpellier.fr",
    "contact_email": "achats@ville.example",
}


def _org(db, scene):
    db.session.expire_all()
    return db.session.get(Organisation, scene.buyer.organisation_id)


def test_profile_page_is_french_and_shows_buyer_fields(client, db):
    scene = build_scene(client)
    page = client.get(f"/p/{scene.buyer.id}/profile").get_data(as_text=True)
    assert "Profil de mon organisation" in page
    assert "Vos besoins" in page
    assert "Type de structure de l’ESS" not in page and "Type de structure de l'ESS" not in page


def test_profile_saves_and_refreshes_search_text(client, db):
    scene = build_scene(client)
    response = client.post(f"/p/{scene.buyer.id}/profile", data=GOOD)
    assert response.status_code == 302
    org = _org(db, scene)
    assert org.sectors == ["nettoyage", "reemploi"]
    assert org.departements == ["30", "34"]
    assert "reemploi de mobilier" in org.search_text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "73282932000075", "SIRET"),
        ("siret", "12", "14 chiffres"),
        ("name", "", "nom de l’organisation"),
        ("contact_email", "pas-une-adresse", "adresse e-mail valide"),
        ("website", "montpellier", "adresse complète"),
        ("departements", ["99"], "liste"),
        ("buyer_kind", "pirate", "liste"),
    ],
)
def test_profile_refuses_bad_input_next_to_field(client, db, field, value, message):
    scene = build_scene(client)
    before = _org(db, scene).search_text, _org(db, scene).needs
    response = client.post(f"/p/{scene.buyer.id}/profile", data=dict(GOOD, **{field: value}))
    assert response.status_code == 422
    assert message in error_next_to(response.get_data(as_text=True), field)
    org = _org(db, scene)
    assert (org.search_text, org.needs) == before


def test_profile_of_another_participant_is_404(client, db):
    scene = build_scene(client)
    for other in (scene.recyclerie, scene.other_buyer, scene.elsewhere):
        assert client.get(f"/p/{other.id}/profile").status_code == 404
        assert client.post(f"/p/{other.id}/profile", data=GOOD).status_code == 404
    assert client.get("/p/999999/profile").status_code == 404


def test_profile_requires_sign_in(client, db):
    scene = build_scene(client)
    client.post("/logout")
    response = client.get(f"/p/{scene.buyer.id}/profile")
    assert response.status_code in (302, 404)
