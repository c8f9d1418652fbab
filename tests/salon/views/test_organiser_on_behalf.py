"""The organisers act for a participant: wishes past the deadline, availability, profile, who did what."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from salon.models import MandatoryMeeting, OrganiserMembership, OutboxMessage, ParticipantChange, Wish
from salon.models.base import utcnow
from tests.factories import login, make_fair, make_participant, make_user, make_wish


def _scene(db, phase: str = "wishes", **fair_fields):
    organiser = make_user(can_create_fairs=True, full_name="Awa Organisatrice")
    fair = make_fair(name="Salon ESS", organiser=organiser, phase=phase, **fair_fields)
    person = make_user(full_name="Paul Acheteur")
    buyer = make_participant(fair, side="buyer", user=person, name="Ville de Sète")
    suppliers = [make_participant(fair, side="supplier", name=n) for n in ("Recyclerie", "ESAT du Lez")]
    db.session.commit()
    return organiser, fair, person, buyer, suppliers


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_organiser_enters_a_wish_past_the_deadline_and_the_participant_sees_who(client, db):
    past = utcnow() - timedelta(days=1)
    organiser, fair, person, buyer, (recyclerie, _esat) = _scene(db, wishes_deadline=past)
    login(client, organiser)
    url = f"/orga/fairs/{fair.id}/participants/{buyer.id}/wishes"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"target_id": str(recyclerie.id), "choice": "3"})
    assert (response.status_code, response.headers["Location"]) == (303, url)
    wish = db.session.scalar(select(Wish))
    assert (wish.source_id, wish.target_id, wish.priority, wish.by_organiser, wish.set_by_id) == (
        buyer.id,
        recyclerie.id,
        3,
        True,
        organiser.id,
    )
    [change] = db.session.scalars(select(ParticipantChange)).all()
    assert (change.user_id, change.by_organiser, change.kind, change.detail) == (
        organiser.id,
        True,
        "wish",
        {"target": recyclerie.id, "choice": "3"},
    )
    history = client.get(f"/orga/fairs/{fair.id}/participants/{buyer.id}").get_data(as_text=True)
    assert "Awa Organisatrice (organisation)" in history
    assert "Souhait concernant Recyclerie : Incontournable" in history
    client.post("/logout")
    login(client, person)
    page = client.get(f"/p/{buyer.id}/wishes").get_data(as_text=True)
    assert "ajouté par l’organisation" in page
    # The participant is past the deadline: the organisers' wish stays, the participant cannot change it.
    refused = client.post(f"/p/{buyer.id}/wishes", data={"target_id": recyclerie.id, "choice": "1"})
    assert refused.status_code == 422
    assert db.session.scalar(select(Wish)).priority == 3


def test_participants_own_wish_is_not_marked(client, db):
    organiser, fair, person, buyer, (recyclerie, _esat) = _scene(db)
    login(client, person)
    client.post(f"/p/{buyer.id}/wishes", data={"target_id": recyclerie.id, "choice": "2"})
    wish = db.session.scalar(select(Wish))
    assert (wish.by_organiser, wish.set_by_id) == (False, person.id)
    assert "ajouté par l’organisation" not in client.get(f"/p/{buyer.id}/wishes").get_data(as_text=True)


def test_organiser_wish_refused_after_publishing_changes_nothing(client, db):
    organiser, fair, person, buyer, (recyclerie, esat) = _scene(db, phase="published")
    make_wish(buyer, esat, priority=1)
    db.session.commit()
    login(client, organiser)
    url = f"/orga/fairs/{fair.id}/participants/{buyer.id}/wishes"
    assert "Le planning est publié : les souhaits ne peuvent plus être modifiés." in client.get(url).get_data(
        as_text=True
    )
    response = client.post(url, data={"target_id": str(recyclerie.id), "choice": "3"})
    assert response.status_code == 422
    assert "Le planning est publié" in response.get_data(as_text=True)
    assert [(w.target_id, w.priority) for w in db.session.scalars(select(Wish))] == [(esat.id, 1)]
    assert _count(db, ParticipantChange) == 0


def test_organiser_wish_keeps_the_participants_cap(client, db):
    organiser, fair, person, buyer, (recyclerie, esat) = _scene(db, max_wishes_buyer=1)
    make_wish(buyer, esat, priority=2)
    db.session.commit()
    login(client, organiser)
    url = f"/orga/fairs/{fair.id}/participants/{buyer.id}/wishes"
    response = client.post(url, data={"target_id": str(recyclerie.id), "choice": "3"})
    assert response.status_code == 422
    assert "limite de 1 souhait fixée" in response.get_data(as_text=True)
    assert _count(db, Wish) == 1


def test_organiser_cannot_wish_a_same_side_or_foreign_participant(client, db):
    organiser, fair, person, buyer, (recyclerie, esat) = _scene(db)
    other_buyer = make_participant(fair, side="buyer", name="Département")
    foreign = make_participant(make_fair(organiser=make_user()), side="supplier")
    db.session.commit()
    login(client, organiser)
    url = f"/orga/fairs/{fair.id}/participants/{buyer.id}/wishes"
    for target in (other_buyer, foreign, buyer):
        response = client.post(url, data={"target_id": str(target.id), "choice": "3"})
        assert response.status_code == 422
        assert "Choisissez dans la liste." in response.get_data(as_text=True)
    assert _count(db, Wish) == 0


def test_organiser_sets_availability_during_scheduling_but_not_after_publishing(client, db):
    organiser, fair, person, buyer, _suppliers = _scene(db, phase="scheduling")
    login(client, organiser)
    url = f"/orga/fairs/{fair.id}/participants/{buyer.id}/availability"
    morning = fair.sessions[0]
    response = client.post(url, data={"sessions": [str(morning.id)]})
    assert response.status_code == 303
    assert sorted(s.id for s in buyer.unavailable_slots) == sorted(s.id for s in morning.slots)
    assert db.session.scalar(select(ParticipantChange)).detail == {"slots": len(morning.slots)}
    fair.phase = "published"
    db.session.commit()
    refused = client.post(url, data={"sessions": []})
    assert refused.status_code == 422
    assert sorted(s.id for s in buyer.unavailable_slots) == sorted(s.id for s in morning.slots)
    assert _count(db, ParticipantChange) == 1


def test_organiser_edits_every_profile_field_the_participant_can(client, db):
    organiser, fair, person, buyer, (recyclerie, _esat) = _scene(db)
    login(client, organiser)
    url = f"/orga/fairs/{fair.id}/participants/{recyclerie.id}/profile"
    page = client.get(url).get_data(as_text=True)
    for name in ("structure_types", "sectors", "departements", "offer", "references", "capacity", "website"):
        assert f'name="{name}"' in page, name
    data = {
        "name": "Recyclerie du Lez",
        "offer": "Réemploi de mobilier",
        "sectors": ["reemploi"],
        "website": "",
    }
    response = client.post(url, data=data)
    assert response.status_code == 303
    org = recyclerie.organisation
    assert (org.name, org.offer, org.sectors) == ("Recyclerie du Lez", "Réemploi de mobilier", ["reemploi"])
    change = db.session.scalar(select(ParticipantChange))
    assert (change.kind, change.by_organiser, "offer" in change.detail["fields"]) == ("profile", True, True)
    bad = client.post(url, data={"name": "Recyclerie", "website": "javascript:alert(1)"})
    assert bad.status_code == 422
    assert recyclerie.organisation.website == ""


def test_duplicate_mandatory_pair_refused_unless_second_meeting_asked(client, db):
    organiser, fair, person, buyer, (recyclerie, _esat) = _scene(db)
    login(client, organiser)
    url = f"/orga/fairs/{fair.id}/mandatory"
    pair = {"participant_a": buyer.id, "participant_b": recyclerie.id, "session_id": ""}
    assert client.post(url, data=pair).status_code == 302
    refused = client.post(url, data=pair)
    assert refused.status_code == 422
    assert "Ville de Sète et Recyclerie ont déjà un rendez-vous imposé." in refused.get_data(as_text=True)
    assert _count(db, MandatoryMeeting) == 1
    assert client.post(url, data={**pair, "second_meeting": "y"}).status_code == 302
    assert _count(db, MandatoryMeeting) == 2


def test_pages_about_a_participant_of_another_fair_are_404(client, db):
    organiser, fair, person, buyer, _suppliers = _scene(db)
    foreign = make_participant(make_fair(organiser=make_user()), side="buyer")
    db.session.commit()
    login(client, organiser)
    for page in ("wishes", "availability", "profile"):
        assert client.get(f"/orga/fairs/{fair.id}/participants/{foreign.id}/{page}").status_code == 404
        assert client.post(f"/orga/fairs/{fair.id}/participants/{foreign.id}/{page}").status_code == 404


def test_a_co_organiser_facilitator_enters_wishes_and_invites(client, db):
    organiser, fair, person, buyer, (recyclerie, _esat) = _scene(db)
    facilitator = make_user(full_name="Facilitatrice CRESS")
    db.session.add(OrganiserMembership(fair=fair, user=facilitator, role="organiser"))
    recyclerie.organisation.contact_email = "contact@recyclerie.example"
    db.session.commit()
    login(client, facilitator)
    url = f"/orga/fairs/{fair.id}/participants/{buyer.id}/wishes"
    assert client.post(url, data={"target_id": str(recyclerie.id), "choice": "2"}).status_code == 303
    assert db.session.scalar(select(Wish)).set_by_id == facilitator.id
    assert client.post(f"/orga/fairs/{fair.id}/participants/{recyclerie.id}/invite").status_code == 303
    assert [m.to_address for m in db.session.scalars(select(OutboxMessage))] == ["contact@recyclerie.example"]
