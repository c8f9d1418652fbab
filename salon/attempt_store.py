"""Where sign-in attempts are counted: the database by default, Redis when REDIS_URL is set.

Both are shared by every web process and machine, so a limit holds whatever the deployment (`gunicorn -w 4`
without Redis included). An attempt is written before the password is checked and removed again if it
turns out right or is refused: concurrent guesses see each other.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import delete, select

from salon.extensions import db
from salon.models import LoginAttempt

KEEP_SECONDS = 86400  # the longest window any limit looks at


class AttemptStore(Protocol):
    def add(self, keys: list[str], now: float) -> str:
        """Record one attempt under each key; return its token."""

    def remove(self, keys: list[str], token: str) -> None:
        """Forget the attempt (it was right, or refused before any check)."""

    def others(self, key: str, token: str, since: float) -> list[float]:
        """Return the times, oldest first, of the other attempts under `key` since `since`."""


class DatabaseStore:
    """Attempts in the login_attempts table, each change committed at once on a connection of its own."""

    def add(self, keys: list[str], now: float) -> str:
        token = uuid.uuid4().hex
        with db.engine.begin() as conn:
            conn.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_SECONDS))
            conn.execute(
                LoginAttempt.__table__.insert(), [{"key": k, "token": token, "at": now} for k in keys]
            )
        return token

    def remove(self, keys: list[str], token: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(delete(LoginAttempt).where(LoginAttempt.token == token))

    def others(self, key: str, token: str, since: float) -> list[float]:
        query = (
            select(LoginAttempt.at)
            .where(LoginAttempt.key == key, LoginAttempt.at >= since, LoginAttempt.token != token)
            .order_by(LoginAttempt.at)
        )
        with db.engine.connect() as conn:
            return list(conn.scalars(query))


class RedisStore:
    """Attempts in one sorted set per key (member: the token, score: the time), expiring after a day."""

    def __init__(self, url: str) -> None:
        from redis import Redis

        self.redis = Redis.from_url(url)

    @staticmethod
    def _name(key: str) -> str:
        return f"salon:login:{key}"

    def add(self, keys: list[str], now: float) -> str:
        token = uuid.uuid4().hex
        with self.redis.pipeline() as pipe:  # MULTI/EXEC: the attempt lands under every key at once
            for key in keys:
                pipe.zremrangebyscore(self._name(key), "-inf", now - KEEP_SECONDS)
                pipe.zadd(self._name(key), {token: now})
                pipe.expire(self._name(key), KEEP_SECONDS)
            pipe.execute()
        return token

    def remove(self, keys: list[str], token: str) -> None:
        with self.redis.pipeline() as pipe:
            for key in keys:
                pipe.zrem(self._name(key), token)
            pipe.execute()

    def others(self, key: str, token: str, since: float) -> list[float]:
        found = self.redis.zrangebyscore(self._name(key), since, "+inf", withscores=True)
        return [score for member, score in found if member.decode() != token]


def attempt_store(app: Flask | None = None) -> AttemptStore:
    """Return the app's store (Redis when REDIS_URL is set, else the database), made once."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    store = app.extensions.get("salon_attempts")
    if store is None:
        url = app.config.get("REDIS_URL")
        store = app.extensions["salon_attempts"] = RedisStore(url) if url else DatabaseStore()
    return store
