"""Own data: JSON export of the account's data only, account deletion with password."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from salon.models import Meeting, Organisation, User, Wish
from tests.factories import make_wish
from tests.salon.views.participant_scene import build_scene, error_next_to, make_meeting


def test_export_own_data_as_json(client, db):
    scene = build_scene(client)
    make_wish(scene.buyer, scene.recyclerie, priority=3)
    make_wish(scene.other_buyer, scene.esat, priority=2)
    db.session.commit()
    response = client.get("/p/account/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == scene.user.email
    [org] = data["organisations"]
    assert org["name"] == "Ville de Montpellier"
    assert org["participations"][0]["wishes"] == [
        {"target": "Recyclerie du Lez", "priority": 3, "veto": False}
    ]
    text = json.dumps(data)
    assert "Hôpital Nord" not in text and "bonjour@recyclerie.example" not in text


def test_export_requires_sign_in(client, db):
    build_scene(client)
    client.post("/logout")
    assert client.get("/p/account/data.json").status_code == 302


def test_delete_account_refuses_wrong_password_next_to_field(client, db):
    scene = build_scene(client)
    response = client.post("/p/account/delete", data={"password": "wrong password!", "confirm": "y"})
    assert response.status_code == 422
    assert error_next_to(response.get_data(as_text=True), "password") == "Mot de passe incorrect."
    assert db.session.get(User, scene.user.id) is not None


def test_delete_account_refuses_without_confirmation_box(client, db):
    scene = build_scene(client)
    from tests.factories import PASSWORD

    response = client.post("/p/account/delete", data={"password": PASSWORD})
    assert response.status_code == 422
    assert error_next_to(response.get_data(as_text=True), "confirm") == "Cochez la case pour confirmer."
    assert db.session.get(User, scene.user.id) is not None


def test_delete_account_cancels_meetings_and_removes_data(client, db):
    from tests.factories import PASSWORD

    scene = build_scene(client, phase="published")
    meeting = make_meeting(scene.buyer, scene.recyclerie)
    make_wish(scene.recyclerie, scene.buyer, priority=3)
    db.session.commit()
    ids = (scene.user.id, meeting.id, scene.buyer.organisation_id, scene.buyer.id)
    response = client.post("/p/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, ids[0]) is None
    meeting = db.session.get(Meeting, ids[1])
    assert (meeting.status, meeting.sequence, meeting.seats) == ("cancelled", 1, [])
    assert db.session.get(Organisation, ids[2]).contact_email == ""
    assert db.session.scalar(select(func.count(Wish.id)).where(Wish.target_id == ids[3])) == 0
