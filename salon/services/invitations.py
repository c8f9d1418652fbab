"""Invitations e-mailed by a fair's organisers, accepted once: to organise the fair, or to act for one of
its participants (an imported entry; salon.services.participant_invitations sends those).

The link carries a signed token naming the invitation; whether it may still be used (expiry, accepted,
revoked) is kept in the row, so resending renews it and revoking kills every copy of the link. An account
whose confirmed address was invited also finds the invitation on its organiser page and accepts it there.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from salon import keys
from salon.extensions import db
from salon.models import Fair, OrganiserInvitation, OrganiserMembership, User
from salon.models.base import utcnow
from salon.services import DomainError, NotAllowed, accounts, fairs, participant_access
from salon.services.mail import queue_email

INVITATION_SALT = "salon.organiser-invitation"
VALID_FOR = timedelta(days=14)
INVITATION_PATH = "/invitations/"  # the route public.invitation serves it


def invitation_token(invitation: OrganiserInvitation) -> str:
    """Return the signed token that names the invitation (whether it is still usable is kept in the row)."""
    return keys.serializer(INVITATION_SALT).dumps({"i": invitation.id, "h": address_digest(invitation.email)})


def address_digest(email: str) -> str:
    """Return a short digest of the invited address: the link ties to it without showing it in logs."""
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def invitation_link(invitation: OrganiserInvitation) -> str:
    """Return the absolute link that opens the invitation."""
    base = current_app.config["SALON_BASE_URL"].rstrip("/")
    return f"{base}{INVITATION_PATH}{invitation_token(invitation)}"


def invite(
    fair: Fair, by: User, email: str, role: str = "organiser"
) -> OrganiserMembership | OrganiserInvitation:
    """Add an existing account as co-organiser, or invite an address without one by e-mail."""
    fairs.require_owner(fair, by)
    if role not in ("owner", "organiser"):
        raise DomainError(_("Unknown role."), "role")
    address = accounts.normalise_email(email)
    if "@" not in address or len(address) > 254:
        raise DomainError(_("Enter a valid e-mail address."), "email")
    if db.session.scalar(select(User.id).where(User.email == address)) is not None:
        return fairs.invite_organiser(fair, by, address, role)
    if any(i.email == address for i in open_invitations(fair)):
        raise DomainError(
            _("An invitation to this address is waiting already: resend it from the list."), "email"
        )
    invitation = OrganiserInvitation(fair=fair, email=address, role=role, invited_by=by)
    db.session.add(invitation)
    renew(invitation)
    return invitation


def open_invitations(fair: Fair) -> list[OrganiserInvitation]:
    """Return the fair's invitations to organise neither accepted nor revoked (expired too), oldest first."""
    query = select(OrganiserInvitation).where(
        OrganiserInvitation.fair_id == fair.id,
        OrganiserInvitation.participant_id.is_(None),
        OrganiserInvitation.accepted_at.is_(None),
        OrganiserInvitation.revoked_at.is_(None),
    )
    return list(db.session.scalars(query.order_by(OrganiserInvitation.id)))


def _check_open(fair: Fair, by: User, invitation: OrganiserInvitation) -> None:
    # Any organiser invites participants; only owners choose who organises.
    if invitation.participant_id is None:
        fairs.require_owner(fair, by)
    if invitation.fair_id != fair.id or invitation.accepted_at or invitation.revoked_at:
        raise DomainError(_("This invitation is no longer waiting."), "invitation")


def resend(fair: Fair, by: User, invitation: OrganiserInvitation) -> None:
    """Send the invitation again, valid for another 14 days."""
    _check_open(fair, by, invitation)
    renew(invitation)


def renew(invitation: OrganiserInvitation) -> None:
    """Make the invitation valid for 14 days from now and (re)send its e-mail."""
    invitation.sent_at = utcnow()
    invitation.expires_at = invitation.sent_at + VALID_FOR
    db.session.flush()
    _send(invitation)


def revoke(fair: Fair, by: User, invitation: OrganiserInvitation) -> None:
    """Withdraw the invitation: its link stops working."""
    _check_open(fair, by, invitation)
    invitation.revoked_at = utcnow()
    db.session.flush()


def _send(invitation: OrganiserInvitation) -> None:
    """Queue the invitation e-mail in the fair's language."""
    fair, inviter = invitation.fair, invitation.invited_by
    kind = "participant_invitation" if invitation.participant_id else "organiser_invitation"
    with force_locale(fair.language or "fr"):
        context = {
            "fair": fair,
            "invitation": invitation,
            "participant": invitation.participant,
            "inviter": (inviter.full_name or inviter.email) if inviter else "",
            "link": invitation_link(invitation),
            "has_account": address_has_account(invitation),
        }
        if invitation.participant_id:
            subject = _("%(fair)s: your access to the fair", fair=fair.name)
        else:
            subject = _("%(fair)s: invitation to organise the fair", fair=fair.name)
        queue_email(
            to=invitation.email,
            subject=subject,
            body_text=render_template(f"mail/{kind}.txt", **context),
            body_html=render_template(f"mail/{kind}.html", **context),
            kind=kind,
            fair=fair,
        )


