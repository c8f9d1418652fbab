"""Invitations to organise a fair: e-mail with a signed link, accepted once by the invited address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from itsdangerous import URLSafeSerializer

from salon.models import OrganiserInvitation, OrganiserMembership, OutboxMessage
from salon.models.base import utcnow
from salon.services import DomainError, NotAllowed, invitations
from salon.services.retention import purge_fair
from tests.factories import make_fair, make_user

LINK = re.compile(r"http://localhost/invitations/(\S+)")


@pytest.fixture(autouse=True)
def _request(app, db):
    """Services translate their messages: run each test inside a request."""
    with app.test_request_context():
        yield


def _outbox(db, address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to_address == address)))


def _token(db, address: str) -> str:
    """Return the token of the last link e-mailed to `address`."""
    return LINK.findall(_outbox(db, address)[-1].body_text)[-1]


def _memberships(db, fair) -> list[tuple[int, str]]:
    query = db.select(OrganiserMembership.user_id, OrganiserMembership.role).where(
        OrganiserMembership.fair_id == fair.id
    )
    return sorted((user_id, role) for user_id, role in db.session.execute(query))


def _invited(db, role: str = "organiser", **fair_fields):
    owner = make_user(full_name="Awa Diallo")
    fair = make_fair(name="Salon ESS", organiser=owner, **fair_fields)
    invitation = invitations.invite(fair, owner, " New.Person@Example.org ", role)
    return owner, fair, invitation


def test_invite_without_account_records_invitation_and_queues_one_email(db):
    owner, fair, invitation = _invited(db)
    assert isinstance(invitation, OrganiserInvitation)
    row = db.session.get(OrganiserInvitation, invitation.id)
    assert (row.fair_id, row.email, row.role, row.invited_by_id) == (
        fair.id,
        "new.person@example.org",
        "organiser",
        owner.id,
    )
    assert (row.accepted_at, row.revoked_at) == (None, None)
    assert timedelta(days=13, hours=23) < row.expires_at - row.created_at <= invitations.VALID_FOR
    [message] = _outbox(db, "new.person@example.org")
    assert (message.kind, message.fair_id, message.status) == ("organiser_invitation", fair.id, "pending")
    assert message.subject == "Salon ESS : invitation à organiser le salon"
    assert "Awa Diallo vous invite à co-organiser Salon ESS" in message.body_text
    assert invitations.invitation_from_token(_token(db, row.email)).id == row.id
    assert invitations.invitation_link(row) in message.body_html
    assert _memberships(db, fair) == [(owner.id, "owner")]


def test_invitation_email_in_english_when_the_fair_speaks_english(db):
    _invited(db, role="owner", language="en")
    [message] = _outbox(db, "new.person@example.org")
    assert message.subject == "Salon ESS: invitation to organise the fair"
    assert "As an owner, you will also manage the fair's organisers." in message.body_text


def test_invite_existing_account_adds_membership_without_email(db):
    owner, other = make_user(), make_user()
    fair = make_fair(organiser=owner)
    membership = invitations.invite(fair, owner, other.email.upper())
    assert isinstance(membership, OrganiserMembership)
    assert _memberships(db, fair) == sorted([(owner.id, "owner"), (other.id, "organiser")])
    assert db.session.scalars(db.select(OutboxMessage)).all() == []


def test_second_invitation_to_the_same_address_refused(db):
    owner, fair, invitation = _invited(db)
    with pytest.raises(DomainError) as error:
        invitations.invite(fair, owner, invitation.email)
    assert error.value.field == "email"
    assert len(_outbox(db, invitation.email)) == 1


def test_invite_refuses_a_malformed_address_or_role(db):
    owner = make_user()
    fair = make_fair(organiser=owner)
    with pytest.raises(DomainError):
        invitations.invite(fair, owner, "not-an-address")
    with pytest.raises(DomainError):
        invitations.invite(fair, owner, "x@example.org", role="admin")
    assert db.session.scalars(db.select(OrganiserInvitation)).all() == []


def test_accept_by_the_invited_account_makes_it_organiser_with_the_role(db):
    owner, fair, invitation = _invited(db, role="owner")
    token = _token(db, invitation.email)
    user = invitations.create_invited_account(
        invitations.invitation_from_token(token), "Nouvelle Personne", "a long enough password"
    )
    assert user.email == "new.person@example.org"
    assert user.email_confirmed_at is not None
    membership = invitations.accept(invitations.invitation_from_token(token), user)
    assert (membership.fair_id, membership.user_id, membership.role) == (fair.id, user.id, "owner")
    assert db.session.get(OrganiserInvitation, invitation.id).accepted_at is not None
    assert invitations.open_invitations(fair) == []


def test_accept_refused_for_another_account(db):
    owner, fair, invitation = _invited(db)
    stranger = make_user("someone.else@example.org")
    found = invitations.invitation_from_token(_token(db, invitation.email))
    with pytest.raises(NotAllowed) as error:
        invitations.accept(found, stranger)
    assert "new.person@example.org" in error.value.message
    assert _memberships(db, fair) == [(owner.id, "owner")]
    assert db.session.get(OrganiserInvitation, invitation.id).accepted_at is None


def test_accepted_link_cannot_be_used_again(db):
    owner, fair, invitation = _invited(db)
    invitee = make_user(invitation.email)
    token = _token(db, invitation.email)
    invitations.accept(invitations.invitation_from_token(token), invitee)
    with pytest.raises(NotAllowed) as error:
        invitations.invitation_from_token(token)
    assert error.value.message == "Cette invitation a déjà été acceptée."
    with pytest.raises(NotAllowed):
        invitations.accept(invitation, invitee)
    assert _memberships(db, fair) == sorted([(owner.id, "owner"), (invitee.id, "organiser")])


def test_expired_link_refused(db):
    owner, fair, invitation = _invited(db)
    invitee = make_user(invitation.email)
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(NotAllowed) as error:
        invitations.invitation_from_token(_token(db, invitation.email))
    assert error.value.message.startswith("Cette invitation a expiré")
    with pytest.raises(NotAllowed):
        invitations.accept(invitation, invitee)
    assert _memberships(db, fair) == [(owner.id, "owner")]


def test_revoked_link_refused(db):
    owner, fair, invitation = _invited(db)
    invitee = make_user(invitation.email)
    invitations.revoke(fair, owner, invitation)
    with pytest.raises(NotAllowed) as error:
        invitations.invitation_from_token(_token(db, invitation.email))
    assert error.value.message == "Les organisateurs du salon ont retiré cette invitation."
    with pytest.raises(NotAllowed):
        invitations.accept(invitation, invitee)
    assert invitations.open_invitations(fair) == []
    assert _memberships(db, fair) == [(owner.id, "owner")]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-10] + ("B" if t[-10] == "A" else "A") + t[-9:],  # signature changed
        lambda t: "eyJpIjoxLCJlIjoieEBleGFtcGxlLm9yZyJ9." + t.split(".")[1],  # payload swapped
        lambda t: "not-a-token",
    ],
)
def test_tampered_link_refused(db, tamper):
    owner, fair, invitation = _invited(db)
    with pytest.raises(DomainError) as error:
        invitations.invitation_from_token(tamper(_token(db, invitation.email)))
    assert error.value.message == "Ce lien d’invitation n’est pas valide."


def test_link_signed_for_another_purpose_or_address_refused(app, db):
    owner, fair, invitation = _invited(db)
    other_salt = URLSafeSerializer(app.config["SECRET_KEY"], salt="salon.confirm-email")
    with pytest.raises(DomainError):
        invitations.invitation_from_token(
            other_salt.dumps({"i": invitation.id, "h": invitations.address_digest(invitation.email)})
        )
    # A link of a deleted invitation whose id came back (SQLite reuses ids) names another address.
    right_salt = URLSafeSerializer(app.config["SECRET_KEY"], salt=invitations.INVITATION_SALT)
    with pytest.raises(DomainError):
        invitations.invitation_from_token(
            right_salt.dumps({"i": invitation.id, "h": invitations.address_digest("old@example.org")})
        )
    assert invitations.invitation_from_token(
        right_salt.dumps({"i": invitation.id, "h": invitations.address_digest(invitation.email)})
    )


def test_non_owner_cannot_invite_revoke_or_resend(db):
    owner, fair, invitation = _invited(db)
    co_organiser = make_user()
    db.session.add(OrganiserMembership(fair=fair, user=co_organiser, role="organiser"))
    db.session.flush()
    with pytest.raises(NotAllowed):
        invitations.invite(fair, co_organiser, "another@example.org")
    with pytest.raises(NotAllowed):
        invitations.revoke(fair, co_organiser, invitation)
    with pytest.raises(NotAllowed):
        invitations.resend(fair, co_organiser, invitation)
    assert [i.id for i in invitations.open_invitations(fair)] == [invitation.id]
    assert db.session.get(OrganiserInvitation, invitation.id).revoked_at is None
    assert len(db.session.scalars(db.select(OutboxMessage)).all()) == 1


def test_resend_renews_an_expired_invitation_and_queues_a_new_email(db):
    owner, fair, invitation = _invited(db)
    invitation.expires_at = utcnow() - timedelta(days=1)
    invitations.resend(fair, owner, invitation)
    assert invitation.expires_at > utcnow() + timedelta(days=13)
    assert len(_outbox(db, invitation.email)) == 2
    assert invitations.invitation_from_token(_token(db, invitation.email)).id == invitation.id


def test_revoke_or_resend_refused_once_accepted_or_from_another_fair(db):
    owner, fair, invitation = _invited(db)
    other_owner = make_user()
    other_fair = make_fair(organiser=other_owner)
    with pytest.raises(DomainError):
        invitations.revoke(other_fair, other_owner, invitation)
    invitations.accept(invitation, make_user(invitation.email))
    with pytest.raises(DomainError):
        invitations.revoke(fair, owner, invitation)
    with pytest.raises(DomainError):
        invitations.resend(fair, owner, invitation)
    assert db.session.get(OrganiserInvitation, invitation.id).revoked_at is None


def test_purging_the_fair_deletes_its_invitations(db):
    owner, fair, invitation = _invited(db)
    fair.phase = "closed"
    purge_fair(fair, utcnow())
    assert db.session.scalars(db.select(OrganiserInvitation)).all() == []


def _invitation_to(db, fair, email: str, by=None, **fields) -> OrganiserInvitation:  # noqa: ANN001
    """Record an invitation directly (no e-mail): the listing only reads rows."""
    fields.setdefault("expires_at", utcnow() + invitations.VALID_FOR)
    invitation = OrganiserInvitation(fair=fair, email=email, invited_by=by, **fields)
    db.session.add(invitation)
    db.session.flush()
    return invitation


def test_waiting_for_lists_only_usable_invitations_to_the_confirmed_address(db):
    owner = make_user()
    user = make_user("invitee@example.org")
    fairs = [make_fair(name=f"Salon {n}", organiser=owner) for n in range(6)]
    later = _invitation_to(db, fairs[0], user.email, owner, expires_at=utcnow() + timedelta(days=10))
    sooner = _invitation_to(db, fairs[1], user.email, owner, expires_at=utcnow() + timedelta(days=2))
    elsewhere = _invitation_to(db, fairs[2], "someone.else@example.org", owner)
    _invitation_to(db, fairs[3], user.email, owner, expires_at=utcnow() - timedelta(seconds=1))
    _invitation_to(db, fairs[4], user.email, owner, revoked_at=utcnow())
    _invitation_to(db, fairs[5], user.email, owner, accepted_at=utcnow())
    assert [i.id for i in invitations.waiting_for(user)] == [sooner.id, later.id]
    assert [i.id for i in invitations.waiting_for(make_user("someone.else@example.org"))] == [elsewhere.id]


def test_waiting_for_is_empty_while_the_address_is_unconfirmed(db):
    owner = make_user()
    user = make_user("invitee@example.org", email_confirmed_at=None)
    invitation = _invitation_to(db, make_fair(organiser=owner), user.email, owner)
    assert invitations.waiting_for(user) == []
    assert invitations.invitation_for(user, invitation.id) is None


def test_waiting_for_leaves_out_fairs_the_account_organises_already(db):
    owner = make_user()
    user = make_user("invitee@example.org")
    fair = make_fair(organiser=owner)
    _invitation_to(db, fair, user.email, owner)
    db.session.add(OrganiserMembership(fair=fair, user=user, role="organiser"))
    db.session.flush()
    assert invitations.waiting_for(user) == []


def test_invitation_for_names_only_invitations_to_the_account_address(db):
    owner = make_user()
    user = make_user("invitee@example.org")
    fair = make_fair(organiser=owner)
    mine = _invitation_to(db, fair, user.email, owner, revoked_at=utcnow())
    other = _invitation_to(db, fair, "someone.else@example.org", owner)
    assert invitations.invitation_for(user, mine.id) is mine  # unusable ones too: accept() says why
    assert invitations.invitation_for(user, other.id) is None
    assert invitations.invitation_for(user, other.id + 1000) is None
