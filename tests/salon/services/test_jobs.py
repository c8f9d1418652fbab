"""Background solves: in-process thread pool and RQ on a real Redis server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

from salon import jobs
from salon.models import DraftMeeting, FairSession, MandatoryMeeting, ScheduleRun
from salon.services import scheduling
from tests.factories import make_fair, make_participant, make_wish

REQUIRE = os.environ.get("SALON_REQUIRE_SERVICES") == "1"


@pytest.fixture(autouse=True)
def _request(app, db):
    """Services translate their messages: run each test inside a request."""
    with app.test_request_context():
        yield


def small_fair(db):
    """Return a committed fair: 2 buyers, 3 suppliers, a few wishes."""
    fair = make_fair(phase="scheduling")
    buyers = [make_participant(fair, "buyer") for _ in range(2)]
    suppliers = [make_participant(fair, "supplier") for _ in range(3)]
    for i, s in enumerate(suppliers):
        make_wish(buyers[i % 2], s, 3)
        make_wish(s, buyers[(i + 1) % 2], 1)
    db.session.commit()
    return fair


def start(db, fair, time_limit=5.0):
    run = scheduling.request_solve(fair, None, time_limit)
    db.session.commit()
    return run.id


def test_solve_in_process_writes_draft_and_progress(app, db):
    fair = small_fair(db)
    run_id = start(db, fair)
    assert jobs.enqueue_solve(run_id) == f"thread-{run_id}"
    jobs.wait(run_id, timeout=60)
    db.session.expire_all()
    run = db.session.get(ScheduleRun, run_id)
    assert (run.status, run.solver_status) == ("done", "optimal")
    assert run.objective["coverage"] == 5
    assert len(run.drafts) == 6
    assert run.progress["done"] is True and run.finished_at is not None
    # the page's stages: every stage's latest [value, bound] so far, and when the current one began
    assert run.progress["stage_values"]["coverage"][0] <= 5 and run.progress["stage_started"] >= 0


def test_solve_cancelled_before_start_never_runs(app, db):
    fair = small_fair(db)
    run_id = start(db, fair)
    scheduling.request_cancel(db.session.get(ScheduleRun, run_id))
    db.session.commit()
    assert db.session.get(ScheduleRun, run_id).status == "cancelled"  # at once: nothing to wait for
    jobs.enqueue_solve(run_id)
    jobs.wait(run_id, timeout=60)
    db.session.expire_all()
    run = db.session.get(ScheduleRun, run_id)
    assert (run.status, run.started_at, run.drafts, run.failure) == ("cancelled", None, [], "")
    start(db, fair)  # the fair is free


def test_solve_failure_leaves_no_drafts(app, db):
    fair = small_fair(db)
    b, s = scheduling.approved_participants(fair)[:2]
    empty = FairSession(
        fair=fair,
        label="vide",
        name="Vide",
        day=fair.sessions[0].day,
        starts_at=fair.sessions[1].ends_at.replace(hour=20),
        ends_at=fair.sessions[1].ends_at.replace(hour=21),
    )
    db.session.add(empty)
    db.session.flush()
    db.session.add(
        MandatoryMeeting(fair_id=fair.id, participant_a_id=b.id, participant_b_id=s.id, session_id=empty.id)
    )
    db.session.commit()
    run_id = start(db, fair)
    jobs.enqueue_solve(run_id)
    jobs.wait(run_id, timeout=60)
    db.session.expire_all()
    run = db.session.get(ScheduleRun, run_id)
    assert run.status == "failed"
    assert "vide" in run.error
    assert db.session.scalars(db.select(DraftMeeting).where(DraftMeeting.run_id == run_id)).all() == []
    start(db, fair)  # a failed run no longer blocks the fair


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def redis_url(tmp_path):
    """Start a throwaway redis-server on a free port."""
    if shutil.which("redis-server") is None:
        if REQUIRE:
            pytest.fail("redis-server is required (SALON_REQUIRE_SERVICES=1)")
        pytest.skip("redis-server is not installed")
    port, pidfile = _free_port(), tmp_path / "redis.pid"
    subprocess.run(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--daemonize",
            "yes",
            "--pidfile",
            str(pidfile),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
    )
    from redis import Redis

    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(50):
        try:
            Redis.from_url(url).ping()
            break
        except Exception:  # noqa: BLE001
            time.sleep(0.05)
    yield url
    for _ in range(50):
        if pidfile.exists():
            break
        time.sleep(0.05)
    subprocess.run(["kill", pidfile.read_text().strip()], check=False)


def test_solve_on_rq_worker_with_real_redis(app, db, redis_url):
    from redis import Redis
    from rq import Queue, Worker

    fair = small_fair(db)
    run_id = start(db, fair)
    app.config["REDIS_URL"] = redis_url
    try:
        job_id = jobs.enqueue_solve(run_id)
    finally:
        app.config["REDIS_URL"] = None
    connection = Redis.from_url(redis_url)
    assert Queue(jobs.QUEUE_NAME, connection=connection).count == 1
    Worker([Queue(jobs.QUEUE_NAME, connection=connection)], connection=connection).work(burst=True)
    db.session.expire_all()
    run = db.session.get(ScheduleRun, run_id)
    assert (run.job_id, run.status, len(run.drafts)) == (job_id, "done", 6)
    assert Queue(jobs.QUEUE_NAME, connection=connection).fetch_job(job_id).return_value() == "done"


def test_resolve_keeps_published_and_locked_meetings_in_place(app, db):
    from salon.models import Fair, Meeting
    from salon.services import meetings as edits
    from salon.services.publishing import publish_run

    fair = small_fair(db)
    first = start(db, fair)
    jobs.enqueue_solve(first)
    jobs.wait(first, timeout=60)
    db.session.expire_all()
    publish_run(db.session.get(ScheduleRun, first))
    db.session.commit()
    fair = db.session.get(Fair, fair.id)
    kept = db.session.scalars(db.select(Meeting).where(Meeting.fair_id == fair.id).order_by(Meeting.id)).all()
    places = {(m.participant_a_id, m.participant_b_id): (m.slot_id, m.table_id) for m in kept}
    edits.cancel_meeting(fair, kept[0])  # a cancelled meeting is no longer kept
    db.session.commit()
    second = start(db, fair)
    jobs.enqueue_solve(second)
    jobs.wait(second, timeout=60)
    db.session.expire_all()
    run = db.session.get(ScheduleRun, second)
    assert run.status == "done"
    drafts = {(d.participant_a_id, d.participant_b_id): (d.slot_id, d.table_id, d.locked) for d in run.drafts}
    for m in kept[1:]:
        pair = (m.participant_a_id, m.participant_b_id)
        assert drafts[pair] == (*places[pair], True)


def test_stale_running_run_expires_and_frees_the_fair(app, db):
    from datetime import timedelta

    from salon.models.base import utcnow

    fair = small_fair(db)
    silent = utcnow() - timedelta(seconds=app.config["SOLVE_HEARTBEAT_TIMEOUT"] + 5)
    stale = ScheduleRun(fair_id=fair.id, status="running", time_limit=5, heartbeat_at=silent)
    db.session.add(stale)
    db.session.commit()
    run_id = start(db, fair)
    assert (db.session.get(ScheduleRun, stale.id).status, stale.failure) == ("failed", "lease_expired")
    assert db.session.get(ScheduleRun, run_id).status == "queued"


def test_worker_command_needs_redis_url(app, runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL" in result.output


def test_worker_command_runs_queued_solve(app, db, runner, redis_url):
    fair = small_fair(db)
    run_id = start(db, fair)
    app.config["REDIS_URL"] = redis_url
    try:
        jobs.enqueue_solve(run_id)
        result = runner.invoke(args=["worker", "--burst"])
    finally:
        app.config["REDIS_URL"] = None
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(ScheduleRun, run_id).status == "done"
