"""Where sign-in attempts are counted: the database by default, Redis when REDIS_URL is set.

Both are shared by every web process and machine, so a limit holds whatever the deployment (`gunicorn -w 4`
without Redis included). An attempt is written before the password is checked and removed again if it
turns out right or is refused: concurrent guesses see each other. When Redis cannot be reached, attempts
are counted in the database instead, and the database's attempts count with Redis's afterwards: an outage
of Redis neither stops people from signing in nor lifts the limits.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import delete, select

from salon.extensions import db
from salon.models import LoginAttempt

KEEP_SECONDS = 86400  # the longest window any limit looks at
IN_DATABASE = "db:"  # prefix of the token of an attempt counted in the database while Redis was unreachable


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
    """Attempts in one sorted set per key (member: the token, score: the time), expiring after a day; in the
    database (`fallback`) while Redis cannot be reached."""

    def __init__(self, url: str, fallback: DatabaseStore) -> None:
        from redis import Redis  # imported only where Redis is configured
        from redis.exceptions import RedisError

        self.redis = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.fallback = fallback
        self.unreachable = RedisError

    @staticmethod
    def _name(key: str) -> str:
        return f"salon:login:{key}"

    def add(self, keys: list[str], now: float) -> str:
        token = uuid.uuid4().hex
        try:
            with self.redis.pipeline() as pipe:  # MULTI/EXEC: the attempt lands under every key at once
                for key in keys:
                    pipe.zremrangebyscore(self._name(key), "-inf", now - KEEP_SECONDS)
                    pipe.zadd(self._name(key), {token: now})
                    pipe.expire(self._name(key), KEEP_SECONDS)
                pipe.execute()
        except self.unreachable as exc:
            current_app.logger.warning(
                "sign-in attempts counted in the database: Redis unreachable (%s)", exc
            )
            return IN_DATABASE + self.fallback.add(keys, now)
        return token

    def remove(self, keys: list[str], token: str) -> None:
        if token.startswith(IN_DATABASE):
            self.fallback.remove(keys, token.removeprefix(IN_DATABASE))
            return
        try:
            with self.redis.pipeline() as pipe:
                for key in keys:
                    pipe.zrem(self._name(key), token)
                pipe.execute()
        except self.unreachable:  # the attempt stays counted until it expires: on the safe side
            current_app.logger.warning("a sign-in attempt could not be removed: Redis unreachable")

    def others(self, key: str, token: str, since: float) -> list[float]:
        found: list[float] = []
        try:
            pairs = self.redis.zrangebyscore(self._name(key), since, "+inf", withscores=True)
            found = [score for member, score in pairs if member.decode() != token]
        except self.unreachable:
            current_app.logger.warning("sign-in attempts read from the database only: Redis unreachable")
        return sorted(found + self.fallback.others(key, token.removeprefix(IN_DATABASE), since))


def attempt_store(app: Flask | None = None) -> AttemptStore:
    """Return the app's store (Redis when REDIS_URL is set, else the database), made once."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    store = app.extensions.get("salon_attempts")
    if store is None:
        url = app.config.get("REDIS_URL")
        store = app.extensions["salon_attempts"] = (
            RedisStore(url, DatabaseStore()) if url else DatabaseStore()
        )
    return store
