"""The e-mail outbox: messages written with the change they report, drained by the sender."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from salon.extensions import db
from salon.models.base import UTCDateTime, utcnow

OUTBOX_STATUSES = ("pending", "sent", "failed")


def new_message_id() -> str:
    """Return a fresh RFC 5322 Message-ID (without angle brackets)."""
    return f"{uuid.uuid4()}@salon"


class OutboxMessage(db.Model):
    """One e-mail to send; never deleted, so nothing is lost (at-least-once, idempotent Message-ID)."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status_known"),
        CheckConstraint("attempts >= 0", name="attempts_nonnegative"),
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Sentinel: many messages are inserted in one batch (see Meeting.uid).
    message_id: Mapped[str] = mapped_column(
        String(120), unique=True, default=new_message_id, insert_sentinel=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # [{filename, content_type, text | base64}]
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(40), default="")
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fairs.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set while a sender holds the message; a stale claim is taken over after a timeout.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"


class NotificationIntent(db.Model):
    """One e-mail about meetings still to be written into the outbox: who gets it, about what, as it was.

    Written in the transaction of the change it reports (compact: no text rendered yet), so the change and
    its notices commit or vanish together. The renderer (salon/services/notice_rendering.py) turns intents
    into outbox messages and deletes them in one transaction: a rendering that dies leaves the intents to
    be rendered again, never a message twice. `state` holds the meetings as the notice states them
    ([id, sequence, slot_id, table_id, status, updated_at], and where a moved meeting was), because a
    meeting may change again before the notice is rendered.
    """

    __tablename__ = "notification_intents"

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # agenda_published | meeting_changed | meeting_cancelled
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())

    def __repr__(self) -> str:
        return f"<NotificationIntent {self.id} {self.kind} {self.to_address}>"
