"""Backups: `salon db backup FILE` then `salon db restore FILE` give back every row (SQLite, PostgreSQL)."""

from __future__ import annotations

import os
import shutil
import stat

import pytest

from salon.extensions import db as _db
from salon.models import Fair, User
from tests.factories import make_user
from tests.security.conftest import skip_or_fail
from tests.security.live import live_server, scratch_database
from tests.security.matrix import snapshot
from tests.security.world import build_world


def _spoil() -> None:
    """Change the data after the backup: delete a fair, add an account, edit a name."""
    fair = _db.session.scalars(_db.select(Fair)).first()
    _db.session.delete(fair)
    make_user(email="late@example.org")
    user = _db.session.scalars(_db.select(User)).first()
    user.full_name = "Changed after the backup"
    _db.session.commit()


def _round_trip(runner, path) -> None:  # noqa: ANN001
    build_world()
    before = snapshot()
    backup = runner.invoke(args=["db", "backup", str(path)])
    assert backup.exit_code == 0, backup.output
    assert path.stat().st_size > 0
    _spoil()
    assert snapshot() != before
    _db.session.remove()
    refused = runner.invoke(args=["db", "restore", str(path)], input="n\n")
    assert refused.exit_code != 0
    restore = runner.invoke(args=["db", "restore", str(path), "--yes"])
    assert restore.exit_code == 0, restore.output
    assert snapshot() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the backup holds every account: owner only


def test_sqlite_backup_and_restore_round_trip(runner, database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        pytest.skip("the session database is not SQLite")
    _round_trip(runner, tmp_path / "salon-backup.sqlite3")


def test_backup_file_is_private_whatever_the_umask_or_an_older_file(runner, database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        pytest.skip("the session database is not SQLite")
    build_world()
    fresh, older = tmp_path / "fresh.sqlite3", tmp_path / "older.sqlite3"
    older.write_bytes(b"")
    older.chmod(0o644)
    previous = os.umask(0o022)
    try:
        for path in (fresh, older):
            result = runner.invoke(args=["db", "backup", str(path)])
            assert result.exit_code == 0, result.output
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(previous)


def test_restore_refuses_missing_file(runner, tmp_path):
    result = runner.invoke(args=["db", "restore", str(tmp_path / "none.dump"), "--yes"])
    assert result.exit_code != 0
    assert "no backup file" in result.output


@pytest.mark.postgres
def test_postgresql_backup_and_restore_round_trip(tmp_path):
    url = os.environ.get("SALON_TEST_POSTGRES_URL")
    if not url:
        skip_or_fail("SALON_TEST_POSTGRES_URL is not set")
    if shutil.which("pg_dump") is None:
        skip_or_fail("pg_dump is not installed")
    with scratch_database(url) as database_url, live_server(database_url) as live:
        with live.app.app_context():
            _round_trip(live.app.test_cli_runner(), tmp_path / "salon.dump")
            assert (tmp_path / "salon.dump").read_bytes()[:5] == b"PGDMP"
            _db.session.remove()
