"""The organiser's hand on participants: approve or refuse, add or edit, constraints, mandatory meetings."""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from salon.extensions import db
from salon.models import (
    Attendee,
    Fair,
    FairSession,
    MandatoryMeeting,
    MeetingTable,
    Organisation,
    Participant,
    Slot,
)
from salon.models.participant import SIDES
from salon.services import DomainError, NotAllowed
from salon.services.profiles import check_siret, refresh_search_text
from salon.services.registration_decisions import tell_registration_decision
from salon.text import fold

ORG_FIELDS = (
    "name",
    "siret",
    "city",
    "postcode",
    "contact_email",
    "contact_phone",
    "buyer_kind",
    "structure_types",
    "sectors",
    "offer",
    "needs",
    "website",
)


def participant_of_fair_or_none(fair: Fair, participant_id: int) -> Participant | None:
    """Return the participant if it belongs to the fair."""
    p = db.session.get(Participant, participant_id)
    return p if p is not None and p.fair_id == fair.id else None


def list_participants(fair: Fair, side: str | None = None, status: str | None = None) -> list[Participant]:
    """Return the fair's participants, filtered, by organisation name ("Œuvre" with the Os)."""
    query = select(Participant).join(Organisation).where(Participant.fair_id == fair.id)
    if side:
        query = query.where(Participant.side == side)
    if status:
        query = query.where(Participant.status == status)
    rows = db.session.scalars(query.order_by(Organisation.name, Participant.id))
    return sorted(rows, key=lambda p: fold(p.organisation.name))  # the database sorts "É" and "Œ" after "Z"


def set_status(participant: Participant, status: str) -> None:
    """Approve or refuse a registration (or put it back to pending)."""
    if status not in ("pending", "approved", "refused"):
        raise DomainError(_("Unknown status."), "status")
    if participant.fair.phase == "closed":
        raise NotAllowed(_("The fair is closed."), "phase")
    previous, participant.status = participant.status, status
    db.session.flush()
    tell_registration_decision(participant, previous)


