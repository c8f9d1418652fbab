"""A person's own data: export it as JSON, delete the account (meetings cancelled, counterparts told)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select

from salon.extensions import db
from salon.models import (
    Attendee,
    Meeting,
    Organisation,
    OrganisationMember,
    OrganiserInvitation,
    Participant,
    User,
    Wish,
)
from salon.models.base import utcnow
from salon.services import notifications

DELETED_NAME = "Compte supprimé"
_ORG_FIELDS = (
    "name",
    "siret",
    "legal_form",
    "kind",
    "buyer_kind",
    "structure_types",
    "ess_status",
    "sectors",
    "departements",
    "territory",
    "city",
    "postcode",
    "offer",
    "needs",
    "purchases_planned",
    "references",
    "capacity",
    "website",
    "contact_email",
    "contact_phone",
)


def _iso(value) -> str | None:  # noqa: ANN001
    return value.isoformat() if value is not None else None


def _memberships(user: User) -> list[OrganisationMember]:
    return list(db.session.scalars(select(OrganisationMember).where(OrganisationMember.user_id == user.id)))


def _participants(org: Organisation) -> list[Participant]:
    return list(db.session.scalars(select(Participant).where(Participant.organisation_id == org.id)))


def _meetings(participant: Participant) -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting).where(
                or_(Meeting.participant_a_id == participant.id, Meeting.participant_b_id == participant.id)
            )
        )
    )


def _export_participant(p: Participant) -> dict[str, Any]:
    wishes = db.session.scalars(select(Wish).where(Wish.source_id == p.id)).all()
    return {
        "fair": p.fair.name,
        "side": p.side,
        "status": p.status,
        "attendees": [
            {"full_name": a.full_name, "job_title": a.job_title, "email": a.email, "phone": a.phone}
            for a in p.attendees
        ],
        "unavailable_slots": [_iso(s.starts_at) for s in p.unavailable_slots],
        "wishes": [
            {"target": w.target.organisation.name, "priority": w.priority, "veto": w.veto} for w in wishes
        ],
        "meetings": [
            {
                "starts_at": _iso(m.slot.starts_at),
                "table": m.table.name,
                "status": m.status,
                "counterpart": db.session.get(Participant, m.other(p.id)).organisation.name,
            }
            for m in _meetings(p)
        ],
    }


def export_own_data(user: User) -> dict[str, Any]:
    """Return everything the account holds about its owner and its organisations."""
    organisations = []
    for member in _memberships(user):
        org = member.organisation
        data = {name: getattr(org, name) for name in _ORG_FIELDS}
        data["role"] = member.role
        data["participations"] = [_export_participant(p) for p in _participants(org)]
        organisations.append(data)
    return {
        "format": "salon-own-data/1",
        "exported_at": _iso(utcnow()),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "locale": user.locale,
            "created_at": _iso(user.created_at),
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "consent_at": _iso(user.consent_at),
            "last_login_at": _iso(user.last_login_at),
        },
        "organisations": organisations,
        "organiser_invitations": [_export_invitation(i) for i in _invitations(user)],
    }


def _invitations(user: User) -> list[OrganiserInvitation]:
    """Return the invitations to organise a fair sent to the account's address."""
    query = select(OrganiserInvitation).where(OrganiserInvitation.email == user.email)
    return list(db.session.scalars(query.order_by(OrganiserInvitation.id)))


def _export_invitation(invitation: OrganiserInvitation) -> dict[str, Any]:
    return {
        "fair": invitation.fair.name,
        "role": invitation.role,
        "created_at": _iso(invitation.created_at),
        "expires_at": _iso(invitation.expires_at),
        "accepted_at": _iso(invitation.accepted_at),
        "revoked_at": _iso(invitation.revoked_at),
    }


def cancel_meeting(meeting: Meeting, by_participant_id: int | None = None) -> None:
    """Cancel a published meeting (new SEQUENCE, seats freed) and tell both sides who cancelled it."""
    if not meeting.is_active:
        return
    meeting.status = "cancelled"
    meeting.sequence += 1
    meeting.updated_at = utcnow()
    meeting.seats.clear()
    db.session.flush()
    notifications.meeting_cancelled(meeting, by_participant_id)


def _withdraw(participant: Participant) -> None:
    """Cancel the participant's meetings, drop its wishes; keep the row only if meetings refer to it."""
    meetings = _meetings(participant)
    for meeting in meetings:
        cancel_meeting(meeting, participant.id)
    db.session.execute(
        delete(Wish).where(or_(Wish.source_id == participant.id, Wish.target_id == participant.id))
    )
    participant.unavailable_slots = []
    participant.attendees.clear()
    if meetings:
        participant.status = "refused"  # out of catalogues and schedules; the cancelled meetings stay
        participant.note = ""
    else:
        db.session.delete(participant)
    db.session.flush()


def _erase_organisation(org: Organisation) -> None:
    kept = False
    for participant in _participants(org):
        _withdraw(participant)
        kept = kept or participant in db.session
    if kept:
        for name in _ORG_FIELDS:
            value = getattr(org, name)
            if isinstance(value, list):
                setattr(org, name, [])
            elif name not in ("kind",) and isinstance(value, str):
                setattr(org, name, "")
        org.name, org.siret, org.buyer_kind, org.search_text = DELETED_NAME, None, None, ""
    else:
        db.session.delete(org)


def delete_account(user: User) -> None:
    """Delete the account; organisations it alone acts for lose their wishes, profile and meetings."""
    for member in _memberships(user):
        org = member.organisation
        others = db.session.scalar(
            select(OrganisationMember.id).where(
                OrganisationMember.organisation_id == org.id, OrganisationMember.user_id != user.id
            )
        )
        org.members.remove(member)  # delete-orphan removes the row
        db.session.flush()
        if others is None:
            _erase_organisation(org)
    db.session.execute(delete(Attendee).where(Attendee.user_id == user.id))
    db.session.execute(delete(OrganiserInvitation).where(OrganiserInvitation.email == user.email))
    db.session.delete(user)
    db.session.flush()
