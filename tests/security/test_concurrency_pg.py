"""PostgreSQL under concurrent requests on a live server: no lost wish, no duplicate, one solve at a time."""

from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import create_engine, func, select, text

from salon.extensions import db
from salon.models import DraftMeeting, ScheduleRun, Wish
from salon.services import scheduling
from solver.schedule import SolveResult
from solver.validate import violations
from tests.factories import PASSWORD, make_fair, make_participant, make_user, make_wish
from tests.security.conftest import skip_or_fail
from tests.security.live import at_once, live_server, post, scratch_database, sign_in

pytestmark = pytest.mark.postgres
WISH_UNIQUE = "uq_wishes_source_id_target_id"
RUN_UNIQUE = "uq_schedule_runs_one_running_per_fair"


@pytest.fixture()
def pg_database():
    """Yield a fresh database on the test PostgreSQL server (SALON_TEST_POSTGRES_URL)."""
    url = os.environ.get("SALON_TEST_POSTGRES_URL")
    if not url:
        skip_or_fail("SALON_TEST_POSTGRES_URL is not set (start one with scripts/pg_test_cluster.sh)")
    with scratch_database(url) as database_url:
        yield database_url


@pytest.fixture()
def live(pg_database):
    with live_server(pg_database) as server:
        yield server


def _wish_fair(app, buyers: int, suppliers: int, phase: str = "wishes"):
    """Create a fair with signed-up buyers and suppliers; return (fair id, [(participant id, email)])."""
    with app.app_context():
        fair = make_fair(phase=phase, slots_per_session=4, tables=4)
        people = []
        for side, count in (("buyer", buyers), ("supplier", suppliers)):
            for _ in range(count):
                user = make_user()
                people.append((make_participant(fair, side=side, user=user), user.email))
        db.session.commit()
        return fair.id, [(p.id, p.side, email) for p, email in people]