def invitation_from_token(token: str) -> OrganiserInvitation:
    """Return the invitation a link names if it can still be accepted; refuse it with the reason."""
    try:
        data = keys.serializer(INVITATION_SALT).loads(token)
    except BadSignature as exc:
        raise DomainError(_("This invitation link is not valid."), "token") from exc
    invitation = db.session.get(OrganiserInvitation, data.get("i")) if isinstance(data, dict) else None
    if invitation is None or address_digest(invitation.email) != data.get("h"):
        raise DomainError(_("This invitation link is not valid."), "token")
    _check_usable(invitation)
    return invitation


def _check_usable(invitation: OrganiserInvitation) -> None:
    if invitation.accepted_at is not None:
        raise NotAllowed(_("This invitation has been accepted already."), "token")
    if invitation.revoked_at is not None:
        raise NotAllowed(_("The organisers of the fair withdrew this invitation."), "token")
    if invitation.expires_at <= utcnow():
        raise NotAllowed(
            _("This invitation has expired: ask the organisers of the fair for a new one."), "token"
        )


def address_has_account(invitation: OrganiserInvitation) -> bool:
    """Say whether an account uses the invited address (then its owner signs in rather than signs up)."""
    return db.session.scalar(select(User.id).where(User.email == invitation.email)) is not None


def create_invited_account(invitation: OrganiserInvitation, full_name: str, password: str) -> User:
    """Create the invited address's account, confirmed: the link proves the address receives mail.

    A participant invitation is accepted at once: the account acts for the participant.
    """
    _check_usable(invitation)
    if not full_name.strip():
        raise DomainError(_("Enter your name."), "full_name")
    words = [invitation.fair.name]
    if invitation.participant is not None:
        words.append(invitation.participant.organisation.name)
    user = accounts.create_user(invitation.email, password, full_name=full_name.strip(), context=words)
    user.email_confirmed_at = utcnow()
    db.session.flush()
    if invitation.participant is not None:
        accept(invitation, user)
    return user


def waiting_for(user: User) -> list[OrganiserInvitation]:
    """Return the usable invitations sent to the account's confirmed address, soonest to expire first."""
    if user.email_confirmed_at is None:
        return []
    already = select(OrganiserMembership.fair_id).where(OrganiserMembership.user_id == user.id)
    query = (
        select(OrganiserInvitation)
        .where(
            OrganiserInvitation.participant_id.is_(None),
            OrganiserInvitation.email == user.email,
            OrganiserInvitation.accepted_at.is_(None),
            OrganiserInvitation.revoked_at.is_(None),
            OrganiserInvitation.expires_at > utcnow(),
            OrganiserInvitation.fair_id.not_in(already),
        )
        .options(selectinload(OrganiserInvitation.fair), selectinload(OrganiserInvitation.invited_by))
        .order_by(OrganiserInvitation.expires_at, OrganiserInvitation.id)
    )
    return list(db.session.scalars(query))


def invitation_for(user: User, invitation_id: int) -> OrganiserInvitation | None:
    """Return the invitation if it was sent to the account's confirmed address (usable or not), else None."""
    invitation = db.session.get(OrganiserInvitation, invitation_id)
    if invitation is None or user.email_confirmed_at is None or invitation.email != user.email:
        return None
    return invitation if invitation.participant_id is None else None


def accept(invitation: OrganiserInvitation, user: User) -> OrganiserMembership | None:
    """Give the account what the invitation offers (organise the fair, or act for the participant).

    Returns the organiser membership (None for a participant invitation); the invitation is used up.
    """
    _check_usable(invitation)
    if user.email != invitation.email:
        raise NotAllowed(
            _(
                "This invitation was sent to %(email)s: sign in with that address to accept it.",
                email=invitation.email,
            ),
            "user",
        )
    if invitation.participant is not None:
        participant_access.tie_account(invitation.participant, user)
        if user.email_confirmed_at is None:
            user.email_confirmed_at = utcnow()  # the link reached this address
            participant_access.address_confirmed(user)
        return None
    fair = invitation.fair
    if any(m.user_id == user.id for m in fair.organisers):
        raise DomainError(_("You organise this fair already."), "user")
    membership = OrganiserMembership(fair=fair, user=user, role=invitation.role)
    db.session.add(membership)
    invitation.accepted_at = utcnow()
    db.session.flush()
    return membership
