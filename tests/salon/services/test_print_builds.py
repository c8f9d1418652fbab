"""Printout builds: queued once, run in the background, PDF kept where every web process finds it, purged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from salon import create_app, print_jobs, queues
from salon.extensions import db as _db
from salon.models import Fair, PrintBuild
from salon.models.base import utcnow
from salon.services import NotAllowed, print_builds
from salon.services.retention import purge_fair
from tests.factories import make_fair, make_participant
from tests.salon.calendar_helpers import make_meeting
from tests.salon.pdf_reading import page_texts
from tests.salon.services.test_jobs import redis_url  # noqa: F401  (a fixture: a throwaway redis-server)


@pytest.fixture()
def fair(db):
    fair = make_fair()
    buyer = make_participant(fair, side="buyer", name="Kilo Hôpital")
    supplier = make_participant(fair, side="supplier", name="Lima Coop")
    make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    db.session.commit()
    return fair


def build(db, fair: Fair, document: str = "tables", **options) -> PrintBuild:
    """Ask for a build, run it in the background thread and return it once finished."""
    queued, created = print_builds.request_build(fair, None, document, **options)
    db.session.commit()
    assert created
    print_jobs.enqueue_build(queued.id)
    print_jobs.wait(queued.id)
    db.session.expire_all()
    return db.session.get(PrintBuild, queued.id)


def test_build_runs_in_background_and_keeps_the_pdf_in_the_database(db, fair):
    done = build(db, fair, "agendas")
    assert (done.status, done.pages, done.meetings, done.done, done.total) == ("done", 2, 1, 2, 2)
    assert done.job_id == f"thread-print-{done.id}" and done.file_name is None
    pdf = print_builds.read_pdf(done)
    assert done.size == len(pdf) and page_texts(pdf)[0].startswith("Kilo Hôpital")


def test_second_request_joins_the_build_under_way(db, fair):
    first, created = print_builds.request_build(fair, None, "agendas")
    db.session.commit()
    again, created_again = print_builds.request_build(fair, None, "agendas")
    assert (created, created_again, again.id) == (True, False, first.id)
    with force_locale("fr"), pytest.raises(NotAllowed, match="déjà en cours de préparation"):
        print_builds.request_build(fair, None, "agendas", include_empty=True)
    db.session.rollback()
    other, created_other = print_builds.request_build(fair, None, "badges")
    assert created_other and other.id != first.id
    db.session.rollback()


def test_another_web_process_serves_a_pdf_kept_in_the_shared_folder(app, db, fair, tmp_path):
    app.config["PRINT_STORAGE_DIR"] = str(tmp_path / "shared")
    try:
        done = build(db, fair, "tables")
    finally:
        app.config["PRINT_STORAGE_DIR"] = None
    assert done.status == "done" and done.file_name and done.pdf is None
    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PRINT_STORAGE_DIR": str(tmp_path / "shared"),
        },
        "config.TestConfig",
    )
    with other.app_context():
        again = _db.session.get(PrintBuild, done.id)
        pdf = print_builds.read_pdf(again)
        _db.session.remove()
    assert pdf is not None and page_texts(pdf)[0].startswith("Table 1")
    assert list((tmp_path / "shared").iterdir()) == [tmp_path / "shared" / done.file_name]


def test_old_and_replaced_builds_are_purged_with_their_files(app, db, fair, tmp_path):
    app.config["PRINT_STORAGE_DIR"] = str(tmp_path)
    try:
        first = build(db, fair, "tables").id
        second = build(db, fair, "tables")  # replaces the first: purged once the second is stored
        assert db.session.get(PrintBuild, first) is None
        assert [p.name for p in tmp_path.iterdir()] == [second.file_name]
        later = utcnow() + timedelta(hours=app.config["PRINT_KEEP_HOURS"] + 1)
        assert print_builds.purge_old_builds(db.session.get(Fair, fair.id), now=later) == 1
        db.session.commit()
    finally:
        app.config["PRINT_STORAGE_DIR"] = None
    assert db.session.scalars(db.select(PrintBuild)).all() == [] and list(tmp_path.iterdir()) == []


def test_build_silent_for_ten_minutes_is_marked_interrupted(db, fair):
    dead = PrintBuild(
        fair_id=fair.id, document="badges", status="running", heartbeat_at=utcnow() - timedelta(minutes=11)
    )
    db.session.add(dead)
    db.session.commit()
    fresh, created = print_builds.request_build(fair, None, "badges")
    db.session.commit()
    assert created and fresh.id != dead.id
    dead = db.session.get(PrintBuild, dead.id)
    assert (dead.status, dead.error) == ("failed", "interrupted")


def test_failed_build_is_marked_failed_and_keeps_nothing(app, db, fair, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    app.config["PRINT_STORAGE_DIR"] = str(blocked)  # the PDF cannot be written there
    try:
        failed = build(db, fair, "tables")
    finally:
        app.config["PRINT_STORAGE_DIR"] = None
    assert failed.status == "failed" and failed.error and failed.file_name is None and failed.pdf is None
    assert print_builds.read_pdf(failed) is None


def test_purging_a_fair_deletes_its_printouts(db, fair):
    done = build(db, fair, "agendas")
    fair = db.session.get(Fair, fair.id)
    fair.phase = "closed"
    purge_fair(fair, utcnow())
    db.session.commit()
    assert db.session.get(PrintBuild, done.id) is None


@pytest.mark.redis
def test_build_on_rq_worker_with_real_redis(app, db, fair, redis_url):  # noqa: F811
    from redis import Redis
    from rq import Queue, Worker

    queued, _created = print_builds.request_build(fair, None, "badges")
    db.session.commit()
    app.config["REDIS_URL"] = redis_url
    try:
        job_id = print_jobs.enqueue_build(queued.id)
    finally:
        app.config["REDIS_URL"] = None
    connection = Redis.from_url(redis_url)
    queue = Queue(queues.PRINT, connection=connection)
    assert queue.count == 1
    Worker([queue], connection=connection).work(burst=True)
    db.session.expire_all()
    done = db.session.get(PrintBuild, queued.id)
    assert (done.job_id, done.status, done.pages) == (job_id, "done", 1)
    assert queue.fetch_job(job_id).return_value() == "done"


def test_worker_command_serves_the_print_queue(app, db, fair, runner, redis_url):  # noqa: F811
    queued, _created = print_builds.request_build(fair, None, "tables")
    db.session.commit()
    build_id = queued.id  # the worker command ends this session: its objects are detached after
    app.config["REDIS_URL"] = redis_url
    try:
        print_jobs.enqueue_build(build_id)
        result = runner.invoke(args=["worker", "--burst", "--queue", "print"])
    finally:
        app.config["REDIS_URL"] = None
    assert result.exit_code == 0, result.output
    assert db.session.get(PrintBuild, build_id).status == "done"


def test_salon_purge_deletes_printouts_past_their_keeping_time(app, db, fair, runner):
    done = build(db, fair, "tables")
    kept = build(db, fair, "agendas")
    db.session.get(PrintBuild, done.id).finished_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "1 old printout(s) deleted" in result.output
    db.session.expire_all()
    assert db.session.scalars(db.select(PrintBuild.id)).all() == [kept.id]


def test_build_in_worker_processes_reports_its_progress(app, db, fair, monkeypatch):
    from salon.services import printouts

    monkeypatch.setitem(app.config, "PRINT_PROCESSES", 2)
    monkeypatch.setattr(printouts, "CHUNK", 1)  # two agendas, two chunks, two worker processes
    done = build(db, fair, "agendas")
    assert (done.status, done.pages, done.done, done.total) == ("done", 2, 2, 2)
    assert [t.splitlines()[0] for t in page_texts(print_builds.read_pdf(done))] == [
        "Kilo Hôpital",
        "Lima Coop",
    ]


def test_worker_failure_fails_the_build_with_its_reason(app, db, fair, monkeypatch, tmp_path):
    from salon.services import printouts

    monkeypatch.setitem(app.config, "PRINT_PROCESSES", 2)
    monkeypatch.setattr(printouts, "CHUNK", 1)
    monkeypatch.setattr(
        app, "static_folder", str(tmp_path)
    )  # no stylesheet there: the workers cannot lay out
    failed = build(db, fair, "agendas")
    assert (
        failed.status == "failed"
        and "a PDF worker failed" in failed.error
        and "printouts.css" in failed.error
    )
    assert print_builds.read_pdf(failed) is None


def test_unreachable_queue_fails_the_build_with_a_french_message(app, db, fair):
    from salon.services import DomainError
    from tests.salon.mail_server import free_port

    queued, _created = print_builds.request_build(fair, None, "badges")
    db.session.commit()
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nobody listens there
    try:
        with force_locale("fr"), pytest.raises(DomainError, match="file des tâches est injoignable"):
            print_jobs.enqueue_build(queued.id)
    finally:
        app.config["REDIS_URL"] = None
    db.session.expire_all()
    refused = db.session.get(PrintBuild, queued.id)
    assert (refused.status, refused.error) == ("failed", "not_queued")


@pytest.mark.redis
def test_dead_work_horse_fails_its_build_at_once(app, db, fair, redis_url):  # noqa: F811
    from rq.job import Job

    from salon import jobs

    queued, _created = print_builds.request_build(fair, None, "tables")
    db.session.commit()
    build_id = queued.id  # the handler ends this session: its objects are detached after
    app.config["REDIS_URL"] = redis_url
    try:
        job = Job.fetch(print_jobs.enqueue_build(build_id), connection=queues.connection())
        db.session.get(PrintBuild, build_id).status = "running"
        db.session.commit()
        jobs.horse_killed(job)  # what `salon worker` calls when the work-horse dies mid-job
    finally:
        app.config["REDIS_URL"] = None
    dead = db.session.get(PrintBuild, build_id)
    assert (dead.status, dead.error) == ("failed", "interrupted")


def test_periodic_purge_job_deletes_old_printouts(app, db, fair):
    from salon import jobs

    done = build(db, fair, "tables")
    db.session.get(PrintBuild, done.id).finished_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    assert jobs.kind("purge").run() == "0 fair(s) purged, 1 old printout(s) deleted"
    assert db.session.scalars(db.select(PrintBuild)).all() == []
