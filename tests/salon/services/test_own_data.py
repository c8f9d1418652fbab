"""Own data: JSON export and account deletion (wishes and profile go, meetings cancelled)."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import func, select

from salon.models import Meeting, MeetingSeat, Organisation, OrganiserInvitation, Participant, User, Wish
from salon.models.base import utcnow
from salon.services import own_data
from tests.factories import make_fair, make_participant, make_user, make_wish


@pytest.fixture(autouse=True)
def _request(app, db):
    with app.test_request_context():
        yield


def make_meeting(p, q, slot, table, status="scheduled") -> Meeting:
    """Create a published meeting with its seats."""
    a, b = sorted((p, q), key=lambda x: x.id)
    meeting = Meeting(
        fair_id=p.fair_id,
        participant_a_id=a.id,
        participant_b_id=b.id,
        slot_id=slot.id,
        table_id=table.id,
        status=status,
        uid=f"{uuid.uuid4()}@salon",
    )
    from salon.extensions import db

    db.session.add(meeting)
    db.session.flush()
    for x in (a, b):
        db.session.add(MeetingSeat(meeting_id=meeting.id, participant_id=x.id, slot_id=slot.id))
    db.session.flush()
    return meeting


@pytest.fixture()
def scene(db):
    fair = make_fair(phase="published")
    user = make_user(full_name="Alice")
    mine = make_participant(fair, "supplier", user=user)
    mine.organisation.contact_email = "contact@recyclerie.example"
    buyer = make_participant(fair, "buyer")
    buyer2 = make_participant(fair, "buyer")
    make_wish(mine, buyer, priority=3)
    make_wish(buyer2, mine, priority=2)
    meeting = make_meeting(mine, buyer, fair.slots[0], fair.tables[0])
    return fair, user, mine, buyer, buyer2, meeting


def test_export_own_data_is_json_with_profile_wishes_meetings(scene):
    _, user, mine, buyer, _, _ = scene
    data = json.loads(json.dumps(own_data.export_own_data(user)))
    assert data["account"]["email"] == user.email
    [org] = data["organisations"]
    assert org["contact_email"] == "contact@recyclerie.example"
    [part] = org["participations"]
    assert part["wishes"] == [{"target": buyer.organisation.name, "priority": 3, "veto": False}]
    assert [m["counterpart"] for m in part["meetings"]] == [buyer.organisation.name]


def test_export_own_data_leaves_out_wishes_received(scene):
    _, user, _, _, buyer2, _ = scene
    assert buyer2.organisation.name not in json.dumps(own_data.export_own_data(user))


def test_delete_account_cancels_meetings_and_erases_profile(scene, db):
    _, user, mine, buyer, _, meeting = scene
    ids = (user.id, mine.id, mine.organisation_id, meeting.id)
    own_data.delete_account(user)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, ids[0]) is None
    meeting = db.session.get(Meeting, ids[3])
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)
    assert db.session.scalar(select(func.count(MeetingSeat.id))) == 0
    assert (
        db.session.scalar(
            select(func.count(Wish.id)).where((Wish.source_id == ids[1]) | (Wish.target_id == ids[1]))
        )
        == 0
    )
    org = db.session.get(Organisation, ids[2])
    assert (org.name, org.contact_email, org.offer, org.search_text) == (own_data.DELETED_NAME, "", "", "")
    assert db.session.get(Participant, ids[1]).status == "refused"


def test_delete_account_without_meetings_removes_rows(db):
    fair = make_fair(phase="wishes")
    user = make_user()
    mine = make_participant(fair, "buyer", user=user)
    ids = (mine.id, mine.organisation_id)
    own_data.delete_account(user)
    db.session.commit()
    assert db.session.get(Participant, ids[0]) is None
    assert db.session.get(Organisation, ids[1]) is None


def test_delete_account_keeps_organisation_of_colleagues(db):
    from salon.models import OrganisationMember

    fair = make_fair(phase="wishes")
    user, colleague = make_user(), make_user()
    mine = make_participant(fair, "buyer", user=user)
    db.session.add(OrganisationMember(organisation=mine.organisation, user=colleague))
    db.session.flush()
    name = mine.organisation.name
    own_data.delete_account(user)
    db.session.commit()
    assert db.session.get(Participant, mine.id).organisation.name == name


def test_invitations_to_the_address_are_exported_then_deleted_with_the_account(app, db):
    owner, user = make_user(), make_user()
    fair = make_fair(name="Salon invitant", organiser=owner)
    other = OrganiserInvitation(fair=fair, email="someone-else@example.org", expires_at=utcnow())
    db.session.add_all([OrganiserInvitation(fair=fair, email=user.email, expires_at=utcnow()), other])
    db.session.commit()
    exported = json.loads(json.dumps(own_data.export_own_data(user)))
    invited = [(i["fair"], i["role"]) for i in exported["organiser_invitations"]]
    assert invited == [("Salon invitant", "organiser")]
    own_data.delete_account(user)
    db.session.commit()
    left = db.session.scalars(select(OrganiserInvitation.email)).all()
    assert left == ["someone-else@example.org"]
