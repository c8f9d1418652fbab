"""The log of changes to a participant's wishes, availability and profile: who made each, and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from salon.extensions import db
from salon.models import Participant, ParticipantChange, User


def record(participant: Participant, by: User | None, by_organiser: bool, kind: str, **detail: Any) -> None:
    """Add one change to the participant's log (in the caller's transaction)."""
    db.session.add(
        ParticipantChange(
            participant_id=participant.id,
            user_id=by.id if by is not None else None,
            by_organiser=by_organiser,
            kind=kind,
            detail=detail,
        )
    )


def history(participant: Participant, limit: int = 50) -> list[ParticipantChange]:
    """Return the participant's latest changes, newest first, with who made them."""
    query = (
        select(ParticipantChange)
        .options(joinedload(ParticipantChange.user))
        .where(ParticipantChange.participant_id == participant.id)
        .order_by(ParticipantChange.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
