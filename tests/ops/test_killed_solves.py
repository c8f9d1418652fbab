"""Finding 3: a solve whose process is killed (SIGKILL) releases its fair within the heartbeat timeout.

Real processes, started with the recipe's commands: a gunicorn web process solving in-process (no
Redis), and an RQ worker whose work-horse solves. Each is killed a few seconds into a long solve of the
demo fair (180 participants, a 120-second limit); the run must be failed with its reason in French within
the heartbeat timeout, and a new solve accepted (no 409).
"""

from __future__ import annotations

import time

from salon import jobs
from salon.extensions import db
from salon.models import Fair, ScheduleRun
from salon.services import run_leases, scheduling
from tests.ops.conftest import TIMEOUT, inside, seed_demo_fair, seeding_app, solving_for
from tests.ops.stack import Browser, Stack, base_env, children, kill, wait_for, wait_http
from tests.salon.mail_server import free_port

SLACK = 3  # seconds for the check itself on a busy machine (a page load, a new gunicorn worker booting)


def run_row(app, run_id: int) -> ScheduleRun:
    with app.app_context():
        run = db.session.get(ScheduleRun, run_id)
        db.session.expunge(run)
        return run


def test_killed_web_process_releases_its_solve_within_the_heartbeat_timeout(tmp_path, sqlite_url):
    app = seeding_app(sqlite_url)
    seeded = seed_demo_fair(app)
    port = free_port()
    env = base_env(
        DATABASE_URL=sqlite_url,
        SALON_SOLVE_HEARTBEAT_TIMEOUT=str(TIMEOUT),
        WEB_CONCURRENCY="1",
        SALON_BIND=f"127.0.0.1:{port}",
    )
    stack = Stack(env, tmp_path)
    try:
        master = stack.start("web")
        wait_http(f"http://127.0.0.1:{port}/")
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.sign_in(seeded.email, seeded.password)
        schedule = f"/orga/fairs/{seeded.fair_id}/schedule"
        response = browser.post(schedule, {"time_limit": "120"})
        assert response.status_code == 303
        run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
        wait_for(lambda: solving_for(app, run_id, 2), 60, "the solve runs in the web process")
        (web_worker,) = children(master.pid)
        kill(web_worker)
        killed = time.monotonic()
        run_page = f"/orga/fairs/{seeded.fair_id}/runs/{run_id}"
        wait_for(
            lambda: "n’a plus donné signe de vie" in browser.text_or_nothing(run_page),
            TIMEOUT + SLACK,
            "the run page says the solve stopped",
            every=0.3,
        )
        assert time.monotonic() - killed <= TIMEOUT + SLACK
        run = run_row(app, run_id)
        assert (run.status, run.failure) == ("failed", "lease_expired")
        again = browser.post(schedule, {"time_limit": "60"})
        assert again.status_code == 303  # not 409: the fair is free
        new_id = int(again.headers["Location"].rstrip("/").split("/")[-1])
        wait_for(lambda: run_row(app, new_id).status == "running", 30, "the new solve starts")
        stop = browser.post(f"/orga/fairs/{seeded.fair_id}/runs/{new_id}/cancel", {}, form_page=run_page)
        assert stop.status_code == 303
        wait_for(lambda: run_row(app, new_id).status in ("done", "cancelled"), 30, "a live solve stops")
        assert run_row(app, new_id).failure == ""  # answered by its live holder, not released
    finally:
        stack.stop_all()


def start_solve(app, seeded, time_limit: float = 120) -> int:
    with inside(app):
        fair = db.session.get(Fair, seeded.fair_id)
        run = scheduling.request_solve(fair, None, time_limit)
        db.session.commit()
        jobs.enqueue_solve(run.id)
        return run.id


def test_killed_work_horse_releases_its_solve_at_once(tmp_path, sqlite_url, redis_url):
    app = seeding_app(sqlite_url, REDIS_URL=redis_url)
    seeded = seed_demo_fair(app)
    env = base_env(DATABASE_URL=sqlite_url, REDIS_URL=redis_url, SALON_SOLVE_HEARTBEAT_TIMEOUT=str(TIMEOUT))
    stack = Stack(env, tmp_path)
    try:
        worker = stack.start("worker")
        run_id = start_solve(app, seeded)
        wait_for(lambda: solving_for(app, run_id, 2), 60, "the work-horse solves")
        (horse,) = children(worker.pid)
        kill(horse)
        killed = time.monotonic()
        wait_for(lambda: run_row(app, run_id).status == "failed", TIMEOUT, "the worker releases the run")
        assert time.monotonic() - killed <= TIMEOUT
        assert run_row(app, run_id).failure == "worker_killed"
        with inside(app):
            label = run_leases.failure_label(db.session.get(ScheduleRun, run_id))
        assert label.startswith("Le processus qui menait le calcul a été arrêté avant la fin")
        second = start_solve(app, seeded, time_limit=3)  # accepted, and the same worker runs it
        wait_for(lambda: run_row(app, second).status == "done", 60, "the worker solves again")
    finally:
        stack.stop_all()


def test_killed_worker_machine_releases_its_solve_by_the_heartbeat(tmp_path, sqlite_url, redis_url):
    app = seeding_app(sqlite_url, REDIS_URL=redis_url)
    seeded = seed_demo_fair(app)
    env = base_env(DATABASE_URL=sqlite_url, REDIS_URL=redis_url, SALON_SOLVE_HEARTBEAT_TIMEOUT=str(TIMEOUT))
    stack = Stack(env, tmp_path)
    try:
        worker = stack.start("worker")
        run_id = start_solve(app, seeded)
        wait_for(lambda: solving_for(app, run_id, 2), 60, "the work-horse solves")
        (horse,) = children(worker.pid)
        kill(worker.pid)  # the worker first, so nobody sees the horse die: as when a machine goes down
        kill(horse)
        killed = time.monotonic()

        def released() -> bool:  # what the run page, a solve request or the sweep does
            with inside(app):
                run_leases.release_dead_runs()
                db.session.commit()
            return run_row(app, run_id).status == "failed"

        wait_for(released, TIMEOUT + SLACK, "the run is released once its heartbeat is stale")
        assert time.monotonic() - killed <= TIMEOUT + SLACK
        assert run_row(app, run_id).failure == "lease_expired"
        with inside(app):
            scheduling.request_solve(db.session.get(Fair, seeded.fair_id), None, 5)
    finally:
        stack.stop_all()
