"""Finding 9: `salon worker` takes every kind of background job, not only solves; and without Redis the
periodic jobs run by hand (cron or a timer) with `salon jobs run`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from salon import jobs, queues
from salon.job_kinds import KINDS
from salon.models import OutboxMessage, ScheduleRun
from salon.models.base import utcnow
from salon.services.mail import queue_email
from tests.salon.mail_server import running_smtp_server
from tests.salon.services.test_jobs import redis_url, small_fair  # noqa: F401  (fixture)


@pytest.fixture()
def smtp_server(app, monkeypatch):
    yield from running_smtp_server(app, monkeypatch)


@pytest.fixture()
def on_redis(app, redis_url):  # noqa: F811
    app.config["REDIS_URL"] = redis_url
    yield redis_url
    app.config["REDIS_URL"] = None


def _outbox(db, n: int) -> list[int]:
    ids = [queue_email(f"p{i}@example.org", f"Message {i}", "Bonjour").id for i in range(n)]
    db.session.commit()
    return ids


def test_every_queue_is_listened_to_and_every_kind_queues_on_one():
    assert set(queues.ALL) == {kind.queue for kind in KINDS.values()}
    assert {name for name, kind in KINDS.items() if kind.every} == {"mail", "remind", "purge", "sweep"}


def test_worker_sends_the_outbox_from_the_mail_queue(app, db, runner, smtp_server, on_redis):
    ids = _outbox(db, 3)
    jobs.enqueue("mail")
    result = runner.invoke(args=["worker", "--burst", "--queue", "mail"])
    assert result.exit_code == 0, result.output
    assert sorted(m["Subject"] for m in smtp_server.inbox.messages) == ["Message 0", "Message 1", "Message 2"]
    db.session.expire_all()
    statuses = db.session.scalars(select(OutboxMessage.status).where(OutboxMessage.id.in_(ids))).all()
    assert statuses == ["sent"] * 3


def test_worker_runs_the_sweep_from_the_default_queue(app, db, runner, on_redis):
    fair = small_fair(db)
    silent = utcnow() - timedelta(seconds=app.config["SOLVE_HEARTBEAT_TIMEOUT"] + 5)
    run = ScheduleRun(fair_id=fair.id, status="queued", job_id="thread-1", heartbeat_at=silent)
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    jobs.enqueue("sweep")
    result = runner.invoke(args=["worker", "--burst", "--queue", "default"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(ScheduleRun, run_id).failure == "lease_expired"


def test_worker_on_the_solve_queue_only_leaves_mail_alone(app, db, runner, smtp_server, on_redis):
    _outbox(db, 1)
    jobs.enqueue("mail")
    result = runner.invoke(args=["worker", "--burst", "--queue", "solve"])
    assert result.exit_code == 0, result.output
    assert smtp_server.inbox.messages == []


def test_periodic_jobs_run_by_hand_without_redis(app, db, runner, smtp_server):
    _outbox(db, 2)
    result = runner.invoke(args=["jobs", "run", "mail"])
    assert (result.exit_code, result.output.strip()) == (0, "sent 2, failed 0")
    assert len(smtp_server.inbox.messages) == 2
    assert runner.invoke(args=["jobs", "run", "sweep"]).output.strip() == "0 run(s) released"


def test_worker_and_scheduler_refuse_to_start_without_redis(app, runner):
    for command in (["worker", "--burst"], ["scheduler"], ["jobs", "enqueue", "mail"]):
        result = runner.invoke(args=command)
        assert result.exit_code != 0
        assert "REDIS_URL is not set" in result.output