def check_email(value: str, field: str = "contact_email") -> str:
    """Return a normalised e-mail address or refuse it."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise DomainError(_("Enter a valid e-mail address."), field) from None


def _apply_org(org: Organisation, data: dict[str, Any]) -> None:
    """Copy the organisation fields, validated."""
    if not (data.get("name") or "").strip():
        raise DomainError(_("Enter the name of the organisation."), "name")
    if data.get("contact_email"):
        data["contact_email"] = check_email(data["contact_email"])
    data["siret"] = check_siret(data.get("siret"))
    for key in ORG_FIELDS:
        if key in data:
            value = data[key]
            setattr(org, key, value.strip() if isinstance(value, str) and key != "siret" else value)
    refresh_search_text(org)


def create_participant(
    fair: Fair,
    side: str,
    data: dict[str, Any],
    contact_name: str = "",
    status: str = "approved",
    organisation: Organisation | None = None,
    flush: bool = True,
) -> Participant:
    """Add a participant: a new organisation (or a known one), its contact person, approved by default.

    An import of thousands of rows passes flush=False and flushes once: a flush per row costs quadratic time.
    """
    if side not in SIDES:
        raise DomainError(_("Choose buyer or supplier."), "side")
    if fair.phase == "closed":
        raise NotAllowed(_("The fair is closed."), "phase")
    org = organisation if organisation is not None else Organisation(kind=side, name="")
    _apply_org(org, dict(data))
    db.session.add(org)
    participant = Participant(fair=fair, organisation=org, side=side, status=status)
    db.session.add(participant)
    if contact_name.strip() or org.contact_email:
        participant.attendees.append(
            Attendee(
                full_name=contact_name.strip() or org.name, email=org.contact_email, phone=org.contact_phone
            )
        )
    if flush:
        db.session.flush()
    return participant


def add_participant(fair: Fair, side: str, data: dict[str, Any], contact_name: str = "") -> Participant:
    """Add one participant by hand; refuse one already at the fair (same SIRET and side, or same e-mail)."""
    participant = create_participant(fair, side, data, contact_name)
    org, same = participant.organisation, []
    if org.siret:
        same.append(and_(Organisation.siret == org.siret, Participant.side == side))
    if org.contact_email:
        same.append(func.lower(Organisation.contact_email) == org.contact_email.lower())
    query = (
        select(Participant)
        .join(Participant.organisation)
        .where(Participant.fair_id == fair.id, Participant.id != participant.id, or_(*same))
    )
    twin = db.session.scalars(query.limit(1)).first() if same else None
    if twin is None:
        return participant
    # As an import refuses it: two entries for one organisation would get two agendas.
    if org.siret and twin.organisation.siret == org.siret:
        raise DomainError(
            _("%(name)s is already at this fair with this SIRET.", name=twin.organisation.name), "siret"
        )
    message = _("%(name)s is already at this fair with this e-mail address.", name=twin.organisation.name)
    raise DomainError(message, "contact_email")


def update_participant(participant: Participant, data: dict[str, Any], note: str | None = None) -> None:
    """Edit a participant's organisation fields and the organiser's private note."""
    merged = {k: getattr(participant.organisation, k) for k in ORG_FIELDS} | dict(data)
    _apply_org(participant.organisation, merged)
    if note is not None:
        participant.note = note.strip()[:500]
    db.session.flush()


def set_constraints(
    participant: Participant,
    min_meetings: int,
    max_meetings: int | None,
    home_table_id: int | None,
    unavailable_slot_ids: list[int],
) -> None:
    """Set min/max meetings, home table and unavailable slots (all of this fair)."""
    if min_meetings < 0 or (max_meetings is not None and max_meetings < min_meetings):
        raise DomainError(
            _("The maximum must be at least the minimum (and both at least 0)."), "max_meetings"
        )
    if home_table_id is not None:
        table = db.session.get(MeetingTable, home_table_id)
        if table is None or table.fair_id != participant.fair_id:
            raise DomainError(_("Unknown table."), "home_table_id")
    slots = [db.session.get(Slot, i) for i in unavailable_slot_ids]
    if any(s is None or s.fair_id != participant.fair_id for s in slots):
        raise DomainError(_("Unknown slot."), "unavailable")
    participant.min_meetings, participant.max_meetings = min_meetings, max_meetings
    participant.home_table_id = home_table_id
    participant.unavailable_slots = sorted(slots, key=lambda s: s.starts_at)
    db.session.flush()


def add_mandatory_meeting(
    fair: Fair,
    a: Participant,
    b: Participant,
    session_id: int | None = None,
    slot_id: int | None = None,
    second: bool = False,
) -> MandatoryMeeting:
    """Make a pair meet, optionally in a given session or slot; a second meeting only when asked."""
    if a.fair_id != fair.id or b.fair_id != fair.id or a.id == b.id:
        raise DomainError(_("Choose two different participants of this fair."), "participant_b")
    if session_id is not None:
        session = db.session.get(FairSession, session_id)
        if session is None or session.fair_id != fair.id:
            raise DomainError(_("Unknown session."), "session_id")
    if slot_id is not None:
        slot = db.session.get(Slot, slot_id)
        if slot is None or slot.fair_id != fair.id:
            raise DomainError(_("Unknown slot."), "slot_id")
        if session_id is not None and slot.session_id != session_id:
            raise DomainError(_("The slot is not in that session."), "slot_id")
    if not second:
        _check_not_forced_yet(fair, a, b)
    mm = MandatoryMeeting(
        fair_id=fair.id, participant_a_id=a.id, participant_b_id=b.id, session_id=session_id, slot_id=slot_id
    )
    db.session.add(mm)
    db.session.flush()
    return mm


def _check_not_forced_yet(fair: Fair, a: Participant, b: Participant) -> None:
    """Refuse a pair that has a mandatory meeting already (each row is one more meeting for the solver)."""
    pair = {a.id, b.id}
    if any({m.participant_a_id, m.participant_b_id} == pair for m in mandatory_meetings(fair)):
        raise DomainError(
            _(
                "%(a)s and %(b)s have a mandatory meeting already. To have them meet a second time, "
                "tick the box for a second meeting.",
                a=a.organisation.name,
                b=b.organisation.name,
            ),
            "participant_b",
        )


def mandatory_meetings(fair: Fair) -> list[MandatoryMeeting]:
    """Return the fair's mandatory meetings."""
    return list(
        db.session.scalars(
            select(MandatoryMeeting).where(MandatoryMeeting.fair_id == fair.id).order_by(MandatoryMeeting.id)
        )
    )


def remove_mandatory_meeting(fair: Fair, mandatory_id: int) -> None:
    """Delete a mandatory meeting of this fair."""
    mm = db.session.get(MandatoryMeeting, mandatory_id)
    if mm is None or mm.fair_id != fair.id:
        raise DomainError(_("Unknown mandatory meeting."), "mandatory")
    db.session.delete(mm)
    db.session.flush()
