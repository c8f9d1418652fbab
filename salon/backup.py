"""`salon db backup FILE` / `salon db restore FILE`: SQLite online backup API, pg_dump/pg_restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # nosec B404 # pg_dump/pg_restore are run with an argument list, never a shell
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from salon.extensions import db


class BackupError(click.ClickException):
    """A backup or restore that cannot be done (unsupported database, missing tool, failed command)."""


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _pg_tool(name: str) -> str:
    """Return the path of a PostgreSQL client program (config SALON_PG_BIN, else the PATH)."""
    folder = current_app.config.get("SALON_PG_BIN") or os.environ.get("SALON_PG_BIN")
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found or not Path(found).exists():
        raise BackupError(f"{name} is not installed (set SALON_PG_BIN to the PostgreSQL bin folder)")
    return found


def _pg_args(url: URL) -> tuple[list[str], dict[str, str]]:
    """Return libpq connection options and an environment holding the password (never on the command line)."""
    args = ["--dbname", url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603 # fixed program path, argument list, no shell
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[:2000]}")


def _private_file(target: Path) -> None:
    """Create (or empty) `target` readable by its owner only, before any byte of the database lands in it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(descriptor)
    os.chmod(target, 0o600)  # an existing file keeps its old mode through O_CREAT


def backup_database(uri: str, target: Path) -> None:
    """Write a consistent copy of the database at `uri` to `target` (0600) while the app keeps running."""
    url = make_url(uri)
    _private_file(target)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # the online backup API: a consistent snapshot, writers are not blocked long
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("the backup copy fails SQLite's integrity check")
        finally:
            copy.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        args, env = _pg_args(url)
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args], env)
        _run([_pg_tool("pg_restore"), "--list", str(target)], env)  # the archive reads back
    else:
        raise BackupError(f"no backup method for {url.get_backend_name()}")


def restore_database(uri: str, source: Path) -> None:
    """Replace the database at `uri` with the content of the backup `source`."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    url = make_url(uri)
    db.engine.dispose()  # no pooled connection may keep the old content open
    if url.get_backend_name() == "sqlite":
        backup = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path(url))
        try:
            backup.backup(live)
        finally:
            live.close()
            backup.close()
    elif url.get_backend_name() == "postgresql":
        args, env = _pg_args(url)
        command = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([*command, *args, str(source)], env)
    else:
        raise BackupError(f"no restore method for {url.get_backend_name()}")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Back up the database to FILE (SQLite copy, or pg_dump custom format)."""
    backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    click.echo(f"backup written to {file} ({file.stat().st_size} bytes)")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace the whole database with the backup FILE."""
    if not yes:
        click.confirm("This replaces every row of the database. Continue?", abort=True)
    restore_database(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    click.echo(f"database restored from {file}")


def register(app: Flask) -> None:
    """Attach `backup` and `restore` to Flask-Migrate's `db` command group."""
    from flask_migrate.cli import db as db_group

    db_group.add_command(backup_command)
    db_group.add_command(restore_command)
