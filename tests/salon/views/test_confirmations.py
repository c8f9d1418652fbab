"""What cannot be undone is confirmed on a page of its own that says what will happen (GET), then done by a
POST: cancelling a meeting (organiser, desk, participant, draft), regenerating slots, purging a fair."""

from __future__ import annotations

import re
from datetime import time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from salon.extensions import db as _db
from salon.models import (
    Attendee,
    DraftMeeting,
    Fair,
    FairAggregate,
    Meeting,
    OrganiserMembership,
    OutboxMessage,
    ScheduleRun,
    Slot,
)
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.services.dayof_world import book, make_world


@pytest.fixture()
def world(app, db):
    """A published fair with one meeting Buyer 1 / Supplier 1 on Thursday 18 March 2027 at 09:00, table 1."""
    with app.test_request_context("/"):
        w = make_world()
        w.meeting = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    db.session.commit()
    return w


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def _outbox() -> int:
    return _db.session.scalar(select(func.count(OutboxMessage.id)))


def test_cancel_published_meeting_is_confirmed_first(client, db, world):
    login(client, world.organiser)
    url = f"/orga/fairs/{world.fair.id}/meetings/{world.meeting.id}"
    detail = client.get(url).get_data(as_text=True)
    assert f'href="{url}/cancel"' in detail and 'value="cancel"' not in detail
    page = client.get(f"{url}/cancel")
    text = _text(page)
    assert page.status_code == 200
    assert "Annuler ce rendez-vous ?" in text and "Buyer 1 / Supplier 1" in text
    assert "jeudi 18 mars 2027, 09:00" in text
    assert "Les deux structures sont prévenues par e-mail" in text
    assert 'name="csrf_token"' in page.get_data(as_text=True)
    sent = _outbox()
    assert db.session.get(Meeting, world.meeting.id).status == "scheduled"  # the page changed nothing
    response = client.post(f"{url}/cancel", data={"next": "https://evil.example/"})
    assert response.status_code == 303 and response.headers["Location"] == f"{url}"
    meeting = db.session.get(Meeting, world.meeting.id)
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)
    assert _outbox() == sent + 2  # both organisations are told
    again = _text(client.get(f"{url}/cancel"))
    assert "Ce rendez-vous est déjà annulé." in again and "Oui, annuler ce rendez-vous" not in again


def test_desk_cancel_goes_through_the_confirmation(client, db, world):
    login(client, world.organiser)
    slot_id = world.fair.slots[0].id
    page = client.get(f"/orga/fairs/{world.fair.id}/day/slots/{slot_id}").get_data(as_text=True)
    confirm = f"/orga/fairs/{world.fair.id}/meetings/{world.meeting.id}/cancel"
    assert f'href="{confirm}?next=/orga/fairs/{world.fair.id}/day/slots/{slot_id}"' in page
    status = f"/orga/fairs/{world.fair.id}/day/meetings/{world.meeting.id}/status"
    response = client.post(status, data={"status": "cancelled"})
    assert (response.status_code, response.headers["Location"]) == (303, confirm)
    assert db.session.get(Meeting, world.meeting.id).status == "scheduled"
    back = f"/orga/fairs/{world.fair.id}/day/slots/{slot_id}"
    response = client.post(confirm, data={"next": back})
    assert (response.status_code, response.headers["Location"]) == (303, back)
    assert db.session.get(Meeting, world.meeting.id).status == "cancelled"


def test_participant_cancel_is_confirmed(client, db, world):
    buyer = world.buyers[0]
    login(client, world.users[buyer.id])
    url = f"/p/{buyer.id}/meetings/{world.meeting.id}"
    response = client.post(f"{url}/status", data={"status": "cancelled", "next": f"/p/{buyer.id}/agenda"})
    assert response.status_code == 303 and response.headers["Location"].startswith(f"{url}/cancel?next=")
    assert db.session.get(Meeting, world.meeting.id).status == "scheduled"
    text = _text(client.get(f"{url}/cancel"))
    assert "Annuler ce rendez-vous ?" in text and "Supplier 1 est prévenu par e-mail" in text
    assert client.post(f"{url}/cancel").status_code == 303
    assert db.session.get(Meeting, world.meeting.id).status == "cancelled"
    other = world.suppliers[1]
    assert client.get(f"/p/{other.id}/meetings/{world.meeting.id}/cancel").status_code == 404


