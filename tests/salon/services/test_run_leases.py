"""Solve leases: a run whose holder is gone is released with a reason in words and the fair is free again."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from salon import jobs, solving
from salon.models import ScheduleRun
from salon.models.base import utcnow
from salon.services import NotAllowed, run_leases, scheduling
from tests.salon.services.test_jobs import redis_url, small_fair  # noqa: F401  (fixture)

TIMEOUT = 2.0


@pytest.fixture(autouse=True)
def _short_lease(app, db):
    """A two-second lease, inside a request (messages are translated)."""
    app.config["SOLVE_HEARTBEAT_TIMEOUT"] = TIMEOUT
    with app.test_request_context():
        yield
    app.config["SOLVE_HEARTBEAT_TIMEOUT"] = 60.0


def add_run(db, fair, **fields) -> ScheduleRun:
    run = ScheduleRun(fair_id=fair.id, time_limit=5, **fields)
    db.session.add(run)
    db.session.commit()
    return run


def ago(seconds: float):
    return utcnow() - timedelta(seconds=seconds)


def test_running_run_with_fresh_heartbeat_keeps_the_fair(app, db):
    fair = small_fair(db)
    add_run(db, fair, status="running", started_at=ago(100), heartbeat_at=ago(0.5))
    with pytest.raises(NotAllowed):
        scheduling.request_solve(fair, None, 5)


def test_running_run_without_heartbeat_for_the_timeout_is_failed_and_the_fair_freed(app, db):
    fair = small_fair(db)
    run = add_run(db, fair, status="running", started_at=ago(100), heartbeat_at=ago(TIMEOUT + 0.5))
    new = scheduling.request_solve(fair, None, 5)
    db.session.commit()
    assert (run.status, run.failure, new.status) == ("failed", "lease_expired", "queued")
    assert run_leases.failure_label(run) == (
        "Le calcul n’a plus donné signe de vie depuis plus de 2 secondes : le processus qui le menait "
        "s’est arrêté (serveur redémarré ou interrompu). Vous pouvez lancer un nouveau calcul."
    )


def test_release_refused_when_the_holder_beat_since_it_was_read(app, db):
    fair = small_fair(db)
    run = add_run(db, fair, status="running", heartbeat_at=ago(TIMEOUT + 1))
    seen = db.session.get(ScheduleRun, run.id)
    with db.engine.begin() as conn:  # the holder beats between the look and the release
        conn.execute(db.update(ScheduleRun).where(ScheduleRun.id == run.id).values(heartbeat_at=utcnow()))
    assert run_leases.release(seen, "lease_expired") is False
    assert (seen.status, seen.failure) == ("running", "")


def test_queued_run_never_handed_to_a_queue_is_failed_after_the_timeout(app, db):
    fair = small_fair(db)
    fresh = add_run(db, fair, status="queued")
    assert run_leases.release_dead_runs(fair) == 0
    assert run_leases.release_dead_runs(fair, now=utcnow() + timedelta(seconds=TIMEOUT + 1)) == 1
    assert (fresh.status, fresh.failure) == ("failed", "not_queued")


def test_in_process_queued_run_is_held_by_its_process_heartbeat(app, db):
    fair = small_fair(db)
    run = add_run(db, fair, status="queued", job_id="thread-x", heartbeat_at=ago(TIMEOUT + 1))
    assert run_leases.dead_reason(run, utcnow()) == "lease_expired"  # its web process died
    run.heartbeat_at = utcnow()
    assert run_leases.dead_reason(run, utcnow()) is None
    run.heartbeat_at = None  # its process died before its first beat
    assert run_leases.dead_reason(run, run.created_at + timedelta(seconds=TIMEOUT + 1)) == "lease_expired"


def test_heartbeat_is_written_by_its_own_thread_without_any_solver(app, db):
    fair = small_fair(db)
    run = add_run(db, fair, status="running", started_at=utcnow(), heartbeat_at=utcnow())
    first = run.heartbeat_at
    heartbeat = solving.hold(run.id)
    try:
        time.sleep(TIMEOUT * 1.5)  # longer than the lease: only the heartbeat thread keeps it
        db.session.expire_all()
        run = db.session.get(ScheduleRun, run.id)
        assert run.heartbeat_at > first
        assert run_leases.release_if_dead(run) is False
    finally:
        solving.release_held(run.id)
    assert not heartbeat.is_alive() or heartbeat.finished.is_set()


def test_holder_learns_its_run_was_released_and_stops(app, db):
    fair = small_fair(db)
    run = add_run(db, fair, status="running", heartbeat_at=ago(TIMEOUT + 1))
    heartbeat = solving.hold(run.id)
    try:
        assert run_leases.release_if_dead(db.session.get(ScheduleRun, run.id), utcnow())
        db.session.commit()
        assert heartbeat.lost.wait(5)
        assert heartbeat.should_stop()
    finally:
        solving.release_held(run.id)


def test_cancel_of_a_dead_run_releases_it_at_once(app, db):
    fair = small_fair(db)
    run = add_run(db, fair, status="running", heartbeat_at=ago(TIMEOUT + 1))
    scheduling.request_cancel(run)
    db.session.commit()
    assert (run.status, run.failure) == ("cancelled", "lease_expired")
    scheduling.request_solve(fair, None, 5)


def test_cancel_unanswered_by_a_silent_holder_releases_within_seconds(app, db):
    fair = small_fair(db)
    run = add_run(db, fair, status="running", heartbeat_at=utcnow())  # killed just after its last beat
    assert run.stop_pending_since is None
    scheduling.request_cancel(run)
    db.session.commit()
    assert run.status == "running"  # it may still answer
    later = run.stop_pending_since + timedelta(seconds=min(run_leases.STOP_ANSWER, TIMEOUT) + 0.1)
    assert run_leases.dead_reason(run, later) == "stop_unanswered"
    assert run_leases.release_if_dead(run, later)
    assert (run.status, run.failure) == ("cancelled", "stop_unanswered")


def test_live_holder_answers_a_cancel_at_once(app, db):
    fair = small_fair(db)
    run = add_run(db, fair, status="running", heartbeat_at=utcnow())
    heartbeat = solving.hold(run.id)
    try:
        scheduling.request_cancel(run)
        db.session.commit()
        asked = run.stop_pending_since
        assert asked is not None and heartbeat.cancelled.wait(5)
        deadline = time.monotonic() + 5
        while run.stop_pending_since is not None and time.monotonic() < deadline:
            time.sleep(0.1)
            db.session.expire_all()
            run = db.session.get(ScheduleRun, run.id)
        assert run.stop_pending_since is None  # answered: alive, stopping
        later = asked + timedelta(seconds=min(run_leases.STOP_ANSWER, TIMEOUT) + 0.1)
        assert run_leases.dead_reason(run, later) is None
    finally:
        solving.release_held(run.id)


def test_in_process_solve_keeps_its_lease_and_finishes(app, db):
    app.config["SOLVE_HEARTBEAT_TIMEOUT"] = 10.0  # the happy path: a busy CI machine must not starve it
    fair = small_fair(db)
    run_id = scheduling.request_solve(fair, None, 5).id
    db.session.commit()
    jobs.enqueue_solve(run_id)
    jobs.wait(run_id, timeout=60)
    db.session.expire_all()
    run = db.session.get(ScheduleRun, run_id)
    assert (run.status, run.failure) == ("done", "")
    assert run.heartbeat_at is not None and run.heartbeat_at >= run.started_at


def test_run_page_shows_the_reason_in_french(app, db, client):
    from tests.factories import login, make_user

    fair = small_fair(db)
    user = make_user()
    from salon.models import OrganiserMembership

    db.session.add(OrganiserMembership(fair=fair, user=user, role="owner"))
    run = add_run(db, fair, status="running", heartbeat_at=ago(TIMEOUT + 1))
    login(client, user)
    page = client.get(f"/orga/fairs/{fair.id}/runs/{run.id}").get_data(as_text=True)
    assert "n’a plus donné signe de vie depuis plus de 2 secondes" in page
    assert "lease_expired" not in page
    assert client.post(f"/orga/fairs/{fair.id}/schedule", data={"time_limit": "5"}).status_code == 303


def _enqueue_on(app, redis_url, run_id):  # noqa: F811  (redis_url is the fixture's value)
    app.config["REDIS_URL"] = redis_url
    try:
        return jobs.enqueue_solve(run_id)
    finally:
        app.config["REDIS_URL"] = None


def test_queued_run_whose_job_redis_lost_is_failed_at_once(app, db, redis_url):  # noqa: F811
    from redis import Redis

    fair = small_fair(db)
    run_id = scheduling.request_solve(fair, None, 5).id
    db.session.commit()
    _enqueue_on(app, redis_url, run_id)
    app.config["REDIS_URL"] = redis_url
    try:
        run = db.session.get(ScheduleRun, run_id)
        assert run_leases.dead_reason(run, utcnow()) is None  # waiting in the queue: alive
        Redis.from_url(redis_url).flushall()
        assert run_leases.release_if_dead(run)
    finally:
        app.config["REDIS_URL"] = None
    assert (run.status, run.failure) == ("failed", "job_lost")


def test_queued_run_nobody_listens_for_is_failed_after_the_timeout(app, db, redis_url):  # noqa: F811
    from redis import Redis
    from rq import Queue, Worker

    fair = small_fair(db)
    run_id = scheduling.request_solve(fair, None, 5).id
    db.session.commit()
    job_id = _enqueue_on(app, redis_url, run_id)
    later = utcnow() + timedelta(seconds=TIMEOUT + 1)  # queued long ago, as far as checks can tell
    connection = Redis.from_url(redis_url)
    app.config["REDIS_URL"] = redis_url
    try:
        run = db.session.get(ScheduleRun, run_id)
        listening = Worker([Queue(jobs.QUEUE_NAME, connection=connection)], connection=connection)
        listening.register_birth()  # a live worker: the run just waits its turn
        assert run_leases.dead_reason(run, later) is None
        listening.register_death()
        now = utcnow()
        assert run_leases.dead_reason(run, now) is None  # seen without a worker from now on
        listening.register_birth()  # a restart of the workers: back within seconds
        assert run_leases.dead_reason(run, later) is None
        listening.register_death()
        assert run_leases.dead_reason(run, now) is None
        assert run_leases.release_if_dead(run, now + timedelta(seconds=TIMEOUT + 1))
        from rq.job import Job

        assert Job.fetch(job_id, connection=connection).get_status() == "canceled"
    finally:
        app.config["REDIS_URL"] = None
    assert (run.status, run.failure) == ("failed", "no_worker")


def test_unreachable_queue_at_request_fails_the_run_with_a_reason(app, db):
    fair = small_fair(db)
    run_id = scheduling.request_solve(fair, None, 5).id
    db.session.commit()
    with pytest.raises(run_leases.QueueUnavailable):
        _enqueue_on(app, "redis://127.0.0.1:1/0", run_id)
    run = db.session.get(ScheduleRun, run_id)
    assert (run.status, run.failure) == ("failed", "not_queued")
    scheduling.request_solve(fair, None, 5)  # the fair is free


def test_worker_start_releases_what_a_dead_worker_held(app, db, runner, redis_url):  # noqa: F811
    fair = small_fair(db)
    run_id = add_run(db, fair, status="running", job_id="rq-job-x", heartbeat_at=ago(TIMEOUT + 1)).id
    app.config["REDIS_URL"] = redis_url
    try:
        result = runner.invoke(args=["worker", "--burst"])
    finally:
        app.config["REDIS_URL"] = None
    assert result.exit_code == 0, result.output
    assert "1 abandoned run(s) released" in result.output
    db.session.expire_all()
    assert db.session.get(ScheduleRun, run_id).failure == "lease_expired"


def test_holder_that_finishes_after_its_run_was_released_keeps_nothing(app, db):
    from salon.models import DraftMeeting

    fair = small_fair(db)
    run = add_run(db, fair, status="running", started_at=utcnow(), heartbeat_at=ago(TIMEOUT + 1))
    assert run_leases.release_if_dead(run)  # it looked dead (a long pause), but its process goes on
    db.session.commit()
    heartbeat = solving.Heartbeat(run.id, db.engine, 1.0, app.logger)  # not started: no stop signal
    solving._solve_and_store(run.id, heartbeat)
    db.session.expire_all()
    stored = db.session.get(ScheduleRun, run.id)
    assert (stored.status, stored.failure, stored.solver_status) == ("failed", "lease_expired", None)
    assert db.session.scalars(select(DraftMeeting).where(DraftMeeting.run_id == run.id)).all() == []
