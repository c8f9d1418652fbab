"""The README's deployment without Redis: two gunicorn processes on one database share the sign-in limits."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from salon import create_app
from salon.extensions import db
from tests.factories import PASSWORD, make_user
from tests.security.conftest import free_port

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
WRONG = "wrong password 123"


@contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    """Serve `salon:create_app()` as production does (CSRF on, strict limits) in a process of its own."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "salon:create_app()"]
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/login", timeout=30).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _sign_in(browser: requests.Session, url: str, email: str, password: str) -> int:
    """Post the real form (with the CSRF token the page gives) and return the status."""
    token = TOKEN.search(browser.get(f"{url}/login", timeout=30).text).group(1)
    form = {"email": email, "password": password, "csrf_token": token}
    return browser.post(f"{url}/login", data=form, allow_redirects=False, timeout=30).status_code


@pytest.fixture()
def production_env(tmp_path) -> dict[str, str]:
    """A SQLite database with one account, and the environment of a production web process (no Redis)."""
    url = f"sqlite:///{tmp_path / 'salon.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url}, for_requests=False)
    with app.app_context():
        db.create_all()
        make_user(email="owner@example.org")
        db.session.commit()
        db.engine.dispose()
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(32),
        "SESSION_COOKIE_SECURE": "0",  # plain HTTP on the loopback address
    }


def test_eleventh_failure_refused_whichever_process_answers(production_env, tmp_path):
    with gunicorn(production_env, tmp_path / "a.log") as a, gunicorn(production_env, tmp_path / "b.log") as b:
        owner = requests.Session()
        assert _sign_in(owner, a, "owner@example.org", PASSWORD) == 302  # the owner's browser, before
        guesser = requests.Session()
        failures = [_sign_in(guesser, (a, b)[i % 2], "owner@example.org", WRONG) for i in range(10)]
        assert failures == [400] * 10  # five in each process
        assert _sign_in(guesser, a, "owner@example.org", WRONG) == 429
        assert _sign_in(guesser, b, "owner@example.org", WRONG) == 429
        assert _sign_in(guesser, b, "owner@example.org", PASSWORD) == 429  # refused before any check
        # The owner's browser holds its device cookie: neither process locks it out.
        assert _sign_in(owner, b, "owner@example.org", PASSWORD) == 302
        assert _sign_in(owner, a, "owner@example.org", PASSWORD) == 302