def _count(app, model, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(model).filter_by(**where)
        count = db.session.scalar(query)
        db.session.remove()
        return count


def _statuses(results) -> list:  # noqa: ANN001
    return sorted(r.status_code if hasattr(r, "status_code") else repr(r) for r in results)


def test_concurrent_wishes_from_50_participants_all_persist(live):
    fair_id, people = _wish_fair(live.app, buyers=25, suppliers=25)
    buyers = [p for p in people if p[1] == "buyer"]
    suppliers = [p for p in people if p[1] == "supplier"]
    cookies = {pid: sign_in(live, email, PASSWORD) for pid, _, email in people}
    calls = []
    for i, (pid, side, _) in enumerate(people):
        others = suppliers if side == "buyer" else buyers
        for k in range(4):
            target = others[(i + k * 5) % len(others)][0]
            calls.append(
                post(live, f"/p/{pid}/wishes", cookies[pid], {"target_id": target, "choice": 1 + k % 3})
            )
    results = at_once(calls)
    assert len(calls) == 200
    assert all(getattr(r, "status_code", 0) in (302, 303) for r in results), _statuses(results)
    assert _count(live.app, Wish, fair_id=fair_id) == 200


def _same_form_ten_times(live) -> tuple[list, int]:  # noqa: ANN001
    fair_id, people = _wish_fair(live.app, buyers=1, suppliers=1)
    (buyer, _, email), (supplier, _, _) = people
    cookies = sign_in(live, email, PASSWORD)
    form = {"target_id": supplier, "choice": 3}
    results = at_once([post(live, f"/p/{buyer}/wishes", cookies, form) for _ in range(10)])
    return results, _count(live.app, Wish, source_id=buyer, target_id=supplier)


def test_same_wish_submitted_ten_times_at_once_gives_one_row(live):
    results, rows = _same_form_ten_times(live)
    assert all(getattr(r, "status_code", 0) in (302, 303) for r in results), _statuses(results)
    assert rows == 1


def test_control_without_unique_constraint_the_race_is_seen(live):
    with live.app.app_context():
        db.session.execute(text(f"ALTER TABLE wishes DROP CONSTRAINT {WISH_UNIQUE}"))
        db.session.commit()
    worst = 0
    for _ in range(8):  # a race is likely, not certain, in one round: a few rounds make it visible
        _, rows = _same_form_ten_times(live)
        worst = max(worst, rows)
        if worst > 1:
            break
    assert worst > 1, "the harness could not show a duplicate without the constraint"


def _solve_fair(app) -> tuple[int, dict]:  # noqa: ANN001
    """Create a small fair in the scheduling phase with wishes; return its id and the organiser's cookies."""
    with app.app_context():
        organiser = make_user()
        fair = make_fair(phase="scheduling", slots_per_session=3, tables=3, organiser=organiser)
        buyers = [make_participant(fair, side="buyer") for _ in range(4)]
        suppliers = [make_participant(fair, side="supplier") for _ in range(5)]
        for i, b in enumerate(buyers):
            for k in range(3):
                make_wish(b, suppliers[(i + k) % len(suppliers)], priority=3 - k)
        db.session.commit()
        return fair.id, organiser.email


def _watch_drafts(app, stop: threading.Event, seen: set) -> None:  # noqa: ANN001
    """Record every number of draft rows visible while the solve runs (a half-written draft would show)."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as conn:
        while not stop.is_set():
            seen.add(conn.execute(select(func.count()).select_from(DraftMeeting)).scalar_one())
            conn.rollback()
            time.sleep(0.005)
    engine.dispose()


def _wait_finished(app, fair_id: int, timeout: float = 90) -> list[ScheduleRun]:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            runs = db.session.scalars(select(ScheduleRun).where(ScheduleRun.fair_id == fair_id)).all()
            if runs and all(r.status not in ("queued", "running") for r in runs):
                db.session.expunge_all()
                return list(runs)
            db.session.remove()
        time.sleep(0.2)
    raise AssertionError("the solve did not finish in time")


def _validated(app, fair_id: int, run_id: int) -> list:  # noqa: ANN001
    """Return the validator's complaints about the stored draft of a run."""
    with app.app_context():
        fair = db.session.get(scheduling.Fair, fair_id)
        maps = scheduling.load_maps(fair)
        instance = scheduling.build_instance(fair, maps=maps)
        run = db.session.get(ScheduleRun, run_id)
        meetings = [maps.to_scheduled(spec) for spec in scheduling.draft_specs(run)]
        result = SolveResult(run.solver_status or "unknown", meetings, objective=dict(run.objective or {}))
        found = violations(instance, result)
        db.session.remove()
        return found


def test_two_concurrent_solves_start_one_job_and_store_whole_schedule(live):
    fair_id, email = _solve_fair(live.app)
    cookies = sign_in(live, email, PASSWORD)
    stop, seen = threading.Event(), set()
    watcher = threading.Thread(target=_watch_drafts, args=(live.app, stop, seen))
    watcher.start()
    try:
        path = f"/orga/fairs/{fair_id}/schedule"
        results = at_once([post(live, path, cookies, {"time_limit": 3}) for _ in range(2)])
        runs = _wait_finished(live.app, fair_id)
        time.sleep(0.1)
    finally:
        stop.set()
        watcher.join()
    assert _statuses(results) == [303, 409]
    assert len(runs) == 1
    final = _count(live.app, DraftMeeting, run_id=runs[0].id)
    assert runs[0].status == "done" and final > 0
    assert seen <= {0, final}, f"a half-written schedule was visible: {sorted(seen)}"
    assert _validated(live.app, fair_id, runs[0].id) == []


def test_control_without_partial_index_concurrent_solves_race(live):
    with live.app.app_context():
        db.session.execute(text(f"DROP INDEX {RUN_UNIQUE}"))
        db.session.commit()
    fair_id, email = _solve_fair(live.app)
    cookies = sign_in(live, email, PASSWORD)
    results = at_once(
        [post(live, f"/orga/fairs/{fair_id}/schedule", cookies, {"time_limit": 1}) for _ in range(4)]
    )
    runs = _wait_finished(live.app, fair_id)
    assert len(runs) > 1, "the harness could not show two solves without the index"
    assert _statuses(results).count(303) == len(runs)
