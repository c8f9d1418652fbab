"""My wishes page: each wish I sent can be changed or withdrawn there, while wishes are open."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from salon.models import Wish
from tests.factories import make_wish
from tests.salon.views.participant_scene import build_scene


def _sent_section(page: str) -> str:
    return page.split('id="sent-title"', 1)[1].split('id="received-title"', 1)[0]


def test_sent_wish_has_its_choice_selected_on_my_wishes_page(client, db):
    scene = build_scene(client)
    make_wish(scene.buyer, scene.recyclerie, priority=2)
    make_wish(scene.buyer, scene.esat, veto=True)
    db.session.commit()
    sent = _sent_section(html.unescape(client.get(f"/p/{scene.buyer.id}/wishes").get_data(as_text=True)))
    forms = re.findall(r'<form method="post" action="/p/\d+/wishes".*?</form>', sent, re.S)
    targets = [re.search(r'name="target_id" value="(\d+)"', f).group(1) for f in forms]
    selected = [re.search(r'<option value="(\w+)" selected>', f).group(1) for f in forms]
    expected = [(str(scene.recyclerie.id), "2"), (str(scene.esat.id), "veto")]
    assert sorted(zip(targets, selected, strict=True)) == sorted(expected)
    assert sent.count("Modifier ou retirer") == 2


def test_withdraw_sent_wish_from_my_wishes_page_comes_back_there(client, db):
    scene = build_scene(client)
    make_wish(scene.buyer, scene.recyclerie, priority=2)
    db.session.commit()
    url = f"/p/{scene.buyer.id}/wishes"
    response = client.post(url, data={"target_id": scene.recyclerie.id, "choice": "none", "next": url})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert db.session.scalars(select(Wish)).all() == []
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "Votre souhait pour Recyclerie du Lez est enregistré." in page
    assert "Aucun souhait pour l'instant." in _sent_section(page)


def test_sent_wishes_not_editable_once_wishes_are_closed(client, db):
    scene = build_scene(client, phase="scheduling")
    make_wish(scene.buyer, scene.recyclerie, priority=2)
    db.session.commit()
    sent = _sent_section(client.get(f"/p/{scene.buyer.id}/wishes").get_data(as_text=True))
    assert "Recyclerie du Lez" in sent
    assert "<form" not in sent


def test_wish_posted_after_the_deadline_is_refused_with_the_reason_shown(client, db):
    scene = build_scene(client, wishes_deadline=datetime.now(UTC) - timedelta(minutes=1))
    response = client.post(f"/p/{scene.buyer.id}/wishes", data={"target_id": scene.esat.id, "choice": "2"})
    assert response.status_code == 422
    assert "Les souhaits sont clos pour ce salon." in html.unescape(response.get_data(as_text=True))
    assert db.session.scalars(select(Wish)).all() == []


def test_counterpart_page_of_a_pending_participant_says_why_no_wish(client, db):
    scene = build_scene(client)
    scene.buyer.status = "pending"
    db.session.commit()
    page = html.unescape(client.get(f"/p/{scene.buyer.id}/catalogue/{scene.esat.id}").get_data(as_text=True))
    assert "Vous pourrez exprimer vos souhaits dès que l'organisateur aura validé votre inscription." in page


def test_closed_wish_reads_in_each_language_s_own_punctuation(client, db):
    scene = build_scene(client, phase="scheduling")
    make_wish(scene.buyer, scene.recyclerie, priority=3)
    db.session.commit()
    path = f"/p/{scene.buyer.id}/catalogue/{scene.recyclerie.id}"
    assert "Mon souhait : incontournable" in html.unescape(client.get(path).get_data(as_text=True))
    client.get("/lang/en")
    assert "My wish: must meet" in html.unescape(client.get(path).get_data(as_text=True))
