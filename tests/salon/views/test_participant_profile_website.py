"""Profile website: a bare host is completed with https://, other schemes and bare words stay refused."""

from __future__ import annotations

import pytest

from salon.models import Organisation
from tests.salon.views.participant_scene import build_scene, error_next_to
from tests.salon.views.test_participant_profile import GOOD


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("www.montpellier.fr", "https://www.montpellier.fr"),
        (" montpellier.fr/achats ", "https://montpellier.fr/achats"),
    ],
)
def test_profile_website_bare_host_saved_with_https(client, db, typed, saved):
    scene = build_scene(client)
    response = client.post(f"/p/{scene.buyer.id}/profile", data=dict(GOOD, website=typed))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, scene.buyer.organisation_id).website == saved


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "ftp://files.example.org", "montpellier"])
def test_profile_website_other_schemes_still_refused(client, db, typed):
    scene = build_scene(client)
    response = client.post(f"/p/{scene.buyer.id}/profile", data=dict(GOOD, website=typed))
    assert response.status_code == 422
    assert "adresse complète" in error_next_to(response.get_data(as_text=True), "website")


def test_profile_website_field_is_not_type_url(client, db):
    scene = build_scene(client)
    page = client.get(f"/p/{scene.buyer.id}/profile").get_data(as_text=True)
    field = next(tag for tag in page.split("<input")[1:] if 'name="website"' in tag)
    assert 'type="text"' in field and 'inputmode="url"' in field
