"""`/healthz` for the load balancer: the database, Redis when configured, and the depth of the queues.

200 when this process can serve (database reachable, and Redis when REDIS_URL is set), else 503. The queue
depths are figures for monitoring, never a reason to take a web process out. The answer names no host,
user or error text: it is public.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, jsonify
from sqlalchemy import func, select, text

from salon.extensions import db
from salon.models import OutboxMessage, ScheduleRun

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    checks = {"database": _database(), "redis": _redis()}
    queues = _database_queues() if checks["database"] == "ok" else {}
    if checks["redis"] == "ok":
        queues["rq"] = _rq_queues()
    healthy = checks["database"] == "ok" and checks["redis"] in ("ok", "not configured")
    response = jsonify(status="ok" if healthy else "error", checks=checks, queues=queues)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001  (any failure is "error": the reason goes to the log, not the answer)
        current_app.logger.exception("health check: database unreachable")
        db.session.rollback()
        return "error"
    return "ok"


def _redis() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    try:
        _connection(url).ping()
    except Exception:  # noqa: BLE001
        current_app.logger.exception("health check: Redis unreachable")
        return "error"
    return "ok"


def _connection(url: str):  # noqa: ANN202
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def _database_queues() -> dict:
    """Return the work waiting in the database: queued solves, mail due and how long the oldest has waited."""
    now = datetime.now(UTC)
    due = (OutboxMessage.status == "pending") & (OutboxMessage.next_attempt_at <= now)
    oldest = db.session.scalar(select(func.min(OutboxMessage.next_attempt_at)).where(due))
    return {
        "solves_queued": db.session.scalar(select(func.count()).where(ScheduleRun.status == "queued")),
        "solves_running": db.session.scalar(select(func.count()).where(ScheduleRun.status == "running")),
        "mail_due": db.session.scalar(select(func.count()).where(due)),
        "mail_oldest_due_seconds": int((now - oldest).total_seconds()) if oldest else 0,
    }


def _rq_queues() -> dict[str, int]:
    """Return the jobs waiting in each RQ queue."""
    from rq import Queue

    connection = _connection(current_app.config["REDIS_URL"])
    return {queue.name: queue.count for queue in Queue.all(connection=connection)}
