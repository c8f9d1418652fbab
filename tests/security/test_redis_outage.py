"""Redis down (a real redis-server, stopped mid-test): agendas, calendar feeds and sign-in still answer, and
the sign-in limits still hold, counted in the database until Redis is back and then together with it."""

from __future__ import annotations

import subprocess
import time

import pytest
import redis
from sqlalchemy import func, select

from salon import create_app
from salon.extensions import db as _db
from salon.extensions import limiter
from salon.models import LoginAttempt
from tests.factories import PASSWORD, make_user
from tests.salon.services.test_jobs import redis_url  # noqa: F401  (a throwaway redis-server)

WRONG = "wrong password 123"


def _attempt(client, email: str, password: str = WRONG):
    form = {"email": email, "password": password}
    return client.post("/login", data=form, environ_base={"REMOTE_ADDR": "192.0.2.9"})


def _stop(url: str) -> None:
    """Stop the redis-server at url (as a crash or a restart would)."""
    try:
        redis.Redis.from_url(url).shutdown(nosave=True)
    except redis.ConnectionError:
        pass  # the server closes the connection as it stops
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()


def _start_again(url: str, pidfile) -> None:  # noqa: ANN001
    """Start redis-server again on the same port (an empty one, as after a restart without persistence)."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return  # already back
    except redis.ConnectionError:
        pass
    port = url.rsplit(":", 1)[1].split("/")[0]
    command = ["redis-server", "--port", port, "--bind", "127.0.0.1", "--daemonize", "yes"]
    subprocess.run([*command, "--pidfile", str(pidfile), "--save", "", "--appendonly", "no"], check=True)
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return
        except redis.ConnectionError:
            time.sleep(0.05)


@pytest.fixture()
def outage(redis_url, tmp_path):  # noqa: F811
    """Yield a function that stops Redis; start it again at the end (the redis_url fixture stops it)."""
    yield lambda: _stop(redis_url)
    _start_again(redis_url, tmp_path / "redis.pid")


@pytest.fixture()
def redis_app(app, db, database_url, redis_url):  # noqa: F811
    """An app that keeps its sign-in attempts and its request limits in Redis, as production does.

    The limiter is one object for every app: the session's app gets it back, in memory, afterwards.
    """
    yield create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": redis_url, "RATELIMIT_STORAGE_URI": redis_url,
         "SALON_LOGIN_LIMIT_PAIR": "2 per 15 minutes"},
        config_object="config.TestConfig",
    )  # fmt: skip
    limiter._storage_dead = False  # the flag Flask-Limiter set when Redis stopped; init_app keeps it
    limiter.init_app(app)


def test_sign_in_works_and_stays_limited_while_redis_is_down(redis_app, redis_url, outage, tmp_path):  # noqa: F811
    with redis_app.app_context():
        email = make_user(email="orga@example.org").email
        _db.session.commit()
    client = redis_app.test_client()
    outage()
    assert _attempt(client, "x@example.org").status_code == 400  # refused, counted in the database
    assert _attempt(client, "x@example.org").status_code == 400
    assert _attempt(client, "x@example.org").status_code == 429  # the limit holds without Redis
    response = _attempt(client, email, PASSWORD)
    assert response.status_code == 302, "the organiser can still sign in"
    with redis_app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(LoginAttempt)) > 0
    _start_again(redis_url, tmp_path / "redis.pid")
    assert _attempt(client, "x@example.org").status_code == 429  # the outage's attempts still count


@pytest.mark.parametrize("path", ["/agenda/not-a-token", "/agenda/not-a-token.ics", "/cal/not-a-token.ics"])
def test_public_limited_pages_answer_while_redis_is_down(redis_app, outage, path):
    client = redis_app.test_client()
    assert client.get(path).status_code == 404  # Redis up: the limit is counted there
    outage()
    assert client.get(path).status_code == 404  # Redis down: counted in memory, never a server error
