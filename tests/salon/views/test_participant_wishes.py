"""Wish forms: set, answer, refusals next to the field with nothing changed, privacy of wishes."""

from __future__ import annotations

import html

from sqlalchemy import func, select

from salon.models import Wish
from tests.factories import make_wish
from tests.salon.views.participant_scene import build_scene, error_next_to


def _wishes(db):
    return db.session.scalar(select(func.count(Wish.id)))


def test_set_wish_from_catalogue_redirects_back(client, db):
    scene = build_scene(client)
    back = f"/p/{scene.buyer.id}/catalogue?q=lez"
    response = client.post(
        f"/p/{scene.buyer.id}/wishes", data={"target_id": scene.recyclerie.id, "choice": "3", "next": back}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(back)
    wish = db.session.scalar(select(Wish))
    assert (wish.source_id, wish.target_id, wish.priority, wish.veto) == (
        scene.buyer.id,
        scene.recyclerie.id,
        3,
        False,
    )


def test_set_wish_twice_keeps_one_row_then_veto_then_remove(client, db):
    scene = build_scene(client)
    url = f"/p/{scene.buyer.id}/wishes"
    for choice in ("3", "1", "veto"):
        client.post(url, data={"target_id": scene.recyclerie.id, "choice": choice})
    wish = db.session.scalar(select(Wish))
    assert (_wishes(db), wish.priority, wish.veto) == (1, None, True)
    client.post(url, data={"target_id": scene.recyclerie.id, "choice": "none"})
    assert _wishes(db) == 0


def test_set_wish_refuses_unknown_choice_next_to_field(client, db):
    scene = build_scene(client)
    response = client.post(
        f"/p/{scene.buyer.id}/wishes", data={"target_id": scene.recyclerie.id, "choice": "9"}
    )
    assert response.status_code == 422
    assert error_next_to(response.get_data(as_text=True), "choice") == "Choisissez une priorité."
    assert _wishes(db) == 0


def test_set_wish_over_cap_refused_next_to_field(client, db):
    scene = build_scene(client, max_wishes_buyer=1)
    url = f"/p/{scene.buyer.id}/wishes"
    client.post(url, data={"target_id": scene.recyclerie.id, "choice": "2"})
    response = client.post(url, data={"target_id": scene.esat.id, "choice": "2"})
    assert response.status_code == 422
    assert "la limite de 1 souhait fixée" in error_next_to(response.get_data(as_text=True), "choice")
    assert _wishes(db) == 1


def test_set_wish_after_deadline_phase_refused(client, db):
    scene = build_scene(client, phase="scheduling")
    response = client.post(f"/p/{scene.buyer.id}/wishes", data={"target_id": scene.esat.id, "choice": "2"})
    assert response.status_code == 422
    assert _wishes(db) == 0


def test_set_wish_on_other_fair_or_same_side_is_404(client, db):
    scene = build_scene(client)
    for target in (scene.elsewhere, scene.other_buyer):
        response = client.post(f"/p/{scene.buyer.id}/wishes", data={"target_id": target.id, "choice": "3"})
        assert response.status_code == 404
    response = client.post(
        f"/p/{scene.other_buyer.id}/wishes", data={"target_id": scene.esat.id, "choice": "3"}
    )
    assert response.status_code == 404
    assert _wishes(db) == 0


def test_wishes_page_shows_received_wishes_but_not_vetoes(client, db):
    scene = build_scene(client)
    make_wish(scene.recyclerie, scene.buyer, priority=3)
    make_wish(scene.esat, scene.buyer, veto=True)
    make_wish(scene.recyclerie, scene.other_buyer, priority=1)
    db.session.commit()
    page = html.unescape(client.get(f"/p/{scene.buyer.id}/wishes").get_data(as_text=True))
    assert "Qui souhaite me rencontrer" in page
    assert "Recyclerie du Lez" in page
    assert "ESAT Les Iris" not in page
    assert "Hôpital Nord" not in page


def test_answer_received_wish_by_raising(client, db):
    scene = build_scene(client)
    make_wish(scene.recyclerie, scene.buyer, priority=1)
    db.session.commit()
    client.post(
        f"/p/{scene.buyer.id}/wishes",
        data={"target_id": scene.recyclerie.id, "choice": "3", "next": f"/p/{scene.buyer.id}/wishes"},
    )
    page = client.get(f"/p/{scene.buyer.id}/wishes").get_data(as_text=True)
    assert '<option value="3" selected>' in page


def test_wishes_page_of_another_participant_is_404(client, db):
    scene = build_scene(client)
    assert client.get(f"/p/{scene.other_buyer.id}/wishes").status_code == 404
    assert client.get(f"/p/{scene.recyclerie.id}/wishes").status_code == 404
