"""Salon: business-meeting fairs for the social and solidarity economy (ESS)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent


def web_folder(name: str) -> str:
    """Return templates/ or static/: inside the package when installed from a wheel, else beside it."""
    inside = PACKAGE / name
    return str(inside if inside.is_dir() else ROOT / name)


def create_app(
    overrides: dict[str, Any] | None = None, config_object: str = "config.Config", for_requests: bool = True
) -> Flask:
    """Build the Salon application: config, extensions, blueprints, CLI and error pages.

    As WSGI servers call it (`gunicorn "salon:create_app()"`) it refuses to start without a strong SECRET_KEY
    (except in debug and tests); `for_requests=False` is for commands that serve no request.
    """
    app = Flask(
        __name__,
        template_folder=web_folder("templates"),
        static_folder=web_folder("static"),
        instance_path=os.environ.get("SALON_INSTANCE_PATH") or str(ROOT / "instance"),
    )
    app.config.from_object(config_object)
    if overrides:
        app.config.update(overrides)
    from salon import keys, logs

    keys.configure(app, for_requests=for_requests)
    _sqlite_folder(app)
    logs.configure(app)  # first: every later hook and error already has the request id
    app.url_map.converters["int"] = DatabaseIdConverter
    _init_extensions(app)
    _register_blueprints(app)
    from salon import errors, preparing, security, templating

    errors.register(app)
    templating.register(app)
    security.register(app)
    preparing.register(app)
    from salon.cli import register_commands

    register_commands(app)
    return app


def _sqlite_folder(app: Flask) -> None:
    """Create the missing folder of a SQLite database file (the default one lies in the instance folder)."""
    from sqlalchemy.engine import make_url

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        folder = Path(url.database).parent
        if not folder.exists():
            folder.mkdir(parents=True, exist_ok=True)


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in URLs: values beyond an INTEGER column answer 404, never a database error."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002, ANN001, ANN002, ANN003
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _init_extensions(app: Flask) -> None:
    from salon import i18n, models  # noqa: F401  (models registers every table)
    from salon.auth import load_user
    from salon.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.user_loader(load_user)
    limiter.init_app(app)
    i18n.warn_if_stale(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=";".join(i18n.translation_directories()),
    )


def _register_blueprints(app: Flask) -> None:
    from salon.views import auth, ops, organiser, participant, public

    for module in (public, auth, participant, organiser, ops):
        app.register_blueprint(module.bp)


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    """Switch SQLite's foreign keys on for every connection (off by default)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
