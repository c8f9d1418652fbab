"""Real Salon processes for the operations tests, started with the deployment recipe's own commands.

The commands come from deploy/Procfile (the systemd units run the same ones, see test_deploy_files.py);
each process gets the environment an operator would write in salon.env, logs to a file, and is stopped
(or killed) by its own process id.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import requests

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the virtualenv's bin folder: salon, gunicorn
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
T = TypeVar("T")


def procfile() -> dict[str, str]:
    """Return the recipe's commands by process type."""
    commands = {}
    for line in (REPO / "deploy" / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            commands[name.strip()] = command.strip()
    return commands


def recipe_command(name: str) -> list[str]:
    """Return a Procfile command as arguments, its program taken from this virtualenv."""
    words = shlex.split(procfile()[name])
    return [str(BIN / words[0]), *words[1:]]


def base_env(**settings: str) -> dict[str, str]:
    """Return an environment like salon.env's: a fresh key, plain HTTP on loopback, then `settings`."""
    kept = ("PATH", "HOME", "LANG", "TMPDIR", "SALON_SHARED_DIR")
    keep = {k: v for k, v in os.environ.items() if k in kept}
    return {
        **keep,
        "SECRET_KEY": secrets.token_hex(32),
        "SESSION_COOKIE_SECURE": "0",
        "SALON_SOLVER_WORKERS": "1",  # two cores shared by the whole test run
        "PYTHONUNBUFFERED": "1",
        **settings,
    }


class Stack:
    """Processes started from the recipe; every one is stopped at the end, by its own id."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.processes: dict[str, subprocess.Popen] = {}

    def run(self, name: str) -> None:
        """Run a one-off recipe command (the release step) and check it succeeded."""
        result = subprocess.run(
            recipe_command(name), cwd=REPO, env=self.env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def start(self, name: str, label: str | None = None, **extra: str) -> subprocess.Popen:
        """Start a long-running recipe process under a label (its log is logs/<label>.log)."""
        label = label or name
        log = (self.logs / f"{label}.log").open("ab")
        process = subprocess.Popen(
            recipe_command(name), cwd=REPO, env={**self.env, **extra}, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        self.processes[label] = process
        return process

    def log(self, label: str) -> str:
        return (self.logs / f"{label}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        """Stop every process (SIGTERM, then SIGKILL after a grace), its children included."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                for child in children(process.pid):
                    kill(child)
                process.kill()
                process.wait(timeout=5)


def children(pid: int) -> list[int]:
    """Return the ids of a process's children (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def kill(pid: int) -> None:
    """SIGKILL one process (no cleanup, no handler: as the kernel's OOM killer or a power cut would)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def wait_for(check: Callable[[], T], timeout: float, what: str, every: float = 0.2) -> T:
    """Return check()'s first true value, polling; fail saying what did not happen in time."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(every)


class Browser:
    """A person at a browser: a cookie jar, forms posted with their CSRF token, no redirect followed."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.base_url + path, allow_redirects=False, timeout=30)

    def text_or_nothing(self, path: str) -> str:
        """Return the page's text, or "" when the connection broke (its server process was just killed)."""
        try:
            return self.get(path).text
        except requests.ConnectionError:
            return ""

    def post(self, path: str, data: dict, form_page: str | None = None) -> requests.Response:
        """Post a form, with the CSRF token read from the page that shows it (default: the same path)."""
        page = self.get(form_page or path).text
        token = TOKEN.search(page)
        assert token is not None, f"no CSRF token on {form_page or path}"
        data = {**data, "csrf_token": token.group(1)}
        return self.session.post(self.base_url + path, data=data, allow_redirects=False, timeout=30)

    def sign_in(self, email: str, password: str) -> None:
        response = self.post("/login", {"email": email, "password": password})
        assert response.status_code in (302, 303), response.status_code


def wait_http(url: str, timeout: float = 60) -> None:
    """Wait until something answers HTTP at the URL."""

    def answers() -> bool:
        try:
            requests.get(url, timeout=2)
        except requests.RequestException:
            return False
        return True

    wait_for(answers, timeout, f"{url} answers")
