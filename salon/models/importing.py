"""Imports in progress (a read file kept between the steps) and the mapping each fair remembers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, func
from sqlalchemy.orm import Mapped, mapped_column

from salon.extensions import db
from salon.models.base import UTCDateTime, utcnow

SIDE_KNOWN = "side IN ('', 'buyer', 'supplier')"


class ImportUpload(db.Model):
    """A read file between the import steps: in the database, so any web process serves the next step."""

    __tablename__ = "import_uploads"
    __table_args__ = (CheckConstraint(SIDE_KNOWN, name="side_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(200))
    rows: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed JSON: [[row number, [cells]], ...]
    header: Mapped[int] = mapped_column(default=0)  # position of the header row among the rows
    columns: Mapped[list] = mapped_column(JSON, default=list)  # a field per column, "" = ignored
    side: Mapped[str] = mapped_column(String(10), default="")  # every row's side when no column gives it
    values: Mapped[dict] = mapped_column(JSON, default=dict)  # vocabulary -> value key -> codes
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ImportMapping(db.Model):
    """The columns and values chosen at a fair's imports, offered again for the next file (not the side)."""

    __tablename__ = "import_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), unique=True)
    columns: Mapped[dict] = mapped_column(JSON, default=dict)  # header key -> field ("" = ignored)
    values: Mapped[dict] = mapped_column(JSON, default=dict)  # vocabulary -> value key -> codes
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
