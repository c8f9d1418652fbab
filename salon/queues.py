"""RQ plumbing shared by the job machinery and the lease checks: the Redis connection and a job's state.

Salon's RQ queues, listened to by `salon worker` (all of them unless told otherwise):
- `salon-mail`: the outbox sender (short, frequent);
- `salon-default`: reminders, the retention purge, the sweep of abandoned solves, other short jobs;
- `salon-print`: printout builds (a minute at most, CPU-bound; an organiser waits for them);
- `salon-solve`: schedule solves (long, CPU-bound: give them machines of their own in production).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from redis import Redis

MAIL, DEFAULT, PRINT, SOLVE = "salon-mail", "salon-default", "salon-print", "salon-solve"
ALL = (MAIL, DEFAULT, PRINT, SOLVE)  # a worker listening to several takes jobs in this order

_connections: dict[str, Redis] = {}


def redis_url() -> str | None:
    """Return the configured Redis URL, or None when jobs run in-process."""
    return current_app.config.get("REDIS_URL") or None


def connection() -> Redis:
    """Return this process's Redis client for REDIS_URL (one connection pool per URL)."""
    from redis import Redis

    url = redis_url()
    if not url:
        raise RuntimeError("REDIS_URL is not set")
    if url not in _connections:
        # Short timeouts: a page that looks up a job must not hang on an unreachable Redis.
        _connections[url] = Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
    return _connections[url]


def job_state(job_id: str) -> str | None:
    """Return an RQ job's status ("queued", "started", "failed"...), "gone" if Redis no longer has it.

    None means nobody can tell: no REDIS_URL here, or Redis unreachable (a blip must release nothing).
    """
    if not redis_url():
        return None
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        status = Job.fetch(job_id, connection=connection()).get_status(refresh=False)
    except NoSuchJobError:
        return "gone"
    except RedisError:
        current_app.logger.warning("Redis unreachable while looking up job %s", job_id)
        return None
    return str(status.value if hasattr(status, "value") else status) if status is not None else "gone"


def seconds_without_worker(queue_name: str, now: float) -> float | None:
    """Return for how long the checks have seen no live worker on the queue (0 while one listens).

    The first check that finds none notes the moment in Redis; a worker coming back clears it, so a
    restart of the workers (a few seconds) never counts as "no worker". None when nobody can tell.
    """
    if not redis_url():
        return None
    from redis.exceptions import RedisError
    from rq import Queue, Worker

    key = f"salon:no-worker-since:{queue_name}"
    try:
        redis = connection()
        if Worker.all(queue=Queue(queue_name, connection=redis)):
            redis.delete(key)
            return 0.0
        redis.set(key, now, nx=True, ex=7 * 24 * 3600)
        return max(now - float(redis.get(key) or now), 0.0)
    except RedisError:
        return None


def cancel_job(job_id: str) -> None:
    """Take a job off its queue if it is still there (it would find its run released anyway)."""
    from redis.exceptions import RedisError
    from rq.exceptions import InvalidJobOperation, NoSuchJobError
    from rq.job import Job

    try:
        Job.fetch(job_id, connection=connection()).cancel()
    except (NoSuchJobError, InvalidJobOperation, RedisError):
        pass
