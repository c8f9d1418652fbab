"""Fixtures of the operations tests: a seeded database other processes can open, a Redis server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from flask import Flask

from salon import create_app
from salon.extensions import db
from tests.salon.services.test_jobs import redis_url  # noqa: F401  (a throwaway redis-server)

TIMEOUT = 3  # seconds of silence after which a solve's holder counts as gone, in these tests


@dataclass
class Seeded:
    """The demo fair, ready to schedule (180 participants: a solve that uses its whole time limit)."""

    url: str
    fair_id: int
    email: str
    password: str


def seeding_app(url: str, **config) -> Flask:
    """Return an app on the shared database, as the tests' side of it (fast password hashes)."""
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SOLVE_HEARTBEAT_TIMEOUT": TIMEOUT, **config}, "config.TestConfig"
    )


def seed_demo_fair(app: Flask, create_schema: bool = True) -> Seeded:
    """Create the schema (unless the release step did) and the demo fair in its scheduling phase."""
    from salon.demo import ORGANISER_EMAIL, PASSWORD, create_demo_fair

    with app.app_context():
        if create_schema:
            db.create_all()
        fair, _created = create_demo_fair()
        fair.phase = "scheduling"
        db.session.commit()
        seeded = Seeded(app.config["SQLALCHEMY_DATABASE_URI"], fair.id, ORGANISER_EMAIL, PASSWORD)
        db.session.remove()
    return seeded


def seed_small_fair(app: Flask, organiser_email: str) -> int:
    """Add a small fair of the same organiser, ready to schedule: 2 buyers, 4 suppliers, a person each."""
    from salon.models import User
    from tests.factories import make_fair, make_participant, make_wish
    from tests.salon.services.dayof_world import add_attendee

    with app.app_context():
        organiser = db.session.scalar(db.select(User).where(User.email == organiser_email))
        fair = make_fair(name="Petit salon", organiser=organiser, phase="scheduling")
        buyers = [make_participant(fair, "buyer") for _ in range(2)]
        suppliers = [make_participant(fair, "supplier") for _ in range(4)]
        for i, participant in enumerate(buyers + suppliers):
            add_attendee(participant, f"Personne {i + 1}", f"personne{i + 1}@example.org")
        for i, supplier in enumerate(suppliers):
            make_wish(buyers[i % 2], supplier, 3)
        db.session.commit()
        fair_id = fair.id
        db.session.remove()
    return fair_id


def solving_for(app: Flask, run_id: int, seconds: float) -> bool:
    """Say whether the run has been solving for at least `seconds`."""
    from salon.models import ScheduleRun
    from salon.models.base import utcnow

    with app.app_context():
        run = db.session.get(ScheduleRun, run_id)
        started = run.started_at if run.status == "running" else None
        db.session.remove()
    return started is not None and (utcnow() - started).total_seconds() >= seconds


@contextmanager
def inside(app: Flask) -> Iterator[None]:
    """Run service calls as a request would (translated messages need one)."""
    with app.app_context(), app.test_request_context():
        try:
            yield
        finally:
            db.session.remove()


@pytest.fixture()
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'salon.sqlite3'}"
