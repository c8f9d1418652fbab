"""Invitation pages: the owner invites an address without an account; the invitee signs up and accepts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from salon.models import OrganiserInvitation, OrganiserMembership, OutboxMessage, User
from salon.models.base import utcnow
from tests.factories import login, make_fair, make_user

LINK = re.compile(r"http://localhost(/invitations/\S+)")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ADDRESS = "invitee@example.org"


def _invite(client, db, role: str = "organiser"):
    """Sign in as the fair's owner, invite ADDRESS, sign out; return the owner, the fair and the link path."""
    owner = make_user(can_create_fairs=True)
    fair = make_fair(name="Salon ESS", organiser=owner)
    db.session.commit()
    login(client, owner)
    response = client.post(f"/orga/fairs/{fair.id}/organisers", data={"email": ADDRESS, "role": role})
    assert response.status_code == 302
    client.post("/logout")
    [message] = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to_address == ADDRESS))
    return owner, fair, LINK.search(message.body_text).group(1)


def _memberships(db, fair) -> list[tuple[str, str]]:
    query = (
        db.select(User.email, OrganiserMembership.role)
        .join(OrganiserMembership.user)
        .where(OrganiserMembership.fair_id == fair.id)
    )
    return sorted((email, role) for email, role in db.session.execute(query))


def _invitation(db, fair) -> OrganiserInvitation:
    return db.session.scalar(db.select(OrganiserInvitation).where(OrganiserInvitation.fair_id == fair.id))


def test_organisers_page_lists_pending_invitation_with_revoke_and_resend(client, db):
    owner, fair, path = _invite(client, db)
    login(client, owner)
    page = client.get(f"/orga/fairs/{fair.id}/organisers").get_data(as_text=True)
    invitation = _invitation(db, fair)
    assert "Invitations en attente" in page
    assert ADDRESS in page
    assert f"/orga/fairs/{fair.id}/invitations/{invitation.id}/revoke" in page
    assert f"/orga/fairs/{fair.id}/invitations/{invitation.id}/resend" in page


def test_invitee_without_account_signs_up_then_accepts(client, db):
    owner, fair, path = _invite(client, db, role="owner")
    page = client.get(path)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Invitation à organiser Salon ESS" in text
    assert f'value="{ADDRESS}" readonly' in text
    assert "Accepter l’invitation" not in text
    created = client.post(
        path + "/account",
        data={
            "full_name": "Inès Invitée",
            "password": "a long enough password",
            "password_again": "a long enough password",
        },
    )
    assert (created.status_code, created.headers["Location"]) == (303, path)
    user = db.session.scalar(db.select(User).where(User.email == ADDRESS))
    assert (user.full_name, user.email_confirmed_at is not None) == ("Inès Invitée", True)
    assert "Accepter l’invitation" in client.get(path).get_data(as_text=True)
    accepted = client.post(path + "/accept")
    assert (accepted.status_code, accepted.headers["Location"]) == (303, f"/orga/fairs/{fair.id}/")
    assert _memberships(db, fair) == sorted([(owner.email, "owner"), (ADDRESS, "owner")])
    assert _invitation(db, fair).accepted_at is not None
    again = client.get(path)
    assert again.status_code == 400
    assert "Cette invitation a déjà été acceptée." in again.get_data(as_text=True)


def test_account_form_errors_keep_the_invitation_open(client, db):
    owner, fair, path = _invite(client, db)
    response = client.post(
        path + "/account", data={"full_name": "X", "password": "short", "password_again": "x"}
    )
    assert response.status_code == 422
    assert db.session.scalar(db.select(User).where(User.email == ADDRESS)) is None


def test_invitee_with_account_signs_in_and_comes_back_to_accept(client, db):
    owner, fair, path = _invite(client, db)
    invitee = make_user(ADDRESS)
    db.session.commit()
    text = client.get(path).get_data(as_text=True)
    assert f"/login?next={path}" in text
    assert "Créez votre compte" not in text
    signed_in = client.post(
        f"/login?next={path}", data={"email": ADDRESS, "password": "correct horse battery staple"}
    )
    assert signed_in.headers["Location"] == path
    assert client.post(path + "/accept").status_code == 303
    assert _memberships(db, fair) == sorted([(owner.email, "owner"), (invitee.email, "organiser")])


def test_accept_needs_sign_in(client, db):
    owner, fair, path = _invite(client, db)
    response = client.post(path + "/accept")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert _invitation(db, fair).accepted_at is None


def test_other_account_cannot_accept(client, db):
    owner, fair, path = _invite(client, db)
    stranger = make_user("stranger@example.org")
    db.session.commit()
    login(client, stranger)
    page = client.get(path).get_data(as_text=True)
    assert "Vous êtes connecté·e en tant que stranger@example.org" in page
    assert "Accepter l’invitation" not in page
    response = client.post(path + "/accept")
    assert response.status_code == 403
    assert "Cette invitation a été envoyée à invitee@example.org" in response.get_data(as_text=True)
    assert _memberships(db, fair) == [(owner.email, "owner")]
    assert _invitation(db, fair).accepted_at is None


