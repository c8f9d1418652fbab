"""Shared fixtures: a real database (SQLite file, or PostgreSQL when SALON_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from salon import create_app, jobs
from salon.extensions import db as _db


def _worker_database(url: str, worker: str) -> str:
    """Create (once) a PostgreSQL database of its own for this xdist worker and return its URL."""
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def pytest_configure(config) -> None:  # noqa: ANN001
    """Compile stale catalogues once, before any xdist worker starts (the app never compiles them)."""
    if not hasattr(config, "workerinput"):
        from salon.catalogues import compile_catalogues

        compile_catalogues()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id) -> str:
    """Return the test database URL: PostgreSQL if configured (one database per worker), else SQLite."""
    url = os.environ.get("SALON_TEST_DATABASE_URL")
    if url:
        return url if worker_id == "master" else _worker_database(url, worker_id)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'salon-test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url):
    """Return the application, with its schema created once for the whole test session."""
    application = create_app({"SQLALCHEMY_DATABASE_URI": database_url}, config_object="config.TestConfig")
    with application.app_context():
        _db.drop_all()
        _db.create_all()
    yield application
    with application.app_context():
        _db.engine.dispose()


def _empty_all_tables() -> None:
    """Delete every row (PostgreSQL: TRUNCATE), leaving the schema in place."""
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture()
def db(app):
    """Yield the database inside an app context; empty every table afterwards."""
    with app.app_context():
        yield _db
        jobs.wait_all()  # a background solve still writing would deadlock with the emptying below
        _db.session.remove()
        _empty_all_tables()


class FreshContextClient(FlaskClient):
    """A test client whose every request runs in an app context of its own, as in production.

    The `db` fixture keeps an app context pushed for the test's own queries; without this, requests would
    share it (its `g`, so Flask-Login's cached user, and its database session). The test's pending rows are
    committed before each request and its objects expired after it, so assertions read what it stored.
    """

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        _db.session.commit()  # what the test set up is what the request sees
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.expire_all()  # the test re-reads rows the request changed
        return response


@pytest.fixture()
def client(app, db):
    """Return a test client on a clean database; each request gets a fresh app context."""
    app.test_client_class = FreshContextClient
    return app.test_client()


@pytest.fixture()
def runner(app, db):
    """Return a CLI runner on a clean database."""
    return app.test_cli_runner()
