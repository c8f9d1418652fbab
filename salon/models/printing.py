"""Printouts built in the background: the request, its progress and the PDF it produced."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, func, text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from salon.extensions import db
from salon.models.base import UTCDateTime, utcnow

DOCUMENTS = ("badges", "agendas", "tables")
BUILD_STATUSES = ("queued", "running", "done", "failed")
BUILDING = "status IN ('queued', 'running')"


class PrintBuild(db.Model):
    """One build of a fair's printout; the PDF is kept in the database or in the shared print folder."""

    __tablename__ = "print_builds"
    __table_args__ = (
        CheckConstraint("document IN ('badges', 'agendas', 'tables')", name="document_known"),
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status_known"),
        CheckConstraint("done >= 0 AND total >= 0", name="progress_nonnegative"),
        # One build of a document at a time per fair, held by the database: a second click joins it.
        Index(
            "uq_print_builds_one_building_per_document",
            "fair_id",
            "document",
            unique=True,
            sqlite_where=text(BUILDING),
            postgresql_where=text(BUILDING),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    document: Mapped[str] = mapped_column(String(12))
    include_empty: Mapped[bool] = mapped_column(default=False)  # agendas of participants without meetings
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    status: Mapped[str] = mapped_column(String(12), default="queued")
    done: Mapped[int] = mapped_column(default=0)  # progress: pages laid out so far ...
    total: Mapped[int] = mapped_column(default=0)  # ... out of this many
    pages: Mapped[int | None] = mapped_column()
    meetings: Mapped[int | None] = mapped_column()
    size: Mapped[int | None] = mapped_column()
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    file_name: Mapped[str | None] = mapped_column(String(100))  # in PRINT_STORAGE_DIR instead of `pdf`
    job_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
