"""A SIREN (nine digits) typed where the SIRET goes is named as such, on registration and in the profile."""

from __future__ import annotations

import html

from sqlalchemy import func, select

from salon.models import Organisation, User
from tests.factories import make_fair
from tests.salon.views.participant_scene import build_scene, error_next_to
from tests.salon.views.test_participant_profile import GOOD

SIREN = "C’est un SIREN (9 chiffres) : un SIRET a 14 chiffres."


def test_profile_siren_named_and_nothing_saved(client, db):
    scene = build_scene(client)
    response = client.post(f"/p/{scene.buyer.id}/profile", data=dict(GOOD, siret="441 012 345"))
    assert response.status_code == 422
    assert error_next_to(response.get_data(as_text=True), "siret") == SIREN
    db.session.expire_all()
    assert db.session.get(Organisation, scene.buyer.organisation_id).siret in (None, "")


def test_registration_siren_named_and_no_account_made(client, db):
    fair = make_fair(phase="registration", slug="coventis")
    db.session.commit()
    password = "Jardin-solidaire-2027!"
    data = {"side": "supplier", "organisation_name": "ESAT Les Mains Vertes", "siret": "441012345",
            "full_name": "Léa Martin", "email": "lea@mainsvertes.example", "password": password,
            "password_again": password, "consent": "y"}  # fmt: skip
    response = client.post(f"/fairs/{fair.slug}/register", data=data)
    assert response.status_code in (200, 422)
    assert SIREN in html.unescape(response.get_data(as_text=True))
    assert db.session.scalar(select(func.count(User.id))) == 0
