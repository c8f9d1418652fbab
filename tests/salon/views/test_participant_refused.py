"""A participant whose registration was refused is told so, truthfully, wherever they look."""

from __future__ import annotations

import html

import pytest

from tests.salon.views.participant_scene import build_scene

REFUSED = "Les organisateurs n’ont pas retenu votre inscription"


@pytest.mark.parametrize("page", ["catalogue", "agenda", "catalogue/{esat}"])
def test_refused_participant_told_not_promised_an_approval(client, db, page):
    scene = build_scene(client, contact_email="contact@cress.example")
    scene.buyer.status = "refused"
    db.session.commit()
    path = f"/p/{scene.buyer.id}/" + page.format(esat=scene.esat.id)
    text = html.unescape(client.get(path).get_data(as_text=True))
    assert REFUSED in text and "contact@cress.example" in text
    assert "dès que l'organisateur aura validé votre inscription" not in text
    assert "s'affichera ici dès que" not in text
    assert "inscription non retenue" in text


def test_pending_participant_still_told_to_wait_for_approval(client, db):
    scene = build_scene(client)
    scene.buyer.status = "pending"
    db.session.commit()
    text = html.unescape(client.get(f"/p/{scene.buyer.id}/catalogue").get_data(as_text=True))
    assert "dès que l'organisateur aura validé votre inscription" in text
    assert REFUSED not in text


@pytest.mark.parametrize(
    ("status", "said"), [("pending", "dès que l'organisateur aura validé"), ("refused", REFUSED)]
)
def test_my_wishes_page_says_why_wishes_cannot_be_set_yet(client, db, status, said):
    scene = build_scene(client)
    scene.buyer.status = status
    db.session.commit()
    assert said in html.unescape(client.get(f"/p/{scene.buyer.id}/wishes").get_data(as_text=True))
