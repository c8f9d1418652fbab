"""Availability and attendees forms: save, refusals next to the field, others' data is 404."""

from __future__ import annotations

import html

from sqlalchemy import func, select

from salon.models import Attendee, Participant, unavailabilities
from tests.salon.views.participant_scene import build_scene, error_next_to


def _unavailable(db, participant_id):
    db.session.expire_all()
    return sorted(s.id for s in db.session.get(Participant, participant_id).unavailable_slots)


def test_availability_page_is_french(client, db):
    scene = build_scene(client)
    page = html.unescape(client.get(f"/p/{scene.buyer.id}/availability").get_data(as_text=True))
    assert "Quand vous n'êtes pas disponible" in page
    assert "Personnes présentes" in page


def test_availability_saves_slots_and_sessions(client, db):
    scene = build_scene(client)
    am, pm = scene.fair.sessions
    data = {"sessions": [str(am.id)], "slots": [str(pm.slots[0].id)]}
    response = client.post(f"/p/{scene.buyer.id}/availability", data=data)
    assert response.status_code == 302
    assert _unavailable(db, scene.buyer.id) == sorted([s.id for s in am.slots] + [pm.slots[0].id])


def test_availability_refuses_every_slot_next_to_field(client, db):
    scene = build_scene(client)
    data = {"sessions": [str(s.id) for s in scene.fair.sessions]}
    response = client.post(f"/p/{scene.buyer.id}/availability", data=data)
    assert response.status_code == 422
    assert "au moins un créneau" in error_next_to(response.get_data(as_text=True), "slots")
    assert _unavailable(db, scene.buyer.id) == []


def test_availability_refuses_slot_of_another_fair(client, db):
    scene = build_scene(client)
    other_slot = scene.elsewhere.fair.slots[0].id
    response = client.post(f"/p/{scene.buyer.id}/availability", data={"slots": [str(other_slot)]})
    assert response.status_code == 422
    assert "liste" in error_next_to(response.get_data(as_text=True), "slots")
    assert db.session.scalar(select(func.count()).select_from(unavailabilities)) == 0


def test_availability_of_another_participant_is_404(client, db):
    scene = build_scene(client)
    assert client.get(f"/p/{scene.recyclerie.id}/availability").status_code == 404
    slot = scene.fair.slots[0].id
    assert (
        client.post(f"/p/{scene.other_buyer.id}/availability", data={"slots": [str(slot)]}).status_code == 404
    )
    assert _unavailable(db, scene.other_buyer.id) == []


def test_add_attendee_then_remove(client, db):
    scene = build_scene(client)
    url = f"/p/{scene.buyer.id}/attendees"
    client.post(url, data={"full_name": "Bea Acheteuse"})
    response = client.post(url, data={"full_name": "Carole Dupont", "email": "carole@ville.example"})
    assert response.status_code == 302
    attendee = db.session.scalar(select(Attendee).where(Attendee.full_name == "Carole Dupont"))
    assert attendee.participant_id == scene.buyer.id
    attendee_id = attendee.id
    client.post(f"{url}/{attendee_id}/delete")
    db.session.expire_all()
    assert db.session.get(Attendee, attendee_id) is None


def test_add_attendee_refuses_bad_input_next_to_field(client, db):
    scene = build_scene(client)
    before = db.session.scalar(select(func.count(Attendee.id)))
    url = f"/p/{scene.buyer.id}/attendees"
    response = client.post(url, data={"full_name": ""})
    assert response.status_code == 422
    assert error_next_to(response.get_data(as_text=True), "full_name") == "Saisissez le nom de la personne."
    response = client.post(url, data={"full_name": "Carole", "email": "pas-une-adresse"})
    assert "adresse e-mail valide" in error_next_to(response.get_data(as_text=True), "email")
    assert db.session.scalar(select(func.count(Attendee.id))) == before


def test_remove_attendee_of_another_participant_is_404(client, db):
    scene = build_scene(client)
    theirs = Attendee(participant_id=scene.recyclerie.id, full_name="Quelqu'un d'autre")
    db.session.add(theirs)
    db.session.commit()
    assert client.post(f"/p/{scene.buyer.id}/attendees/{theirs.id}/delete").status_code == 404
    assert db.session.get(Attendee, theirs.id) is not None
