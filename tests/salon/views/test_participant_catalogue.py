"""Catalogue pages: search without accents, filters, suggestions, counterpart profile, privacy."""

from __future__ import annotations

import html

from salon.services import profiles
from tests.factories import login, make_participant, make_user
from tests.salon.views.participant_scene import build_scene, make_meeting


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_catalogue_search_ignores_accents(client, db):
    scene = build_scene(client)
    page = _page(client, f"/p/{scene.buyer.id}/catalogue?q=reemploi")
    assert "Recyclerie du Lez" in page
    assert "ESAT Les Iris" not in page
    assert "1 résultat" in page


def test_catalogue_filters_reserved_and_sector(client, db):
    scene = build_scene(client)
    page = _page(client, f"/p/{scene.buyer.id}/catalogue?sector=nettoyage")
    assert "ESAT Les Iris" in page and "Recyclerie du Lez" not in page
    page = _page(client, f"/p/{scene.buyer.id}/catalogue?reserved=y")
    assert "ESAT Les Iris" in page and "Recyclerie du Lez" in page


def test_catalogue_shows_suggestions_with_reason(client, db):
    scene = build_scene(client)
    page = _page(client, f"/p/{scene.buyer.id}/catalogue")
    assert "Suggestions pour vous" in page
    assert "même département ; mots communs : mobilier, réemploi" in page


def test_catalogue_hides_private_data_other_fairs_and_same_side(client, db):
    scene = build_scene(client)
    page = _page(client, f"/p/{scene.buyer.id}/catalogue")
    for secret in ("bonjour@recyclerie.example", "0611223344", "Note privée", "esat@iris.example"):
        assert secret not in page
    assert "Ailleurs SCOP" not in page
    assert "Hôpital Nord" not in page


def test_catalogue_paginates(client, db):
    scene = build_scene(client)
    for i in range(25):
        make_participant(scene.fair, "supplier", name=f"Structure {i:02d}")
    db.session.commit()
    first = _page(client, f"/p/{scene.buyer.id}/catalogue")
    second = _page(client, f"/p/{scene.buyer.id}/catalogue?page=2")
    assert "Page 1 sur 2" in first and "Structure 00" in first and "Structure 24" not in first
    assert "Structure 24" in second


def test_catalogue_of_another_participant_is_404(client, db):
    scene = build_scene(client)
    for other in (scene.recyclerie, scene.other_buyer, scene.elsewhere):
        assert client.get(f"/p/{other.id}/catalogue").status_code == 404


def test_counterpart_profile_hides_contact_until_a_meeting(client, db):
    scene = build_scene(client)
    url = f"/p/{scene.buyer.id}/catalogue/{scene.recyclerie.id}"
    page = _page(client, url)
    assert "Réemploi de mobilier" in page
    assert "bonjour@recyclerie.example" not in page
    assert "Note privée" not in page
    scene.fair.phase = "published"
    make_meeting(scene.buyer, scene.recyclerie)
    db.session.commit()
    assert "bonjour@recyclerie.example" in _page(client, url)


def test_counterpart_other_fair_same_side_or_unknown_is_404(client, db):
    scene = build_scene(client)
    for target in (scene.elsewhere.id, scene.other_buyer.id, scene.buyer.id, 999999):
        assert client.get(f"/p/{scene.buyer.id}/catalogue/{target}").status_code == 404


def test_counterpart_pending_is_404(client, db):
    scene = build_scene(client)
    pending = make_participant(scene.fair, "supplier", status="pending", name="Pas encore")
    db.session.commit()
    assert client.get(f"/p/{scene.buyer.id}/catalogue/{pending.id}").status_code == 404


def test_supplier_filters_buyers_by_kind_and_finds_hospital_by_word(client, db):
    scene = build_scene(client)
    profiles.update_profile(scene.other_buyer.organisation, buyer_kind="hopital")
    user = make_user()
    supplier = make_participant(scene.fair, "supplier", user=user, name="Fournisseur connecté")
    db.session.commit()
    client.post("/logout")
    login(client, user)
    page = _page(client, f"/p/{supplier.id}/catalogue")
    assert 'name="buyer_kind"' in page and "Type d'acheteur" in page
    by_kind = _page(client, f"/p/{supplier.id}/catalogue?buyer_kind=hopital")
    assert "Hôpital Nord" in by_kind and "Ville de Montpellier" not in by_kind
    by_word = _page(client, f"/p/{supplier.id}/catalogue?q=hopital")
    assert "Hôpital Nord" in by_word and "1 résultat" in by_word
    assert "Ville de Montpellier" in _page(client, f"/p/{supplier.id}/catalogue?q=commune")
