"""Invite the people of entries the organisers made (imported or added by hand) to set a password.

The invitations are those of salon.services.invitations (same table, signed link, 14 days, single use,
resend and revoke); this module picks whom to invite and says where each entry stands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from salon.extensions import db
from salon.models import (
    Fair,
    Organisation,
    OrganisationMember,
    OrganiserInvitation,
    Participant,
    ParticipantClaim,
    User,
)
from salon.models.base import utcnow
from salon.services import DomainError, invitations
from salon.services.participant_access import claims_to_decide, entry_address


@dataclass
class AccessState:
    """Where an entry stands: joined, invited (maybe expired), not invited, or without an address."""

    code: str  # "joined" | "invited" | "expired" | "not_invited" | "no_address"
    invitation: OrganiserInvitation | None = None
    since: datetime | None = None  # invited on / joined on
    via: str = ""  # how it joined: "invitation" | "address" | "siret" | "" (registered itself)


@dataclass
class InviteReport:
    """What one invitation round did."""

    sent: int = 0
    resent: int = 0
    joined: int = 0  # skipped: an account acts for them already
    no_address: int = 0
    waiting: int = 0  # skipped: invited already, not expired ("everyone" only)
    names: list[str] = field(default_factory=list)


def _open_invitation(participant: Participant) -> OrganiserInvitation | None:
    query = select(OrganiserInvitation).where(
        OrganiserInvitation.participant_id == participant.id,
        OrganiserInvitation.accepted_at.is_(None),
        OrganiserInvitation.revoked_at.is_(None),
    )
    return db.session.scalar(query)


def invite_participant(fair: Fair, by: User, participant: Participant) -> tuple[OrganiserInvitation, bool]:
    """Invite (or invite again) the entry's address; return the invitation and whether it was resent."""
    if participant.fair_id != fair.id:
        raise DomainError(_("Choose a participant of this fair."), "participant")
    if _members(participant):
        raise DomainError(_("An account acts for this participant already."), "participant")
    address = entry_address(participant)
    if not address:
        raise DomainError(_("This participant has no e-mail address: add one first."), "participant")
    current = _open_invitation(participant)
    if current is not None and current.email == address:
        invitations.renew(current)
        return current, True
    if current is not None:  # the address changed since: the old link must stop working
        current.revoked_at = utcnow()
        db.session.flush()
    invitation = OrganiserInvitation(
        fair=fair, participant=participant, email=address, role="participant", invited_by=by
    )
    db.session.add(invitation)
    invitations.renew(invitation)
    return invitation, False


def invite_many(fair: Fair, by: User, participants: list[Participant], everyone: bool) -> InviteReport:
    """Invite several entries; `everyone` leaves out those whose invitation is still valid."""
    report = InviteReport()
    states = access_states(fair)
    for participant in participants:
        state = states[participant.id]
        if state.code == "joined":
            report.joined += 1
        elif state.code == "no_address":
            report.no_address += 1
        elif everyone and state.code == "invited":
            report.waiting += 1
        else:
            _invitation, resent = invite_participant(fair, by, participant)
            report.resent += resent
            report.sent += not resent
            report.names.append(participant.organisation.name)
    return report


def _members(participant: Participant) -> list[OrganisationMember]:
    return list(participant.organisation.members)


def access_states(fair: Fair) -> dict[int, AccessState]:
    """Return, per participant of the fair, whether an account acts for it or where its invitation is."""
    participants = db.session.scalars(
        select(Participant)
        .where(Participant.fair_id == fair.id)
        .options(
            selectinload(Participant.organisation).selectinload(Organisation.members),
            selectinload(Participant.attendees),
        )
    ).all()
    rows = db.session.scalars(
        select(OrganiserInvitation)
        .where(OrganiserInvitation.fair_id == fair.id, OrganiserInvitation.participant_id.is_not(None))
        .order_by(OrganiserInvitation.id)
    ).all()
    latest = {i.participant_id: i for i in rows if i.revoked_at is None}  # the last one wins
    claims = db.session.scalars(
        select(ParticipantClaim)
        .where(ParticipantClaim.fair_id == fair.id, ParticipantClaim.status == "approved")
        .order_by(ParticipantClaim.id)
    ).all()
    claimed = {c.participant_id: c for c in claims}
    now = utcnow()
    states = {}
    for p in participants:
        invitation = latest.get(p.id)
        if _members(p):
            if invitation is not None and invitation.accepted_at is not None:
                states[p.id] = AccessState("joined", invitation, invitation.accepted_at, "invitation")
            elif p.id in claimed:
                claim = claimed[p.id]
                states[p.id] = AccessState("joined", None, claim.decided_at, claim.via)
            else:
                states[p.id] = AccessState("joined")
        elif invitation is not None and invitation.accepted_at is None:
            code = "invited" if invitation.expires_at > now else "expired"
            states[p.id] = AccessState(code, invitation, invitation.sent_at or invitation.created_at)
        else:
            states[p.id] = AccessState("not_invited" if entry_address(p) else "no_address")
    return states


def access_summary(fair: Fair) -> dict[str, int]:
    """Count the fair's entries per account state, those that joined by registering, and requests waiting."""
    summary = dict.fromkeys(
        ("joined", "invited", "expired", "not_invited", "no_address", "claimed", "to_decide"), 0
    )
    for state in access_states(fair).values():
        summary[state.code] += 1
        summary["claimed"] += state.via in ("address", "siret")
    summary["to_decide"] = len(claims_to_decide(fair))
    return summary
