"""On the day and after: meeting outcomes, legal pages, reminders sent, figures kept after a purge."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from salon.extensions import db
from salon.models.base import UTCDateTime, utcnow
from salon.models.meeting import Meeting

OUTCOMES = ("no_follow_up", "follow_up_planned", "quote_requested", "contract_signed")
LEGAL_KINDS = ("legal_notice", "privacy", "accessibility")


class MeetingOutcome(db.Model):
    """What one participant says a held meeting produced."""

    __tablename__ = "meeting_outcomes"
    __table_args__ = (
        UniqueConstraint("meeting_id", "participant_id"),
        CheckConstraint(
            "outcome IN ('no_follow_up', 'follow_up_planned', 'quote_requested', 'contract_signed')",
            name="outcome_known",
        ),
        CheckConstraint("amount_eur IS NULL OR amount_eur >= 0", name="amount_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    amount_eur: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship()


class LegalPage(db.Model):
    """A fair's legal notice, privacy policy or accessibility statement."""

    __tablename__ = "legal_pages"
    __table_args__ = (
        UniqueConstraint("fair_id", "kind"),
        CheckConstraint("kind IN ('legal_notice', 'privacy', 'accessibility')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ReminderSent(db.Model):
    """A reminder already queued for a recipient: the key makes every reminder go out once."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("fair_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))  # e.g. "wishes_deadline:p12:a5"
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())


class FairAggregate(db.Model):
    """A fair's figures by side, structure type, département and QPV, kept after the purge."""

    __tablename__ = "fair_aggregates"

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), unique=True)
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
