"""Alembic migrations: upgrading an empty database gives exactly the models' schema."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from salon import create_app
from salon.extensions import db
from salon.models.search_index import include_name
from tests.security.conftest import skip_or_fail
from tests.security.live import scratch_database

COMPARE = {"compare_type": True, "include_name": include_name}  # the full-text index's tables are not models


def _app(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url}, config_object="config.TestConfig")


def test_upgrade_from_empty_matches_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = _app(url)
    with app.app_context():
        upgrade()
        engine = create_engine(url)
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            )
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
def test_upgrade_on_postgresql_matches_models_builds_the_search_index_and_downgrades():
    url = os.environ.get("SALON_TEST_POSTGRES_URL")
    if not url:
        skip_or_fail("SALON_TEST_POSTGRES_URL is not set")
    with scratch_database(url) as database_url:
        app = _app(database_url)
        with app.app_context():
            upgrade()
            engine = create_engine(database_url)
            with engine.connect() as conn:
                context = MigrationContext.configure(conn, opts=COMPARE)
                differences = compare_metadata(context, db.metadata)
                folded = conn.execute(
                    text("SELECT to_tsvector('salon_fold', 'Hôpital Œuvre')::text")
                ).scalar()
                index = conn.execute(
                    text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_organisations_search'")
                ).scalar()
            engine.dispose()
            downgrade(revision="base")
            engine = create_engine(database_url)
            tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
            engine.dispose()
            db.engine.dispose()
    assert differences == []
    assert tables == set()
    assert folded == "'hopital':1 'oeuvre':2"
    assert "gin" in index and "salon_fold" in index
