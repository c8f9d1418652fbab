"""Imported participants get an account: invitation, resend, sign-up or sign-in from the link, refusals."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from salon.models import (
    Attendee,
    OrganisationMember,
    OrganiserInvitation,
    OutboxMessage,
    Participant,
    User,
)
from salon.models.base import utcnow
from salon.services.mail import send_pending
from salon.services.participants_admin import create_participant
from tests.factories import PASSWORD, login, make_fair, make_participant, make_user
from tests.salon.mail_server import running_smtp_server

LINK = re.compile(r"http://localhost(/invitations/\S+)")
NEW_PASSWORD = "Brique7Sureau lagune"
ADDRESS = "contact@scop-batir.example"


@pytest.fixture()
def smtp_server(app, monkeypatch):
    yield from running_smtp_server(app, monkeypatch)


def _imported(
    fair, name: str = "SCOP Bâtir", email: str = ADDRESS, contact: str = "Inès Martin"
) -> Participant:
    """Create an entry as the import does: an organisation with a contact person, no account."""
    data = {"name": name, "contact_email": email}
    return create_participant(fair, "supplier", data, contact_name=contact)


def _scene(db, **fair_fields):
    organiser = make_user(can_create_fairs=True)
    fair = make_fair(name="Salon ESS Occitanie", organiser=organiser, phase="wishes", **fair_fields)
    participant = _imported(fair)
    db.session.commit()
    return organiser, fair, participant


def _counts(db) -> dict[str, int]:
    models = (User, OrganisationMember, OrganiserInvitation, Participant, Attendee)
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in models}


def _messages(db, to: str = ADDRESS) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.to_address == to).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def _invite(client, db, fair, participant) -> str:
    """Invite the entry from the participants list; return the link path of the e-mail."""
    response = client.post(f"/orga/fairs/{fair.id}/participants/{participant.id}/invite")
    assert response.status_code == 303
    return LINK.search(_messages(db)[-1].body_text).group(1)


def _row(page: str, name: str) -> str:
    start = page.index(name)
    return page[start : page.index("</tr>", start)]


def test_organiser_invites_one_participant_in_the_fairs_language(client, db):
    organiser, fair, participant = _scene(db)
    login(client, organiser)
    assert "Non invité" in _row(
        client.get(f"/orga/fairs/{fair.id}/participants").get_data(as_text=True), "SCOP"
    )
    path = _invite(client, db, fair, participant)
    [message] = _messages(db)
    assert message.subject == "Salon ESS Occitanie : votre accès au salon"
    assert "Les organisateurs de Salon ESS Occitanie ont inscrit SCOP Bâtir" in message.body_text
    assert path.startswith("/invitations/")
    invitation = db.session.scalar(select(OrganiserInvitation))
    assert (invitation.role, invitation.participant_id, invitation.email) == (
        "participant",
        participant.id,
        ADDRESS,
    )
    assert invitation.expires_at - invitation.sent_at == timedelta(days=14)
    page = client.get(f"/orga/fairs/{fair.id}/participants").get_data(as_text=True)
    assert "Invité le" in _row(page, "SCOP") and "Renvoyer" in _row(page, "SCOP")


def test_invitation_in_english_for_an_english_fair(client, db):
    organiser, fair, participant = _scene(db, language="en")
    login(client, organiser)
    _invite(client, db, fair, participant)
    [message] = _messages(db)
    assert message.subject == "Salon ESS Occitanie: your access to the fair"


def test_invited_on_date_is_the_fairs_date(client, db):
    organiser, fair, participant = _scene(db, tz="Pacific/Auckland")
    login(client, organiser)
    _invite(client, db, fair, participant)
    invitation = db.session.scalar(select(OrganiserInvitation))
    # 22:30 UTC on 1 March is already 2 March in Auckland.
    invitation.sent_at = datetime(2027, 3, 1, 22, 30, tzinfo=UTC)
    db.session.commit()
    row = _row(client.get(f"/orga/fairs/{fair.id}/participants").get_data(as_text=True), "SCOP")
    assert "Invité le 2 mars 2027" in row


def test_resend_renews_the_same_invitation(client, db):
    organiser, fair, participant = _scene(db)
    login(client, organiser)
    first = _invite(client, db, fair, participant)
    invitation = db.session.scalar(select(OrganiserInvitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "Invitation expirée" in _row(
        client.get(f"/orga/fairs/{fair.id}/participants").get_data(as_text=True), "SCOP"
    )
    second = _invite(client, db, fair, participant)
    assert first == second  # the token names the row, whose expiry moved
    assert len(_messages(db)) == 2
    assert db.session.scalar(select(func.count()).select_from(OrganiserInvitation)) == 1
    assert db.session.get(OrganiserInvitation, invitation.id).expires_at > utcnow() + timedelta(days=13)
    client.post("/logout")
    assert client.get(second).status_code == 200


def test_invite_everyone_leaves_out_joined_without_address_and_still_invited(client, db):
    organiser, fair, participant = _scene(db)
    joined = make_participant(fair, side="buyer", user=make_user())
    no_address = _imported(fair, name="Sans Adresse", email="", contact="")
    invited = _imported(fair, name="Déjà Invitée", email="deja@example.org")
    db.session.commit()
    login(client, organiser)
    client.post(f"/orga/fairs/{fair.id}/participants/{invited.id}/invite")
    response = client.post(
        f"/orga/fairs/{fair.id}/participants/invite", data={"scope": "everyone"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert (
        "1 invitation mise en file d’envoi : elle partira au prochain passage de l’envoi des e-mails." in page
    )
    assert "1 a déjà un compte." in page and "1 n’a pas d’adresse e-mail." in page
    assert "1 a déjà été invité et peut encore utiliser le lien." in page
    assert [m.to_address for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))] == [
        "deja@example.org",
        ADDRESS,
    ]
    assert joined.id and no_address.id


def test_invite_selection_sends_only_to_the_ticked_ones(client, db):
    organiser, fair, participant = _scene(db)
    other = _imported(fair, name="Régie Quartier", email="regie@example.org")
    db.session.commit()
    login(client, organiser)
    response = client.post(
        f"/orga/fairs/{fair.id}/participants/invite",
        data={"scope": "selected", "participant_ids": [str(other.id)]},
    )
    assert response.status_code == 303
    assert [m.to_address for m in db.session.scalars(select(OutboxMessage))] == ["regie@example.org"]


def test_new_account_from_the_link_acts_for_the_participant(client, db):
    organiser, fair, participant = _scene(db)
    login(client, organiser)
    path = _invite(client, db, fair, participant)
    client.post("/logout")
    page = client.get(path).get_data(as_text=True)
    assert "Votre accès à Salon ESS Occitanie" in page
    assert 'value="Inès Martin"' in page  # the contact's name, to correct if needed
    response = client.post(
        path + "/account",
        data={"full_name": "Inès Martin", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert (response.status_code, response.headers["Location"]) == (303, f"/p/{participant.id}/profile")
    user = db.session.scalar(select(User).where(User.email == ADDRESS))
    assert user.email_confirmed_at is not None
    assert [m.user_id for m in db.session.get(Participant, participant.id).organisation.members] == [user.id]
    assert [a.user_id for a in db.session.get(Participant, participant.id).attendees] == [user.id]
    assert db.session.scalar(select(OrganiserInvitation)).accepted_at is not None
    assert client.get(f"/p/{participant.id}/profile").status_code == 200
    client.post("/logout")
    used = client.get(path)
    assert used.status_code == 400
    assert "Cette invitation a déjà été acceptée." in used.get_data(as_text=True)
    login(client, organiser)
    row = _row(client.get(f"/orga/fairs/{fair.id}/participants").get_data(as_text=True), "SCOP")
    assert "Inscrit" in row and "invitation acceptée le" in row


def test_existing_account_signs_in_and_the_entry_is_tied_to_it(client, db):
    organiser, fair, participant = _scene(db)
    owner_of_address = make_user(ADDRESS)
    db.session.commit()
    login(client, organiser)
    path = _invite(client, db, fair, participant)
    assert "Un compte utilise déjà cette adresse" in _messages(db)[-1].body_text
    client.post("/logout")
    page = client.get(path).get_data(as_text=True)
    assert f"/login?next={path}" in page and "Choisissez votre mot de passe" not in page
    signed_in = client.post(f"/login?next={path}", data={"email": ADDRESS, "password": PASSWORD})
    assert signed_in.headers["Location"] == path
    accepted = client.post(path + "/accept")
    assert (accepted.status_code, accepted.headers["Location"]) == (303, f"/p/{participant.id}/profile")
    members = db.session.get(Participant, participant.id).organisation.members
    assert [m.user_id for m in members] == [owner_of_address.id]


def test_account_creation_refused_for_a_common_password_changes_nothing(client, db):
    organiser, fair, participant = _scene(db)
    login(client, organiser)
    path = _invite(client, db, fair, participant)
    client.post("/logout")
    before = _counts(db)
    for password, message in (
        ("azertyuiop123", "parmi les plus courants"),
        ("Inès Martin 2027!", "construit à partir de votre nom"),
        ("SCOP Batir 2027", "construit à partir de votre nom"),
    ):
        form = {"full_name": "Inès Martin", "password": password, "password_again": password}
        response = client.post(path + "/account", data=form)
        assert response.status_code == 422, password
        assert message in response.get_data(as_text=True), password
    assert _counts(db) == before
    assert db.session.scalar(select(OrganiserInvitation)).accepted_at is None


def test_expired_tampered_and_other_address_links_are_refused(client, db):
    organiser, fair, participant = _scene(db)
    login(client, organiser)
    path = _invite(client, db, fair, participant)
    client.post("/logout")
    form = {"full_name": "Inès", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    before = _counts(db)
    tampered = client.post(
        path[:-4] + ("AAAA" if not path.endswith("AAAA") else "BBBB") + "/account", data=form
    )
    assert tampered.status_code == 400
    assert "Ce lien d’invitation n’est pas valide." in tampered.get_data(as_text=True)
    invitation = db.session.scalar(select(OrganiserInvitation))
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    expired = client.post(path + "/account", data=form)
    assert expired.status_code == 400
    assert "Cette invitation a expiré" in expired.get_data(as_text=True)
    stranger = make_user("stranger@example.org")
    invitation.expires_at = utcnow() + timedelta(days=1)
    db.session.commit()
    login(client, stranger)
    assert client.post(path + "/accept").status_code == 403
    assert _counts(db) == {**before, "users": before["users"] + 1}
    assert db.session.get(Participant, participant.id).organisation.members == []


def test_invitation_read_from_a_real_smtp_server_and_followed(client, db, smtp_server):
    organiser, fair, participant = _scene(db)
    login(client, organiser)
    client.post(f"/orga/fairs/{fair.id}/participants/invite", data={"scope": "everyone"})
    client.post("/logout")
    assert send_pending().sent == 1
    [message] = smtp_server.inbox.messages
    assert message["To"] == ADDRESS
    assert message["Subject"] == "Salon ESS Occitanie : votre accès au salon"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    path = LINK.search(text).group(1)
    assert f'href="http://localhost{path}"' in html
    form = {"full_name": "Inès Martin", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert client.post(path + "/account", data=form).status_code == 303
    assert client.get(f"/p/{participant.id}/wishes").status_code == 200


def test_participant_of_another_fair_cannot_be_invited(client, db):
    organiser, fair, participant = _scene(db)
    other_fair = make_fair(organiser=make_user())
    foreign = _imported(other_fair, name="Ailleurs", email="ailleurs@example.org")
    db.session.commit()
    login(client, organiser)
    assert client.post(f"/orga/fairs/{fair.id}/participants/{foreign.id}/invite").status_code == 404
    response = client.post(
        f"/orga/fairs/{fair.id}/participants/invite",
        data={"scope": "selected", "participant_ids": [str(foreign.id)]},
    )
    assert response.status_code == 303
    assert _messages(db, "ailleurs@example.org") == []
