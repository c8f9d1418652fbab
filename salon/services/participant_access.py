"""Accounts acting for participants the organisers entered (imported or added by hand).

An account comes to act for such an entry by an invitation (salon.services.participant_invitations), or by
registering: with the entry's address it claims the entry once the address is confirmed; with its SIRET
alone (a public number) the claim waits for an organiser's approval. Nothing is duplicated either way.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from salon.extensions import db
from salon.models import (
    Attendee,
    Fair,
    Organisation,
    OrganisationMember,
    OrganiserInvitation,
    Participant,
    ParticipantClaim,
    User,
)
from salon.models.base import utcnow
from salon.services import DomainError
from salon.services.mail import queue_email


def entry_address(participant: Participant) -> str:
    """Return the address the organisers gave for the entry (its contact, else a listed person), or ""."""
    candidates = [participant.organisation.contact_email, *(a.email for a in participant.attendees)]
    return next((c.strip().lower() for c in candidates if c and "@" in c), "")


def has_account(participant: Participant) -> bool:
    """Say whether an account acts for the participant's organisation."""
    query = select(OrganisationMember.id).where(
        OrganisationMember.organisation_id == participant.organisation_id
    )
    return db.session.scalar(query.limit(1)) is not None


def tie_account(participant: Participant, user: User) -> None:
    """Make the account act for the participant: member of its organisation, linked to its person."""
    org = participant.organisation
    if not any(m.user_id == user.id for m in org.members):
        role = "member" if org.members else "admin"
        db.session.add(OrganisationMember(organisation=org, user=user, role=role))
    person = next((a for a in participant.attendees if a.user_id == user.id), None)
    person = person or next(
        (a for a in participant.attendees if a.user_id is None and (a.email or "").lower() == user.email),
        None,
    )
    if person is not None:
        person.user_id = user.id
    elif not participant.attendees:
        participant.attendees.append(
            Attendee(
                full_name=user.full_name or user.email, email=user.email, phone=user.phone, user_id=user.id
            )
        )
    now = utcnow()
    for invitation in _open_invitations(participant, user.email):
        invitation.accepted_at = now
    for claim in _waiting_claims(participant, user):
        claim.status, claim.decided_at = "approved", now
    db.session.flush()


def _open_invitations(participant: Participant, email: str) -> list[OrganiserInvitation]:
    query = select(OrganiserInvitation).where(
        OrganiserInvitation.participant_id == participant.id,
        OrganiserInvitation.email == email,
        OrganiserInvitation.accepted_at.is_(None),
        OrganiserInvitation.revoked_at.is_(None),
    )
    return list(db.session.scalars(query))


def _waiting_claims(participant: Participant, user: User) -> list[ParticipantClaim]:
    query = select(ParticipantClaim).where(
        ParticipantClaim.participant_id == participant.id,
        ParticipantClaim.user_id == user.id,
        ParticipantClaim.status == "waiting",
    )
    return list(db.session.scalars(query))


def entries_matching(
    fair: Fair, email: str, siret: str | None
) -> tuple[list[Participant], list[Participant]]:
    """Return the fair's entries whose address is `email`, and (only if none) those with that SIRET."""
    address = email.strip().lower()
    people = select(Attendee.participant_id).where(func.lower(Attendee.email) == address)
    by_address = db.session.scalars(
        select(Participant)
        .join(Organisation)
        .where(
            Participant.fair_id == fair.id,
            Participant.status != "refused",
            or_(func.lower(Organisation.contact_email) == address, Participant.id.in_(people)),
        )
        .order_by(Participant.id)
    ).all()
    if by_address or not siret:
        return list(by_address), []
    by_siret = db.session.scalars(
        select(Participant)
        .join(Organisation)
        .where(Participant.fair_id == fair.id, Participant.status != "refused", Organisation.siret == siret)
        .order_by(Participant.id)
    ).all()
    return [], list(by_siret)


