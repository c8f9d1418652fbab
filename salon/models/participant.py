"""Participants (an organisation at a fair), the people they send, their constraints and wishes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from salon.extensions import db
from salon.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from salon.models.fair import Fair, FairSession, MeetingTable, Slot
    from salon.models.organisation import Organisation

SIDES = ("buyer", "supplier")
STATUSES = ("pending", "approved", "refused")

unavailabilities = Table(
    "unavailabilities",
    db.metadata,
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("slot_id", Integer, ForeignKey("slots.id", ondelete="CASCADE"), primary_key=True),
)


class Participant(db.Model):
    __tablename__ = "participants"
    __table_args__ = (
        CheckConstraint("side IN ('buyer', 'supplier')", name="side_known"),
        CheckConstraint("status IN ('pending', 'approved', 'refused')", name="status_known"),
        CheckConstraint("min_meetings >= 0", name="min_meetings_nonnegative"),
        CheckConstraint(
            "max_meetings IS NULL OR max_meetings >= min_meetings", name="max_meetings_above_min"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    min_meetings: Mapped[int] = mapped_column(default=0)
    max_meetings: Mapped[int | None] = mapped_column()
    home_table_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_tables.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(500), default="")  # organiser's private note
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())

    fair: Mapped[Fair] = relationship()
    organisation: Mapped[Organisation] = relationship()
    home_table: Mapped[MeetingTable | None] = relationship()
    attendees: Mapped[list[Attendee]] = relationship(
        back_populates="participant", cascade="all, delete-orphan"
    )
    unavailable_slots: Mapped[list[Slot]] = relationship(secondary=unavailabilities)

    @property
    def key(self) -> str:
        """Return the participant id used in solver instances."""
        return f"p{self.id}"

    def __repr__(self) -> str:
        return f"<Participant {self.id} {self.side} fair={self.fair_id}>"


class Attendee(db.Model):
    """A person an organisation sends to the fair."""

    __tablename__ = "attendees"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    full_name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    participant: Mapped[Participant] = relationship(back_populates="attendees")


class Wish(db.Model):
    """A wish of `source` to meet `target` (priority 3, 2, 1), or a veto."""

    __tablename__ = "wishes"
    __table_args__ = (
        UniqueConstraint("source_id", "target_id"),
        CheckConstraint("source_id <> target_id", name="not_self"),
        CheckConstraint(
            "(veto AND priority IS NULL) OR (NOT veto AND priority IS NOT NULL AND priority BETWEEN 1 AND 3)",
            name="priority_or_veto",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    priority: Mapped[int | None] = mapped_column()  # 3 incontournable, 2 souhaité, 1 si possible
    veto: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Who set it last; by_organiser stays true when that account is gone ("ajouté par l'organisation").
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    by_organiser: Mapped[bool] = mapped_column(default=False, server_default=false())

    source: Mapped[Participant] = relationship(foreign_keys=[source_id])
    target: Mapped[Participant] = relationship(foreign_keys=[target_id])


class MandatoryMeeting(db.Model):
    """A pair the organiser wants to meet, optionally in a given session or slot."""

    __tablename__ = "mandatory_meetings"
    __table_args__ = (CheckConstraint("participant_a_id <> participant_b_id", name="two_participants"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    participant_a_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    participant_b_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("fair_sessions.id", ondelete="SET NULL"))
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("slots.id", ondelete="SET NULL"))

    participant_a: Mapped[Participant] = relationship(foreign_keys=[participant_a_id])
    participant_b: Mapped[Participant] = relationship(foreign_keys=[participant_b_id])
    session: Mapped[FairSession | None] = relationship()
    slot: Mapped[Slot | None] = relationship()