def test_draft_meeting_removal_is_confirmed(client, db):
    organiser = make_user()
    fair = make_fair(organiser=organiser, phase="scheduling")
    b, s = make_participant(fair, "buyer", name="Ville d'Alès"), make_participant(fair, name="ESAT Les Iris")
    run = ScheduleRun(fair_id=fair.id, status="done")
    db.session.add(run)
    db.session.flush()
    draft = DraftMeeting(run_id=run.id, participant_a_id=b.id, participant_b_id=s.id,
                         slot_id=fair.slots[1].id, table_id=fair.tables[0].id)  # fmt: skip
    db.session.add(draft)
    db.session.commit()
    login(client, organiser)
    url = f"/orga/fairs/{fair.id}/runs/{run.id}/drafts/{draft.id}"
    text = _text(client.get(f"{url}/cancel"))
    assert "Retirer ce rendez-vous du brouillon ?" in text and "jeudi 18 mars 2027, 09:25" in text
    assert "Rien n’est envoyé" in text
    draft_id, grid = draft.id, f"/orga/fairs/{fair.id}/runs/{run.id}/grid"
    assert db.session.get(DraftMeeting, draft_id) is not None
    response = client.post(f"{url}/cancel")
    assert response.headers["Location"] == grid
    assert db.session.scalar(select(func.count(DraftMeeting.id))) == 0


SLOTS = {
    "days": "2027-03-18\n2027-03-19",
    "am_start": "09:00",
    "am_end": "10:00",
    "pm_start": "",
    "pm_end": "",
}


def test_regenerating_slots_says_what_is_lost_then_needs_the_confirmation(client, db):
    organiser = make_user()
    fair = make_fair(organiser=organiser, phase="registration", slots_per_session=4)
    p = make_participant(fair, "buyer")
    p.unavailable_slots.append(fair.slots[0])
    db.session.commit()
    login(client, organiser)
    response = client.post(f"/orga/fairs/{fair.id}/slots", data=SLOTS)
    assert response.status_code == 303 and "/slots/regenerate?" in response.headers["Location"]
    assert _db.session.scalar(select(func.count(Slot.id)).where(Slot.fair_id == fair.id)) == 8  # unchanged
    page = client.get(response.headers["Location"])
    text = _text(page)
    assert "Remplacer tous les créneaux ?" in text
    assert "Les 8 créneaux actuels sont supprimés." in text
    assert "4 nouveaux créneaux sont créés sur 2 jours." in text  # 09:00, 09:25 on each day (20 + 5 min)
    assert "Les indisponibilités de 1 participant sont oubliées" in text
    html = page.get_data(as_text=True)
    assert '<input type="hidden" name="confirmed" value="1">' in html
    assert '<input type="hidden" name="am_start" value="09:00">' in html
    response = client.post(f"/orga/fairs/{fair.id}/slots", data={**SLOTS, "confirmed": "1"})
    assert response.status_code == 302
    starts = _db.session.scalars(select(Slot.starts_at).where(Slot.fair_id == fair.id)).all()
    assert len(starts) == 4


def test_first_slots_need_no_confirmation(client, db):
    organiser = make_user()
    fair = Fair(name="Nouveau salon", slug="nouveau", timezone="Europe/Paris", phase="draft")
    db.session.add(fair)
    db.session.flush()
    db.session.add(OrganiserMembership(fair=fair, user=organiser, role="owner"))
    db.session.commit()
    login(client, organiser)
    response = client.post(f"/orga/fairs/{fair.id}/slots", data=SLOTS)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/orga/fairs/{fair.id}/slots"
    )
    starts = _db.session.scalars(select(Slot.starts_at).where(Slot.fair_id == fair.id)).all()
    assert sorted({s.astimezone(ZoneInfo("Europe/Paris")).time() for s in starts}) == [
        time(9, 0),
        time(9, 25),
    ]


def test_purge_page_says_what_goes_and_what_stays(client, db, world):
    login(client, world.organiser)
    url = f"/orga/fairs/{world.fair.id}/purge"
    text = _text(client.get(url))
    assert (
        "Seul un salon clos peut être purgé." in text
        and "Oui, supprimer les données personnelles" not in text
    )
    world.fair.phase = "closed"
    db.session.commit()
    text = _text(client.get(url))
    assert "Supprimer les données personnelles de ce salon ?" in text
    assert "5 personnes inscrites (noms, e-mails, émargements) sont supprimées." in text
    assert "Conservés : les chiffres du bilan pour les financeurs" in text
    assert _db.session.scalar(select(func.count(Attendee.id))) == 5  # the page deleted nothing
    response = client.post(url)
    assert response.status_code == 303
    assert _db.session.scalar(select(func.count(Attendee.id))) == 0
    assert _db.session.scalar(select(func.count(FairAggregate.id))) == 1


def test_slots_without_a_session_are_refused_on_the_form_not_confirmed(client, db):
    organiser = make_user()
    fair = make_fair(organiser=organiser, phase="registration")
    db.session.commit()
    login(client, organiser)
    response = client.post(f"/orga/fairs/{fair.id}/slots", data={"days": "2027-03-18"})
    assert response.status_code == 422
    assert "Indiquez au moins un jour et une demi-journée." in _text(response)
    assert _db.session.scalar(select(func.count(Slot.id)).where(Slot.fair_id == fair.id)) == 8