def claim_entries(user: User, fair: Fair, siret: str | None) -> list[ParticipantClaim]:
    """Record the account's claims on the fair's entries matching its address or SIRET (none: []).

    Entries it acts for already, or claims already waiting, are left out.
    """
    by_address, by_siret = entries_matching(fair, user.email, siret)
    mine = set(
        db.session.scalars(
            select(OrganisationMember.organisation_id).where(OrganisationMember.user_id == user.id)
        )
    )
    waiting = {c.participant_id for c in claims_of(user)}
    claims = [
        ParticipantClaim(fair_id=fair.id, participant=p, user=user, via=via)
        for via, found in (("address", by_address), ("siret", by_siret))
        for p in found
        if p.organisation_id not in mine and p.id not in waiting
    ]
    db.session.add_all(claims)
    db.session.flush()
    if user.email_confirmed_at is not None:
        address_confirmed(user)
    return claims


def address_confirmed(user: User) -> list[Participant]:
    """Tie the account to the entries it claimed by address, now that the address is confirmed."""
    claims = db.session.scalars(
        select(ParticipantClaim).where(
            ParticipantClaim.user_id == user.id,
            ParticipantClaim.via == "address",
            ParticipantClaim.status == "waiting",
        )
    ).all()
    for claim in claims:
        tie_account(claim.participant, user)
    return [c.participant for c in claims]


def claims_to_decide(fair: Fair) -> list[ParticipantClaim]:
    """Return the fair's claims by SIRET waiting for an organiser (confirmed addresses only), oldest first."""
    query = (
        select(ParticipantClaim)
        .join(User, User.id == ParticipantClaim.user_id)
        .options(joinedload(ParticipantClaim.user), joinedload(ParticipantClaim.participant))
        .where(
            ParticipantClaim.fair_id == fair.id,
            ParticipantClaim.via == "siret",
            ParticipantClaim.status == "waiting",
            User.email_confirmed_at.is_not(None),
        )
        .order_by(ParticipantClaim.id)
    )
    return list(db.session.scalars(query))


def decide_claim(fair: Fair, by: User, claim: ParticipantClaim, approve: bool) -> None:
    """Approve (the account acts for the entry) or refuse a claim waiting for the organisers."""
    if claim.fair_id != fair.id or claim.status != "waiting" or claim.via != "siret":
        raise DomainError(_("This request is no longer waiting."), "claim")
    if claim.user.email_confirmed_at is None:
        raise DomainError(_("This person has not confirmed their e-mail address yet."), "claim")
    if approve:
        tie_account(claim.participant, claim.user)
    else:
        claim.status, claim.decided_at = "refused", utcnow()
    claim.decided_by_id = by.id
    db.session.flush()
    _tell_decision(fair, claim, approve)


def _tell_decision(fair: Fair, claim: ParticipantClaim, approve: bool) -> None:
    """Queue the e-mail that tells the person the organisers' decision, in the fair's language."""
    base = current_app.config["SALON_BASE_URL"].rstrip("/")
    link = f"{base}/p/{claim.participant_id}/profile" if approve else f"{base}/fairs/{fair.slug}/register"
    organisation = claim.participant.organisation
    with force_locale(fair.language or "fr"):
        context = {"fair": fair, "organisation": organisation, "approve": approve, "link": link}
        if approve:
            subject = _("%(fair)s: you now act for %(name)s", fair=fair.name, name=organisation.name)
        else:
            subject = _("%(fair)s: your request was not accepted", fair=fair.name)
        queue_email(
            to=claim.user.email,
            subject=subject,
            body_text=render_template("mail/claim_decided.txt", **context),
            body_html=render_template("mail/claim_decided.html", **context),
            kind="claim_decided",
            fair=fair,
        )


def claims_of(user: User) -> list[ParticipantClaim]:
    """Return the account's claims still waiting, with their fair and organisation."""
    query = (
        select(ParticipantClaim)
        .options(joinedload(ParticipantClaim.participant).joinedload(Participant.organisation))
        .where(ParticipantClaim.user_id == user.id, ParticipantClaim.status == "waiting")
        .order_by(ParticipantClaim.id)
    )
    return list(db.session.scalars(query))
