"""Availability once it can no longer change: the page says why, true to the fair's phase."""

from __future__ import annotations

import html

import pytest

from salon.models import Participant
from tests.salon.views.participant_scene import build_scene


@pytest.mark.parametrize(
    ("phase", "said", "not_said"),
    [
        ("scheduling", "le planning est en préparation", "Le planning est publié"),
        (
            "published",
            "Le planning est publié : les disponibilités ne peuvent plus être modifiées.",
            "préparation",
        ),
        ("closed", "Le salon est terminé", "préparation"),
    ],
)
def test_availability_closed_page_says_why_by_phase(client, db, phase, said, not_said):
    scene = build_scene(client, phase=phase)
    page = html.unescape(client.get(f"/p/{scene.buyer.id}/availability").get_data(as_text=True))
    assert said in page
    assert not_said not in page


def test_availability_refused_after_publication_with_the_true_reason(client, db):
    scene = build_scene(client, phase="published")
    slot = scene.fair.sessions[0].slots[0]
    response = client.post(f"/p/{scene.buyer.id}/availability", data={"slots": [str(slot.id)]})
    assert response.status_code in (403, 422)
    page = html.unescape(response.get_data(as_text=True))
    assert "annulez-le depuis votre planning" in page
    assert f'href="/p/{scene.buyer.id}/agenda"' in page
    db.session.expire_all()
    assert db.session.get(Participant, scene.buyer.id).unavailable_slots == []
