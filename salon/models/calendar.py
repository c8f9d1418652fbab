"""Calendar subscription feeds: secret URLs, stored only as a hash, revocable."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from salon.extensions import db
from salon.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from salon.models.fair import Fair, MeetingTable
    from salon.models.participant import Participant

FEED_KINDS = ("participant", "table", "fair")


class CalendarFeed(db.Model):
    """A subscription feed: a participant's agenda, a table's or a whole fair's meetings."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        CheckConstraint("kind IN ('participant', 'table', 'fair')", name="kind_known"),
        CheckConstraint(
            "(kind = 'participant' AND participant_id IS NOT NULL)"
            " OR (kind = 'table' AND table_id IS NOT NULL)"
            " OR (kind = 'fair')",
            name="target_present",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the secret token
    kind: Mapped[str] = mapped_column(String(12))
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    table_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_tables.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    fair: Mapped[Fair] = relationship()
    participant: Mapped[Participant | None] = relationship()
    table: Mapped[MeetingTable | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