def test_tampered_or_expired_link_shows_why_and_changes_nothing(client, db):
    owner, fair, path = _invite(client, db)
    invitee = make_user(ADDRESS)
    db.session.commit()
    login(client, invitee)
    tampered = client.post(path[:-6] + ("AAAAAA" if not path.endswith("AAAAAA") else "BBBBBB") + "/accept")
    assert tampered.status_code == 400
    assert "Ce lien d’invitation n’est pas valide." in tampered.get_data(as_text=True)
    _invitation(db, fair).expires_at = utcnow() - timedelta(minutes=1)
    expired = client.post(path + "/accept")
    assert expired.status_code == 400
    assert "Cette invitation a expiré" in expired.get_data(as_text=True)
    assert _memberships(db, fair) == [(owner.email, "owner")]


def test_owner_revokes_invitation_and_link_stops_working(client, db):
    owner, fair, path = _invite(client, db)
    invitation = _invitation(db, fair)
    login(client, owner)
    response = client.post(f"/orga/fairs/{fair.id}/invitations/{invitation.id}/revoke")
    assert response.status_code == 303
    assert _invitation(db, fair).revoked_at is not None
    assert ADDRESS not in client.get(f"/orga/fairs/{fair.id}/organisers").get_data(as_text=True)
    client.post("/logout")
    page = client.get(path)
    assert page.status_code == 400
    assert "Les organisateurs du salon ont retiré cette invitation." in page.get_data(as_text=True)


def test_owner_resends_invitation(client, db):
    owner, fair, path = _invite(client, db)
    invitation = _invitation(db, fair)
    invitation.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    login(client, owner)
    assert "expirée" in client.get(f"/orga/fairs/{fair.id}/organisers").get_data(as_text=True)
    assert client.post(f"/orga/fairs/{fair.id}/invitations/{invitation.id}/resend").status_code == 303
    messages = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to_address == ADDRESS)).all()
    assert len(messages) == 2
    assert _invitation(db, fair).expires_at > utcnow() + timedelta(days=13)
    assert client.get(path).status_code == 200


def test_co_organiser_cannot_revoke(client, db):
    owner, fair, path = _invite(client, db)
    co_organiser = make_user()
    db.session.add(OrganiserMembership(fair_id=fair.id, user_id=co_organiser.id, role="organiser"))
    db.session.commit()
    invitation = _invitation(db, fair)
    login(client, co_organiser)
    response = client.post(f"/orga/fairs/{fair.id}/invitations/{invitation.id}/revoke", follow_redirects=True)
    assert "Seul un propriétaire" in response.get_data(as_text=True)
    assert _invitation(db, fair).revoked_at is None


def test_invitation_of_another_fair_is_404(client, db):
    owner, fair, path = _invite(client, db)
    other_owner = make_user()
    other_fair = make_fair(organiser=other_owner)
    db.session.commit()
    invitation = _invitation(db, fair)
    login(client, other_owner)
    assert client.post(f"/orga/fairs/{other_fair.id}/invitations/{invitation.id}/revoke").status_code == 404
    assert _invitation(db, fair).revoked_at is None


def test_accept_needs_csrf_token(app, client, db, monkeypatch):
    owner, fair, path = _invite(client, db)
    invitee = make_user(ADDRESS)
    db.session.commit()
    login(client, invitee)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(path + "/accept").status_code == 400
    assert _invitation(db, fair).accepted_at is None
    token = CSRF.search(client.get(path).get_data(as_text=True)).group(1)
    assert client.post(path + "/accept", data={"csrf_token": token}).status_code == 303
    assert _invitation(db, fair).accepted_at is not None


def test_accounts_created_from_links_count_in_the_registration_limit(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "SALON_REGISTER_LIMIT", "1 per hour")
    _, _, path = _invite(client, db)
    form = {"full_name": "Inès", "password": "a long enough password", "password_again": "x"}
    assert client.post(path + "/account", data=form).status_code == 422  # refused forms do not count
    form["password_again"] = form["password"]
    assert client.post(path + "/account", data=form).status_code == 303
    client.post("/logout")
    limited = client.post(path + "/account", data=form)
    assert limited.status_code == 429


def _waiting(db, fair, email: str = ADDRESS, **fields) -> OrganiserInvitation:
    """Record an invitation to `email` from the fair's owner (no e-mail: the landing page reads rows)."""
    fields.setdefault("expires_at", utcnow() + timedelta(days=14))
    owner = fair.organisers[0].user
    invitation = OrganiserInvitation(fair=fair, email=email, invited_by=owner, **fields)
    db.session.add(invitation)
    db.session.commit()
    return invitation


def _accept_path(invitation: OrganiserInvitation) -> str:
    return f"/orga/invitations/{invitation.id}/accept"


