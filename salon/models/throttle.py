"""Sign-in attempts not (yet) proven right, counted by every web process (see salon/login_limits.py)."""

from __future__ import annotations

from sqlalchemy import Float, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from salon.extensions import db


class LoginAttempt(db.Model):
    """One counted sign-in attempt under one key (address, account and address, account, device).

    The key is an HMAC digest, never an address or an e-mail in clear; rows older than a day are purged.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    token: Mapped[str] = mapped_column(String(32), index=True)  # one attempt's rows share it
    at: Mapped[float] = mapped_column(Float, index=True)  # seconds since the epoch

    def __repr__(self) -> str:
        return f"<LoginAttempt {self.key[:8]} {self.at}>"
