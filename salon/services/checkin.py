"""Check-in at the desk: signed badge tokens, one check-in per person, name search, presence."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature
from sqlalchemy import select

from salon import keys
from salon.extensions import db
from salon.models import Attendee, Fair, Organisation, Participant
from salon.models.base import utcnow
from salon.services import DomainError, NotAllowed
from salon.services.dayof_window import check_organiser_window
from salon.text import fold

SALT = "salon-checkin"


def make_checkin_token(attendee: Attendee) -> str:
    """Return the signed token printed on the attendee's badge (attendee id + fair id)."""
    return keys.serializer(SALT).dumps({"a": attendee.id, "f": attendee.participant.fair_id})


def checkin_url(attendee: Attendee) -> str:
    """Return the desk URL a scanned badge opens."""
    base = current_app.config.get("SALON_BASE_URL", "").rstrip("/")
    fair_id = attendee.participant.fair_id
    return f"{base}/orga/fairs/{fair_id}/checkin/t/{make_checkin_token(attendee)}"


def attendee_from_token(fair: Fair, token: str) -> Attendee:
    """Return the attendee a badge token names; refuse a forged token or another fair's badge."""
    token = token.strip().rsplit("/", 1)[-1]  # a scanned full URL works as well as the bare token
    try:
        data = keys.serializer(SALT).loads(token)
    except BadSignature:
        raise DomainError(_("This badge code is not valid."), "token") from None
    if not isinstance(data, dict) or data.get("f") != fair.id:
        raise DomainError(_("This badge belongs to another fair."), "token")
    attendee = attendee_of_fair_or_none(fair, data.get("a"))
    if attendee is None:
        raise DomainError(_("This person is no longer registered."), "token")
    return attendee


def attendee_of_fair_or_none(fair: Fair, attendee_id: object) -> Attendee | None:
    """Return the fair's attendee with this id, or None (another fair's attendee is None too)."""
    if not isinstance(attendee_id, int):
        return None
    return db.session.scalar(
        select(Attendee).join(Participant).where(Attendee.id == attendee_id, Participant.fair_id == fair.id)
    )


def check_in(attendee: Attendee, now: datetime | None = None) -> Attendee:
    """Mark the attendee arrived (from the fair's first day to a week after); a second check-in is refused."""
    check_organiser_window(attendee.participant.fair, now)
    if attendee.checked_in_at is not None:
        raise NotAllowed(_("%(name)s is already checked in.", name=attendee.full_name), "token")
    if attendee.participant.status != "approved":
        raise NotAllowed(_("This participant's registration is not approved."), "token")
    attendee.checked_in_at = now or utcnow()
    db.session.flush()
    return attendee


def undo_check_in(attendee: Attendee, now: datetime | None = None) -> Attendee:
    """Cancel a check-in made by mistake (within the organisers' day-of window)."""
    check_organiser_window(attendee.participant.fair, now)
    attendee.checked_in_at = None
    db.session.flush()
    return attendee


def search_attendees(fair: Fair, query: str, limit: int = 20) -> list[Attendee]:
    """Return the fair's attendees whose name or organisation matches every word of the query."""
    words = fold(query).split()
    if not words:
        return []
    rows = db.session.execute(
        select(Attendee, Organisation.name)
        .join(Participant, Attendee.participant_id == Participant.id)
        .join(Organisation, Participant.organisation_id == Organisation.id)
        .where(Participant.fair_id == fair.id)
        .order_by(Attendee.full_name)
    ).all()
    found = [a for a, org in rows if all(w in fold(f"{a.full_name} {org}") for w in words)]
    return found[:limit]


def attendees_of_fair(fair: Fair) -> list[Attendee]:
    """Return every attendee of the fair's approved participants, alphabetically ("Élodie" with E)."""
    rows = db.session.scalars(
        select(Attendee)
        .join(Participant)
        .where(Participant.fair_id == fair.id, Participant.status == "approved")
        .order_by(Attendee.full_name)
    )
    return sorted(rows, key=lambda a: fold(a.full_name))


def present_participant_ids(fair: Fair) -> set[int]:
    """Return the ids of the fair's participants with at least one person checked in."""
    return set(
        db.session.scalars(
            select(Participant.id)
            .join(Attendee)
            .where(Participant.fair_id == fair.id, Attendee.checked_in_at.is_not(None))
        )
    )
