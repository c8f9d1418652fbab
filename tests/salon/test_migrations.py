"""Alembic migrations: upgrading an empty database gives exactly the models' schema."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from salon import create_app
from salon.extensions import db
from tests.security.conftest import skip_or_fail
from tests.security.live import scratch_database


def _app(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url}, config_object="config.TestConfig")


def test_upgrade_from_empty_matches_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = _app(url)
    with app.app_context():
        upgrade()
        engine = create_engine(url)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        engine.dispose()
    assert differences == []


def test_downgrade_to_base_removes_every_table(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = _app(url)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        engine = create_engine(url)
        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
        engine.dispose()
    assert tables == set()


@pytest.mark.postgres
def test_upgrade_matches_models_and_downgrades_on_postgresql():
    url = os.environ.get("SALON_TEST_POSTGRES_URL")
    if not url:
        skip_or_fail("SALON_TEST_POSTGRES_URL is not set")
    with scratch_database(url) as database_url:
        app = _app(database_url)
        with app.app_context():
            upgrade()
            engine = create_engine(database_url)
            with engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                differences = compare_metadata(context, db.metadata)
            engine.dispose()
            downgrade(revision="base")
            engine = create_engine(database_url)
            tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
            engine.dispose()
            db.engine.dispose()
    assert differences == []
    assert tables == set()