def test_home_lists_invitation_waiting_for_the_confirmed_address(client, db):
    owner = make_user(full_name="Awa Diallo")
    fair = make_fair(name="Salon ESS", organiser=owner, tz="Pacific/Auckland")
    invitee = make_user(ADDRESS)
    # 22:30 UTC on 1 January is already 2 January in Auckland: the date is the fair's.
    invitation = _waiting(db, fair, role="owner", expires_at=datetime(2040, 1, 1, 22, 30, tzinfo=UTC))
    login(client, invitee)
    page = client.get("/orga/").get_data(as_text=True)
    assert "Invitations qui vous attendent" in page
    row = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "Salon ESS" in row
    assert "Propriétaire" in row
    assert "Awa Diallo" in row
    assert "lundi 2 janvier 2040" in row
    assert f'action="{_accept_path(invitation)}"' in row
    assert "Accepter" in row


def test_home_leaves_out_invitations_to_others_and_unusable_ones(client, db):
    owner = make_user()
    invitee = make_user(ADDRESS)
    fairs = {name: make_fair(name=name, organiser=owner) for name in ("Autre", "Expiré", "Retiré", "Accepté")}
    others = [
        _waiting(db, fairs["Autre"], email="someone.else@example.org"),
        _waiting(db, fairs["Expiré"], expires_at=utcnow() - timedelta(minutes=1)),
        _waiting(db, fairs["Retiré"], revoked_at=utcnow()),
        _waiting(db, fairs["Accepté"], accepted_at=utcnow()),
    ]
    login(client, invitee)
    page = client.get("/orga/").get_data(as_text=True)
    assert "Invitations qui vous attendent" not in page
    assert [i.id for i in others if _accept_path(i) in page] == []


def test_home_leaves_out_invitations_while_the_address_is_unconfirmed(client, db):
    owner = make_user()
    fair = make_fair(name="Salon ESS", organiser=owner)
    invitee = make_user(ADDRESS, email_confirmed_at=None)
    invitation = _waiting(db, fair)
    login(client, invitee)
    page = client.get("/orga/").get_data(as_text=True)
    assert "Invitations qui vous attendent" not in page
    assert client.post(_accept_path(invitation)).status_code == 404
    assert _memberships(db, fair) == [(owner.email, "owner")]


def test_accept_from_home_makes_the_user_an_organiser(client, db):
    owner = make_user()
    fair = make_fair(name="Salon ESS", organiser=owner)
    invitee = make_user(ADDRESS)
    invitation = _waiting(db, fair)
    login(client, invitee)
    response = client.post(_accept_path(invitation))
    assert (response.status_code, response.headers["Location"]) == (303, f"/orga/fairs/{fair.id}/")
    assert _memberships(db, fair) == sorted([(owner.email, "owner"), (ADDRESS, "organiser")])
    assert db.session.get(OrganiserInvitation, invitation.id).accepted_at is not None
    dashboard = client.get(f"/orga/fairs/{fair.id}/").get_data(as_text=True)
    assert "Vous organisez désormais Salon ESS." in dashboard
    assert "Invitations qui vous attendent" not in client.get("/orga/").get_data(as_text=True)


def test_accept_from_home_refuses_another_persons_invitation(client, db):
    owner = make_user()
    fair = make_fair(name="Salon ESS", organiser=owner)
    stranger = make_user("stranger@example.org")
    invitation = _waiting(db, fair)
    login(client, stranger)
    assert client.post(_accept_path(invitation)).status_code == 404
    assert client.post(f"/orga/invitations/{invitation.id + 1000}/accept").status_code == 404
    assert _memberships(db, fair) == [(owner.email, "owner")]
    assert db.session.get(OrganiserInvitation, invitation.id).accepted_at is None


def test_accept_from_home_of_an_expired_invitation_says_why(client, db):
    owner = make_user()
    fair = make_fair(name="Salon ESS", organiser=owner)
    invitee = make_user(ADDRESS)
    invitation = _waiting(db, fair, expires_at=utcnow() - timedelta(minutes=1))
    login(client, invitee)
    response = client.post(_accept_path(invitation))
    assert (response.status_code, response.headers["Location"]) == (303, "/orga/")
    assert "Cette invitation a expiré" in client.get("/orga/").get_data(as_text=True)
    assert _memberships(db, fair) == [(owner.email, "owner")]
    assert db.session.get(OrganiserInvitation, invitation.id).accepted_at is None


def test_accept_from_home_needs_csrf_token(app, client, db, monkeypatch):
    owner = make_user()
    fair = make_fair(name="Salon ESS", organiser=owner)
    invitee = make_user(ADDRESS)
    invitation = _waiting(db, fair)
    login(client, invitee)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(_accept_path(invitation)).status_code == 400
    assert db.session.get(OrganiserInvitation, invitation.id).accepted_at is None
    token = CSRF.search(client.get("/orga/").get_data(as_text=True)).group(1)
    assert client.post(_accept_path(invitation), data={"csrf_token": token}).status_code == 303
    assert db.session.get(OrganiserInvitation, invitation.id).accepted_at is not None
