"""Schedule runs with their draft meetings, and the published meetings."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from salon.extensions import db
from salon.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from salon.models.fair import MeetingTable, Slot
    from salon.models.participant import Participant

RUN_STATUSES = ("queued", "running", "done", "failed", "cancelled")
# Why a run was released without its holder finishing it ("" for any other end); labels in run_leases.
RUN_FAILURES = (
    "",
    "lease_expired",
    "job_lost",
    "no_worker",
    "not_queued",
    "worker_killed",
    "stop_unanswered",
)
MEETING_STATUSES = ("scheduled", "held", "no_show", "cancelled")
ACTIVE = "status IN ('scheduled', 'held')"
RUNNING = "status IN ('queued', 'running')"


class ScheduleRun(db.Model):
    """One solve of a fair: its inputs' summary, progress and result (a draft)."""

    __tablename__ = "schedule_runs"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name="status_known"
        ),
        CheckConstraint(
            "failure IN (" + ", ".join(f"'{code}'" for code in RUN_FAILURES) + ")", name="failure_known"
        ),
        # One solve per fair at a time, held by the database, not only by the view.
        Index(
            "uq_schedule_runs_one_running_per_fair",
            "fair_id",
            unique=True,
            sqlite_where=text(RUNNING),
            postgresql_where=text(RUNNING),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default="queued")
    solver_status: Mapped[str | None] = mapped_column(String(12))  # optimal|feasible|infeasible|unknown
    time_limit: Mapped[float] = mapped_column(default=30.0)
    objective: Mapped[dict] = mapped_column(JSON, default=dict)
    bounds: Mapped[dict] = mapped_column(JSON, default=dict)
    stats: Mapped[dict] = mapped_column(JSON, default=dict)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    progress: Mapped[dict] = mapped_column(JSON, default=dict)  # latest {stage, value, bound, elapsed}
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    # When a stop was asked that the holder has not answered yet (its answer clears it).
    stop_pending_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    job_id: Mapped[str | None] = mapped_column(String(64))
    # The holder's lease: written every few seconds by a thread of the process that holds the run
    # (queued in a web process's pool, or solving); a stale one means that process is gone.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str] = mapped_column(Text, default="")
    failure: Mapped[str] = mapped_column(String(20), default="", server_default="")  # RUN_FAILURES
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    drafts: Mapped[list[DraftMeeting]] = relationship(back_populates="run", cascade="all, delete-orphan")


class DraftMeeting(db.Model):
    """A meeting proposed by a schedule run; becomes a Meeting when the run is published."""

    __tablename__ = "draft_meetings"
    __table_args__ = (
        CheckConstraint("participant_a_id < participant_b_id", name="ordered_pair"),
        UniqueConstraint("run_id", "participant_a_id", "participant_b_id", "occurrence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("schedule_runs.id", ondelete="CASCADE"), index=True)
    participant_a_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    participant_b_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    occurrence: Mapped[int] = mapped_column(default=0)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id", ondelete="CASCADE"))
    table_id: Mapped[int] = mapped_column(ForeignKey("meeting_tables.id", ondelete="CASCADE"))
    mandatory_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("mandatory_meetings.id", ondelete="SET NULL")
    )
    locked: Mapped[bool] = mapped_column(default=False)

    run: Mapped[ScheduleRun] = relationship(back_populates="drafts")
    participant_a: Mapped[Participant] = relationship(foreign_keys=[participant_a_id])
    participant_b: Mapped[Participant] = relationship(foreign_keys=[participant_b_id])
    slot: Mapped[Slot] = relationship()
    table: Mapped[MeetingTable] = relationship()


class Meeting(db.Model):
    """A published meeting; identity (fair, pair, occurrence) and calendar UID for life."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("participant_a_id < participant_b_id", name="ordered_pair"),
        CheckConstraint("status IN ('scheduled', 'held', 'no_show', 'cancelled')", name="status_known"),
        CheckConstraint("sequence >= 0", name="sequence_nonnegative"),
        UniqueConstraint("fair_id", "participant_a_id", "participant_b_id", "occurrence"),
        UniqueConstraint("id", "slot_id"),  # target of the seats' composite foreign key
        Index(
            "uq_meetings_active_table_slot",
            "slot_id",
            "table_id",
            unique=True,
            sqlite_where=text(ACTIVE),
            postgresql_where=text(ACTIVE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    participant_a_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    participant_b_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    occurrence: Mapped[int] = mapped_column(default=0)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id", ondelete="CASCADE"))
    table_id: Mapped[int] = mapped_column(ForeignKey("meeting_tables.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    locked: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(20), default="solver")  # solver|manual|walk_in|replacement
    mandatory_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("mandatory_meetings.id", ondelete="SET NULL")
    )
    absent_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    # The sentinel lets a publication insert its meetings in one batch on SQLite too (without one,
    # SQLAlchemy inserts row by row to match the returned ids to the rows).
    uid: Mapped[str] = mapped_column(String(120), unique=True, insert_sentinel=True)
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    participant_a: Mapped[Participant] = relationship(foreign_keys=[participant_a_id])
    participant_b: Mapped[Participant] = relationship(foreign_keys=[participant_b_id])
    slot: Mapped[Slot] = relationship()
    table: Mapped[MeetingTable] = relationship()
    seats: Mapped[list[MeetingSeat]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_active(self) -> bool:
        return self.status in ("scheduled", "held")

    def other(self, participant_id: int) -> int:
        """Return the id of the counterpart of `participant_id`."""
        if participant_id == self.participant_a_id:
            return self.participant_b_id
        return self.participant_a_id


class MeetingSeat(db.Model):
    """A participant's place in an active meeting: one per participant and slot, held by the database.

    Seats exist only while their meeting is active; their slot follows the meeting's (ON UPDATE CASCADE).
    """

    __tablename__ = "meeting_seats"
    __table_args__ = (
        UniqueConstraint("participant_id", "slot_id"),
        ForeignKeyConstraint(
            ["meeting_id", "slot_id"],
            ["meetings.id", "meetings.slot_id"],
            ondelete="CASCADE",
            onupdate="CASCADE",
            name="fk_meeting_seats_meeting_slot",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column()

    meeting: Mapped[Meeting] = relationship(back_populates="seats")
