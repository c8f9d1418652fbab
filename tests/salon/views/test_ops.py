"""`/healthz` (database, Redis, queues; 200/503; no secret) and JSON logs with a request id."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from salon import create_app
from salon.models import ScheduleRun
from salon.services.mail import queue_email
from tests.factories import make_fair
from tests.security import conftest as security
from tests.security.conftest import free_port

redis_url = security.redis_url  # the throwaway redis-server fixture

SECRET_PASSWORD = "pw-that-must-not-leak"


def _app(database_url: str, **settings):
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, **settings}, config_object="config.TestConfig"
    )


def test_healthz_reports_database_and_queues(client, db):
    fair = make_fair()
    db.session.add(ScheduleRun(fair_id=fair.id, status="queued"))
    queue_email("a@example.org", "Objet", "Texte")
    late = queue_email("b@example.org", "Objet", "Texte")
    late.next_attempt_at = datetime.now(UTC) - timedelta(minutes=5)
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "redis": "not configured"}
    assert body["queues"]["solves_queued"] == 1
    assert body["queues"]["solves_running"] == 0
    assert body["queues"]["mail_due"] == 2
    assert 299 <= body["queues"]["mail_oldest_due_seconds"] < 400


def test_healthz_503_without_database_and_no_secret_in_answer(db):
    url = f"postgresql+psycopg://salon:{SECRET_PASSWORD}@127.0.0.1:{free_port()}/salon"
    broken = _app(url, SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == "error"
    text = response.get_data(as_text=True)
    assert SECRET_PASSWORD not in text and "127.0.0.1" not in text and "salon:" not in text


def test_healthz_with_redis_counts_rq_queues(db, database_url, redis_url):
    from redis import Redis
    from rq import Queue

    Queue("salon-solve", connection=Redis.from_url(redis_url)).enqueue("salon.jobs.solve_job", 1)
    response = _app(database_url, REDIS_URL=redis_url).test_client().get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["checks"]["redis"] == "ok"
    assert body["queues"]["rq"] == {"salon-solve": 1}


def test_healthz_503_when_configured_redis_is_down(db, database_url):
    response = _app(database_url, REDIS_URL=f"redis://:{SECRET_PASSWORD}@127.0.0.1:{free_port()}/0")
    response = response.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "redis": "error"}
    assert SECRET_PASSWORD not in response.get_data(as_text=True)


class Stream(io.StringIO):
    def readouterr(self) -> str:
        """Return what was written since the last call."""
        text = self.getvalue()
        self.seek(0)
        self.truncate()
        return text


@pytest.fixture()
def json_logs(database_url):
    """An app logging JSON (to a stream the test reads); the root logger is given back as it was."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    app = _app(database_url, SALON_LOG_FORMAT="json")
    [handler] = [h for h in root.handlers if getattr(h, "salon", False)]
    stream = Stream()
    handler.setStream(stream)
    yield app, stream
    root.handlers[:], root.level = handlers, level


def _lines(stream: Stream) -> list[dict]:
    return [json.loads(line) for line in stream.readouterr().splitlines()]


def test_json_logs_one_object_per_line_with_the_request_id(db, json_logs):
    app, capsys = json_logs
    client = app.test_client()
    capsys.readouterr()
    response = client.get("/", headers={"X-Request-ID": "lb-42.abc"})
    assert response.headers["X-Request-ID"] == "lb-42.abc"
    with app.test_request_context():
        from flask import g

        g.request_id = "inside"
        app.logger.warning("a line from the app, with an accent: é")
    [access, line] = _lines(capsys)
    assert (access["logger"], access["request_id"], access["method"], access["path"], access["status"]) == (
        "salon.access", "lb-42.abc", "GET", "/", 200)  # fmt: skip
    assert access["level"] == "INFO" and access["time"].endswith("+00:00")
    assert (line["message"], line["request_id"], line["level"]) == (
        "a line from the app, with an accent: é", "inside", "WARNING")  # fmt: skip


def test_request_id_made_when_missing_or_unfit(db, json_logs):
    app, capsys = json_logs
    client = app.test_client()
    made = client.get("/healthz").headers["X-Request-ID"]
    forged = client.get("/healthz", headers={"X-Request-ID": "forged id\tINFO x"}).headers["X-Request-ID"]
    too_long = client.get("/healthz", headers={"X-Request-ID": "a" * 129}).headers["X-Request-ID"]
    assert all(len(rid) == 32 and rid.isalnum() for rid in (made, forged, too_long))
    assert len({made, forged, too_long}) == 3
    assert {entry["request_id"] for entry in _lines(capsys)} == {made, forged, too_long}


def test_text_logs_by_default(client, db):
    response = client.get("/healthz")
    assert len(response.headers["X-Request-ID"]) == 32
    assert not any(getattr(h, "salon", False) for h in logging.getLogger().handlers)


def test_exception_logged_as_json_with_request_id(db, json_logs):
    app, capsys = json_logs
    capsys.readouterr()
    with app.test_request_context(headers={"X-Request-ID": "req-1"}):
        app.preprocess_request()
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            app.logger.exception("it failed")
    [entry] = _lines(capsys)
    assert entry["request_id"] == "req-1"
    assert "RuntimeError: boom" in entry["exception"]
