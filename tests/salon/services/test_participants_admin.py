"""Organiser actions on participants."""

from __future__ import annotations

import pytest

from salon.models import Participant
from salon.services import DomainError, NotAllowed
from salon.services import participants_admin as admin
from tests.factories import make_fair, make_participant


@pytest.fixture(autouse=True)
def _request(app, db):
    """Services translate their messages: run each test inside a request."""
    with app.test_request_context():
        yield


def test_approve_and_refuse(db):
    fair = make_fair()
    p = make_participant(fair, status="pending")
    admin.set_status(p, "approved")
    assert p.status == "approved"
    admin.set_status(p, "refused")
    with pytest.raises(DomainError):
        admin.set_status(p, "maybe")
    fair.phase = "closed"
    with pytest.raises(NotAllowed):
        admin.set_status(p, "approved")


def test_create_participant_by_hand(db):
    fair = make_fair()
    p = admin.create_participant(
        fair,
        "supplier",
        {"name": "SCOP Bâtir", "siret": "732 829 320 00074", "contact_email": "Contact@Batir.example"},
        "Léa Roux",
    )
    db.session.commit()
    p = db.session.get(Participant, p.id)
    assert (p.status, p.organisation.siret, p.organisation.contact_email) == (
        "approved",
        "73282932000074",
        "contact@batir.example",
    )
    assert p.attendees[0].full_name == "Léa Roux"


def test_create_participant_refuses_bad_siret_and_email(db):
    fair = make_fair()
    with pytest.raises(DomainError) as err:
        admin.create_participant(fair, "supplier", {"name": "X", "siret": "12345678901234"})
    assert err.value.field == "siret"
    with pytest.raises(DomainError) as err:
        admin.create_participant(fair, "supplier", {"name": "X", "contact_email": "pas-une-adresse"})
    assert err.value.field == "contact_email"
    with pytest.raises(DomainError):
        admin.create_participant(fair, "visitor", {"name": "X"})


def test_update_participant_and_note(db):
    fair = make_fair()
    p = make_participant(fair)
    p.organisation.contact_email = "contact@structure.example"
    db.session.commit()
    participant_id = p.id
    admin.update_participant(p, {"name": " Nouveau nom ", "city": "Lyon"}, note="  VIP  ")
    db.session.commit()
    db.session.expire_all()  # read what the database holds, not the objects in memory
    stored = db.session.get(Participant, participant_id)
    org = stored.organisation
    assert (org.name, org.city, stored.note) == ("Nouveau nom", "Lyon", "VIP")
    assert org.contact_email == "contact@structure.example"  # a field not given is kept
    assert "nouveau nom" in org.search_text  # the catalogue finds it under its new name


def test_constraints_set_and_refused(db):
    fair, other = make_fair(), make_fair()
    p = make_participant(fair)
    admin.set_constraints(p, 1, 5, fair.tables[2].id, [fair.slots[3].id, fair.slots[0].id])
    assert (p.min_meetings, p.max_meetings, p.home_table_id) == (1, 5, fair.tables[2].id)
    assert [s.id for s in p.unavailable_slots] == [fair.slots[0].id, fair.slots[3].id]
    with pytest.raises(DomainError):
        admin.set_constraints(p, 4, 2, None, [])
    with pytest.raises(DomainError):
        admin.set_constraints(p, 0, None, other.tables[0].id, [])
    with pytest.raises(DomainError):
        admin.set_constraints(p, 0, None, None, [other.slots[0].id])


def test_mandatory_meeting_added_and_refused(db):
    fair, other = make_fair(), make_fair()
    a, b = make_participant(fair, "buyer"), make_participant(fair)
    stranger = make_participant(other)
    mm = admin.add_mandatory_meeting(fair, a, b, session_id=fair.sessions[1].id)
    assert admin.mandatory_meetings(fair) == [mm]
    with pytest.raises(DomainError):
        admin.add_mandatory_meeting(fair, a, stranger)
    with pytest.raises(DomainError):
        admin.add_mandatory_meeting(fair, a, b, session_id=fair.sessions[0].id, slot_id=fair.slots[5].id)
    with pytest.raises(DomainError):
        admin.remove_mandatory_meeting(other, mm.id)
    admin.remove_mandatory_meeting(fair, mm.id)
    assert admin.mandatory_meetings(fair) == []
