"""`salon demo` in a process of its own, on a free port, as a newcomer starts it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.salon.mail_server import free_port


def csrf_token(page: str) -> str:
    """Return the CSRF token of a form on the page."""
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def wait_for(check: Callable[[], object], timeout: float, what: str) -> object:
    """Poll `check` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _answers(url: str) -> bool:
    try:
        requests.get(url, timeout=5)
    except requests.ConnectionError:
        return False
    return True


@contextmanager
def running_demo(folder: Path) -> Iterator[str]:
    """Run `salon demo --port P` (SQLite and caught mail in `folder`); yield its base URL."""
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{folder / 'demo.sqlite3'}",
        SALON_DEMO_MAILDIR=str(folder / "mail"),
        SECRET_KEY="demo-test-" + "k" * 40,
    )
    env.pop("SALON_BASE_URL", None)
    salon = str(Path(sys.executable).with_name("salon"))
    with (folder / "demo.log").open("w") as log:
        process = subprocess.Popen(  # noqa: S603 (our own console script)
            [salon, "demo", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(lambda: _answers(f"{base}/"), 180, "the demo to serve")
            yield base
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
