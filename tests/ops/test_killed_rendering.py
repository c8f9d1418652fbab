"""A "prepare" job killed (SIGKILL) in the middle of rendering loses no e-mail and, re-run, duplicates none.

A real RQ worker started with the recipe's command renders a publication's e-mails; the test holds a lock
that keeps the work-horse's batch from committing (SQLite: a reader's shared lock; PostgreSQL: a row lock
on one of the intents the batch deletes), kills the work-horse there, and then lets the job run again.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from redis import Redis
from rq import Worker
from sqlalchemy import create_engine, func, make_url, select, text

from salon import jobs
from salon.extensions import db
from salon.models import NotificationIntent, OutboxMessage
from salon.services.notice_rendering import BATCH
from salon.services.publishing import publish_run
from tests.factories import make_fair, make_participant
from tests.ops.conftest import seeding_app
from tests.ops.stack import Stack, base_env, children, kill, wait_for
from tests.salon.calendar_helpers import add_attendee
from tests.salon.services.test_jobs import redis_url  # noqa: F401  (a throwaway redis-server)
from tests.salon.services.test_publishing import make_run
from tests.security.conftest import skip_or_fail
from tests.security.live import scratch_database

PAIRS = 50  # 100 agendas: one batch (BATCH), so a killed batch leaves nothing rendered


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'salon.sqlite3'}"
        return
    url = os.environ.get("SALON_TEST_POSTGRES_URL")
    if not url:
        skip_or_fail("SALON_TEST_POSTGRES_URL is not set (start one with scripts/services.sh)")
    with scratch_database(url) as scratch:
        yield scratch


def _publish(app) -> int:  # noqa: ANN001
    """Publish a first schedule of PAIRS meetings (its agendas become intents); return the fair's id."""
    with app.app_context(), app.test_request_context():
        db.create_all()
        fair = make_fair(phase="scheduling", slots_per_session=1, tables=PAIRS)
        drafts = []
        for i in range(PAIRS):
            buyer, supplier = make_participant(fair, "buyer"), make_participant(fair, "supplier")
            add_attendee(buyer, f"Acheteuse {i}", f"acheteuse{i}@example.org")
            add_attendee(supplier, f"Fournisseur {i}", f"fournisseur{i}@example.org")
            drafts.append((buyer, supplier, 0, i))
        publish_run(make_run(fair, drafts))
        db.session.commit()
        fair_id = fair.id
        db.session.remove()
        return fair_id


def _counts(app) -> tuple[int, int, int]:  # noqa: ANN001
    """Return (outbox messages, distinct recipients and kinds among them, intents left)."""
    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.kind, OutboxMessage.to_address)).all()
        left = db.session.scalar(select(func.count()).select_from(NotificationIntent))
        db.session.remove()
    return len(rows), len(Counter(rows)), left


@contextmanager
def _batch_held_open(url: str) -> Iterator[callable]:
    """Keep any rendering batch from committing; yield a check that one is under way and stuck."""
    if url.startswith("sqlite"):
        path = make_url(url).database
        reader = sqlite3.connect(path, isolation_level=None, timeout=0)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM notification_intents").fetchone()  # a shared lock: no commit
        probe = sqlite3.connect(path, isolation_level=None, timeout=0)

        def stuck() -> bool:  # the batch has taken the write lock (it starts with the fair's lock)
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            probe.execute("ROLLBACK")
            return False

        try:
            yield stuck
        finally:
            reader.execute("ROLLBACK")
            reader.close()
            probe.close()
        return
    engine = create_engine(url)
    with engine.connect() as holder, engine.connect() as probe:
        holder.execute(text("SELECT id FROM notification_intents ORDER BY id DESC LIMIT 1 FOR UPDATE"))
        waiting = text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE 'DELETE FROM notification_intents%'"
        )

        def stuck() -> bool:  # the batch wrote its messages and waits to delete its intents
            found = bool(probe.execute(waiting).scalar())
            probe.rollback()  # pg_stat_activity is read once per transaction
            return found

        try:
            yield stuck
        finally:
            holder.rollback()
    engine.dispose()


def test_killed_work_horse_mid_rendering_loses_and_duplicates_nothing(tmp_path, database_url, redis_url):  # noqa: F811
    app = seeding_app(database_url, REDIS_URL=redis_url)
    _publish(app)
    assert PAIRS * 2 <= BATCH and _counts(app) == (0, 0, PAIRS * 2)
    stack = Stack(base_env(DATABASE_URL=database_url, REDIS_URL=redis_url), tmp_path)
    try:
        worker = stack.start("worker")
        redis = Redis.from_url(redis_url)
        wait_for(lambda: Worker.all(connection=redis), 60, "the worker listens")
        with _batch_held_open(database_url) as stuck:
            with app.app_context():
                jobs.enqueue("prepare")
            wait_for(stuck, 60, "the work-horse renders a batch", every=0.05)
            time.sleep(0.5)  # well inside the batch: rendering, or waiting to commit
            (horse,) = children(worker.pid)
            kill(horse)
        assert _counts(app) == (0, 0, PAIRS * 2)  # nothing half-written, nothing lost
        with app.app_context():
            jobs.enqueue("prepare")  # the next run (the periodic mail job does the same)
        wait_for(lambda: _counts(app)[2] == 0, 60, "the job, run again, renders everything")
        assert _counts(app) == (PAIRS * 2, PAIRS * 2, 0)  # each agenda once
        assert worker.poll() is None  # the worker itself lived on
    finally:
        stack.stop_all()
