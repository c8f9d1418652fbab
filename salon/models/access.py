"""Who acts for a participant: claims on an organisation's entry, and the log of changes made for it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, false, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from salon.extensions import db
from salon.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from salon.models.accounts import User
    from salon.models.participant import Participant

CLAIM_VIA = ("address", "siret")
CLAIM_STATUSES = ("waiting", "approved", "refused")
CHANGE_KINDS = ("wish", "availability", "profile")


class ParticipantClaim(db.Model):
    """An account registering for an entry already at the fair (imported, or added by the organisers).

    Found by the address: it waits for the address to be confirmed. Found by the SIRET alone (public):
    it waits for an organiser's approval.
    """

    __tablename__ = "participant_claims"
    __table_args__ = (
        CheckConstraint("via IN ('address', 'siret')", name="via_known"),
        CheckConstraint("status IN ('waiting', 'approved', 'refused')", name="status_known"),
        Index(
            "uq_participant_claims_waiting",
            "participant_id",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'waiting'"),
            postgresql_where=text("status = 'waiting'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    via: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    participant: Mapped[Participant] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class ParticipantChange(db.Model):
    """One change to a participant's wishes, availability or profile, and who made it."""

    __tablename__ = "participant_changes"
    __table_args__ = (CheckConstraint("kind IN ('wish', 'availability', 'profile')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    by_organiser: Mapped[bool] = mapped_column(default=False, server_default=false())
    kind: Mapped[str] = mapped_column(String(20))
    # What changed, as codes rendered in the reader's language: {"target": 12, "choice": "3"}
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())

    user: Mapped[User | None] = relationship()
