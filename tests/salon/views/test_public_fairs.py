"""Public fair page: what, where, when, who is registered (public part only)."""

from __future__ import annotations

from salon.services import profiles
from tests.factories import make_fair, make_participant


def test_fair_page_shows_practical_information_in_french(client, db):
    make_fair(name="Coventis 2027", phase="registration", venue="Parc des expositions", slug="coventis")
    db.session.commit()
    response = client.get("/fairs/coventis")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Coventis 2027" in page
    assert "Parc des expositions" in page
    assert "Comment participer" in page
    assert "S’inscrire" in page or "S'inscrire" in page


def test_fair_page_lists_only_approved_public_profiles(client, db):
    fair = make_fair(phase="wishes", slug="soeko")
    supplier = make_participant(fair, "supplier", name="Recyclerie du Lez")
    profiles.update_profile(
        supplier.organisation,
        contact_email="secret@recyclerie.example",
        contact_phone="0611223344",
        structure_types=["aci"],
        sectors=["reemploi"],
    )
    supplier.note = "note privée de l'organisateur"
    make_participant(fair, "buyer", name="Mairie en attente", status="pending")
    db.session.commit()
    page = client.get("/fairs/soeko").get_data(as_text=True)
    assert "Recyclerie du Lez" in page
    assert "Mairie en attente" not in page
    assert "secret@recyclerie.example" not in page
    assert "0611223344" not in page
    assert "note privée" not in page


def test_fair_page_of_draft_or_unknown_fair_is_404(client, db):
    make_fair(phase="draft", slug="brouillon")
    db.session.commit()
    assert client.get("/fairs/brouillon").status_code == 404
    assert client.get("/fairs/nope").status_code == 404
