"""Fairs, their sessions, slots and tables, and who organises them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from salon.extensions import db
from salon.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from salon.models.accounts import User
    from salon.models.participant import Participant

PHASES = ("draft", "registration", "wishes", "scheduling", "published", "closed")
INVITATION_OPEN = "accepted_at IS NULL AND revoked_at IS NULL"
INVITATION_ROLES = ("owner", "organiser", "participant")


class Fair(db.Model):
    __tablename__ = "fairs"
    __table_args__ = (
        CheckConstraint(
            "phase IN ('draft', 'registration', 'wishes', 'scheduling', 'published', 'closed')",
            name="phase_known",
        ),
        CheckConstraint("meeting_minutes > 0", name="meeting_minutes_positive"),
        CheckConstraint(
            "supplier_meetings IN ('off', 'home', 'home-or-shared')", name="supplier_meetings_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    venue: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    language: Mapped[str] = mapped_column(String(5), default="fr")
    phase: Mapped[str] = mapped_column(String(20), default="draft")
    registration_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    wishes_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    meeting_minutes: Mapped[int] = mapped_column(default=20)
    pause_minutes: Mapped[int] = mapped_column(default=5)
    max_wishes_buyer: Mapped[int | None] = mapped_column()
    max_wishes_supplier: Mapped[int | None] = mapped_column()
    weight_high: Mapped[int] = mapped_column(default=10)  # incontournable
    weight_mid: Mapped[int] = mapped_column(default=3)  # souhaité
    weight_low: Mapped[int] = mapped_column(default=1)  # si possible
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    participants_can_accept_replacements: Mapped[bool] = mapped_column(default=False)
    retention_days: Mapped[int] = mapped_column(default=365)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Co-contracting: suppliers may also wish to meet each other ("off"); two exhibitors then meet at one of
    # their home tables ("home") or also at a shared table ("home-or-shared"): the instance's away_meetings.
    supplier_meetings: Mapped[str] = mapped_column(String(20), default="off", server_default="off")
    board_key: Mapped[str] = mapped_column(String(32), default="", server_default="")  # renewed to revoke
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())

    sessions: Mapped[list[FairSession]] = relationship(
        back_populates="fair", cascade="all, delete-orphan", order_by="FairSession.starts_at"
    )
    slots: Mapped[list[Slot]] = relationship(
        back_populates="fair", cascade="all, delete-orphan", order_by="Slot.starts_at"
    )
    tables: Mapped[list[MeetingTable]] = relationship(
        back_populates="fair", cascade="all, delete-orphan", order_by="MeetingTable.position"
    )
    organisers: Mapped[list[OrganiserMembership]] = relationship(
        back_populates="fair", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Fair {self.id} {self.slug}>"


class FairSession(db.Model):
    """A half-day (or other) block of consecutive slots; breaks never span two sessions."""

    __tablename__ = "fair_sessions"
    __table_args__ = (
        UniqueConstraint("fair_id", "label"),
        CheckConstraint("starts_at < ends_at", name="ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(40))  # stable key, e.g. "j1-am"
    name: Mapped[str] = mapped_column(String(100))  # shown, e.g. "Jeudi matin"
    day: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())

    fair: Mapped[Fair] = relationship(back_populates="sessions")
    slots: Mapped[list[Slot]] = relationship(back_populates="session", order_by="Slot.starts_at")


class Slot(db.Model):
    __tablename__ = "slots"
    __table_args__ = (
        UniqueConstraint("fair_id", "starts_at"),
        CheckConstraint("starts_at < ends_at", name="ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("fair_sessions.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())

    fair: Mapped[Fair] = relationship(back_populates="slots")
    session: Mapped[FairSession] = relationship(back_populates="slots")

    @property
    def key(self) -> str:
        """Return the slot id used in solver instances."""
        return f"s{self.id}"


class MeetingTable(db.Model):
    __tablename__ = "meeting_tables"
    __table_args__ = (UniqueConstraint("fair_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)

    fair: Mapped[Fair] = relationship(back_populates="tables")


class OrganiserMembership(db.Model):
    __tablename__ = "organiser_memberships"
    __table_args__ = (
        UniqueConstraint("fair_id", "user_id"),
        CheckConstraint("role IN ('owner', 'organiser')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="organiser")

    fair: Mapped[Fair] = relationship(back_populates="organisers")
    user: Mapped[User] = relationship()


class OrganiserInvitation(db.Model):
    """An address the organisers invite to organise the fair, or to act for one of its participants.

    Accepted once, before expiry, by the account using that address. A participant invitation names the
    participant (an imported entry): accepting it makes the account a member of its organisation.
    """

    __tablename__ = "organiser_invitations"
    __table_args__ = (
        CheckConstraint("role IN ('owner', 'organiser', 'participant')", name="role_known"),
        CheckConstraint(
            "(role = 'participant') = (participant_id IS NOT NULL)", name="participant_role_names_participant"
        ),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        # One open invitation per fair and address (per participant for participant invitations):
        # resending renews it rather than adding a second link.
        Index(
            "uq_organiser_invitations_open_per_email",
            "fair_id",
            "email",
            unique=True,
            sqlite_where=text(INVITATION_OPEN + " AND participant_id IS NULL"),
            postgresql_where=text(INVITATION_OPEN + " AND participant_id IS NULL"),
        ),
        Index(
            "uq_organiser_invitations_open_per_participant",
            "participant_id",
            unique=True,
            sqlite_where=text(INVITATION_OPEN + " AND participant_id IS NOT NULL"),
            postgresql_where=text(INVITATION_OPEN + " AND participant_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20), default="organiser")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last (re)sent: shown on the lists
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    fair: Mapped[Fair] = relationship()
    participant: Mapped[Participant | None] = relationship()
    invited_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<OrganiserInvitation {self.id} {self.email}>"
