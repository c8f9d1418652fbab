"""When a participant cannot meet (slots or whole sessions), and the people it sends."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from salon.extensions import db
from salon.models import Attendee, Participant, Slot, User
from salon.services import DomainError, NotAllowed, participant_changes

EDIT_PHASES = ("draft", "registration", "wishes")
ORGANISER_EDIT_PHASES = (*EDIT_PHASES, "scheduling")  # the organisers, until publication
MAX_ATTENDEES = 10


def availability_open(participant: Participant, by_organiser: bool = False) -> bool:
    """Say whether the availability may still change (participants: until scheduling; organisers: longer)."""
    return participant.fair.phase in (ORGANISER_EDIT_PHASES if by_organiser else EDIT_PHASES)


def closed_reason(participant: Participant) -> str:
    """Say, in words, why a participant can no longer change their availability (by the fair's phase)."""
    phase = participant.fair.phase
    if phase == "scheduling":
        return _("Availability can no longer be changed: the schedule is being prepared.")
    if phase == "published":
        return _(
            "The schedule is published: availability can no longer be changed. If you cannot come to a "
            "meeting, cancel it from your agenda so that the other organisation is told."
        )
    return _("The fair is over: availability can no longer be changed.")


def set_unavailability(
    participant: Participant,
    slot_ids: Iterable[int] = (),
    session_ids: Iterable[int] = (),
    by: User | None = None,
    by_organiser: bool = False,
) -> list[Slot]:
    """Replace the participant's unavailable slots by these slots plus every slot of these sessions."""
    if not availability_open(participant, by_organiser):
        if by_organiser:
            raise NotAllowed(_("The schedule is published: availability can no longer be changed."), "slots")
        raise NotAllowed(closed_reason(participant), "slots")
    fair = participant.fair
    slot_ids, session_ids = set(slot_ids), set(session_ids)
    known_sessions = {s.id for s in fair.sessions}
    if not session_ids <= known_sessions:
        raise DomainError(_("Choose values from the list."), "sessions")
    slots = db.session.scalars(select(Slot).where(Slot.fair_id == fair.id).order_by(Slot.starts_at)).all()
    if not slot_ids <= {s.id for s in slots}:
        raise DomainError(_("Choose values from the list."), "slots")
    chosen = [s for s in slots if s.id in slot_ids or s.session_id in session_ids]
    if slots and len(chosen) == len(slots):
        raise DomainError(_("You must be available for at least one slot."), "slots")
    participant.unavailable_slots = chosen
    participant_changes.record(participant, by, by_organiser, "availability", slots=len(chosen))
    db.session.flush()
    return chosen


def add_attendee(
    participant: Participant, full_name: str, job_title: str = "", email: str = "", phone: str = ""
) -> Attendee:
    """Add a person the organisation sends to the fair."""
    if not full_name.strip():
        raise DomainError(_("Enter the person's name."), "full_name")
    if len(participant.attendees) >= MAX_ATTENDEES:
        raise DomainError(_("At most %(n)d people per organisation.", n=MAX_ATTENDEES), "full_name")
    attendee = Attendee(
        participant=participant,
        full_name=full_name.strip(),
        job_title=job_title.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
    )
    db.session.add(attendee)
    db.session.flush()
    return attendee


def remove_attendee(participant: Participant, attendee_id: int) -> None:
    """Remove a person from the participant's list; keep at least one."""
    attendee = db.session.scalar(
        select(Attendee).where(Attendee.id == attendee_id, Attendee.participant_id == participant.id)
    )
    if attendee is None:
        raise DomainError(_("This person is not on your list."), "attendee")
    if len(participant.attendees) <= 1:
        raise DomainError(_("Keep at least one person on the list."), "attendee")
    participant.attendees.remove(attendee)
    db.session.flush()
