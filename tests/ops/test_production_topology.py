"""The production topology on one machine, started with the recipe's own commands (deploy/Procfile).

PostgreSQL and Redis (from scripts/services.sh), the release step (`salon db upgrade`), gunicorn with two
workers, two RQ workers, the scheduler, and aiosmtpd as the mail server. Through HTTP, the organiser signs
in, solves through the queue and publishes; the agendas reach the mail server. Then one worker's
work-horse is killed (SIGKILL) in the middle of a solve: the run is failed within the heartbeat timeout,
a new solve is accepted and finishes, and no message is lost.
"""

from __future__ import annotations

import os
import re
import time
from email import message_from_bytes
from email.policy import default

import pytest
from redis import Redis
from rq import Worker
from sqlalchemy import func, select

from salon.extensions import db
from salon.models import OutboxMessage, ScheduleRun
from tests.ops.conftest import TIMEOUT, seed_demo_fair, seed_small_fair, seeding_app, solving_for
from tests.ops.stack import Browser, Stack, base_env, children, kill, wait_for, wait_http
from tests.salon.mail_server import SmtpServer, free_port
from tests.security.live import scratch_database

REDIS_DB = 11  # a database of the test Redis of its own: no other test's queue is seen here


@pytest.fixture()
def services():
    """Return the PostgreSQL and Redis URLs of scripts/services.sh (skip without them, unless required)."""
    pg, redis = os.environ.get("SALON_TEST_POSTGRES_URL"), os.environ.get("SALON_TEST_REDIS_URL")
    if not (pg and redis):
        reason = "SALON_TEST_POSTGRES_URL and SALON_TEST_REDIS_URL are needed (scripts/services.sh)"
        if os.environ.get("SALON_REQUIRE_SERVICES") == "1":
            pytest.fail(reason + " and SALON_REQUIRE_SERVICES=1")
        pytest.skip(reason)
    redis_url = f"{redis.rsplit('/', 1)[0]}/{REDIS_DB}"
    Redis.from_url(redis_url).flushdb()
    with scratch_database(pg) as database_url:
        yield database_url, redis_url
    Redis.from_url(redis_url).flushdb()


def location_id(response) -> int:
    assert response.status_code == 303, response.status_code
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_production_topology_journey_and_a_killed_worker(tmp_path, services):
    database_url, redis_url = services
    web_port, smtp = free_port(), SmtpServer(free_port())
    env = base_env(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SALON_BIND=f"127.0.0.1:{web_port}",
        WEB_CONCURRENCY="2",
        SALON_BASE_URL=f"http://127.0.0.1:{web_port}",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp.port),
        MAIL_DEFAULT_SENDER="Salon <no-reply@salon.example>",
        SALON_SOLVE_HEARTBEAT_TIMEOUT=str(TIMEOUT),
        SALON_MAIL_EVERY="1",
        SALON_SWEEP_EVERY="1",
    )
    stack = Stack(env, tmp_path)
    smtp.start()
    try:
        stack.run("release")  # the schema comes from the migrations, on PostgreSQL
        app = seeding_app(database_url, REDIS_URL=redis_url)
        seeded = seed_demo_fair(app, create_schema=False)
        small_id = seed_small_fair(app, seeded.email)
        for label in ("web", "worker-1", "worker-2", "scheduler"):
            stack.start(label.split("-")[0], label)
        base = f"http://127.0.0.1:{web_port}"
        wait_http(base + "/")
        browser = Browser(base)
        browser.sign_in(seeded.email, seeded.password)

        small = f"/orga/fairs/{small_id}"
        first = location_id(browser.post(f"{small}/schedule", {"time_limit": "3"}))
        wait_for(lambda: run_row(app, first).status == "done", 90, "the first solve, through the queue")
        assert not run_row(app, first).job_id.startswith("thread-")  # an RQ job, run by a worker
        preview = browser.get(f"{small}/runs/{first}/publish").text  # publishing shows what it will do first
        digest = re.search(r'name="digest"[^>]*value="([^"]+)"', preview)
        assert digest is not None, "no publication digest on the preview"
        published = browser.post(f"{small}/runs/{first}/publish", {"digest": digest.group(1)})
        assert published.status_code == 303
        assert outbox_count(app) >= 6  # each person is sent their agenda

        fair = f"/orga/fairs/{seeded.fair_id}"  # the demo fair (180 participants): a solve that lasts
        second = location_id(browser.post(f"{fair}/schedule", {"time_limit": "120"}))
        wait_for(lambda: solving_for(app, second, 2), 60, "a long solve under way")
        kill(horse_of(redis_url, run_row(app, second).job_id))
        killed = time.monotonic()
        page = f"{fair}/runs/{second}"
        wait_for(lambda: run_row(app, second).status == "failed", TIMEOUT, "the killed solve is failed")
        assert time.monotonic() - killed <= TIMEOUT
        assert "Le processus qui menait le calcul a été arrêté avant la fin" in browser.get(page).text

        third = location_id(browser.post(f"{fair}/schedule", {"time_limit": "2"}))  # not 409
        wait_for(lambda: run_row(app, third).status == "done", 90, "a new solve after the kill")

        wait_for(lambda: outbox_sent(app), 90, "every outbox message sent")
        received = [message_from_bytes(raw, policy=default) for _f, _t, raw in smtp.inbox.envelopes]
        ids = sorted(m["Message-ID"].strip("<>") for m in received)
        assert ids == sorted(outbox_ids(app))  # each message once: none lost, none sent twice
    finally:
        stack.stop_all()
        smtp.stop()


def run_row(app, run_id: int) -> ScheduleRun:
    with app.app_context():
        run = db.session.get(ScheduleRun, run_id)
        db.session.expunge(run)
        db.session.remove()
        return run


def outbox_count(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count(OutboxMessage.id)))
        db.session.remove()
        return int(count)


def outbox_sent(app) -> bool:
    with app.app_context():
        unsent = select(func.count(OutboxMessage.id)).where(OutboxMessage.status != "sent")
        pending = db.session.scalar(unsent)
        db.session.remove()
        return pending == 0


def outbox_ids(app) -> list[str]:
    with app.app_context():
        ids = list(db.session.scalars(select(OutboxMessage.message_id)))
        db.session.remove()
        return ids


def horse_of(redis_url: str, job_id: str) -> int:
    """Return the work-horse running the job: the only child of the worker that holds it."""
    for worker in Worker.all(connection=Redis.from_url(redis_url)):
        if worker.get_current_job_id() == job_id:
            (horse,) = children(worker.pid)
            return horse
    raise AssertionError(f"no worker runs job {job_id}")
