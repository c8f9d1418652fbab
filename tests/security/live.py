"""A live Salon on 127.0.0.1 (threaded werkzeug) over its own PostgreSQL database, and an HTTP crowd."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import requests
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from salon import create_app
from salon.extensions import db

POOL = {"pool_size": 30, "max_overflow": 70, "pool_timeout": 60, "pool_pre_ping": True}


@contextmanager
def scratch_database(base_url: str) -> Iterator[str]:
    """Create a fresh database on the server of `base_url`; drop it afterwards."""
    name = f"salon_sec_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(base_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n").bindparams(
                    n=name
                )
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@dataclass
class Live:
    app: Flask
    url: str


@contextmanager
def live_server(database_url: str, **overrides) -> Iterator[Live]:
    """Serve a Salon app (schema created) on a free 127.0.0.1 port in a thread."""
    config = {"SQLALCHEMY_DATABASE_URI": database_url, "SQLALCHEMY_ENGINE_OPTIONS": POOL, **overrides}
    app = create_app(config, config_object="config.TestConfig")
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def sign_in(live: Live, email: str, password: str) -> dict[str, str]:
    """Sign in through the real form; return the session cookies."""
    response = requests.post(
        f"{live.url}/login", data={"email": email, "password": password}, allow_redirects=False, timeout=30
    )
    assert response.status_code == 302, response.status_code
    return response.cookies.get_dict()


def at_once(calls: list[Callable[[], requests.Response]]) -> list[requests.Response | Exception]:
    """Run every call in its own thread, released together by a barrier; return responses or errors."""
    barrier = threading.Barrier(len(calls))

    def fire(call: Callable[[], requests.Response]) -> requests.Response | Exception:
        barrier.wait()
        try:
            return call()
        except Exception as exc:  # noqa: BLE001  (a refused connection is a result to report)
            return exc

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(fire, calls))


def post(live: Live, path: str, cookies: dict, data: dict) -> Callable[[], requests.Response]:
    """Return a call that posts a form as the holder of `cookies` (no redirect following)."""
    return lambda: requests.post(
        f"{live.url}{path}", data=data, cookies=cookies, allow_redirects=False, timeout=120
    )
