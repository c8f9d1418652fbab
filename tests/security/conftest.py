"""Fixtures of the security tests: a fresh rate-limit store, the two-fair world, free ports, services."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

from salon.extensions import limiter
from tests.security.world import build_world

REQUIRE_SERVICES = os.environ.get("SALON_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip the test for a missing service, or fail when services are required."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (SALON_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def fresh_limits(app):
    """Start and end every security test with empty rate-limit counters."""
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture()
def world(db):
    """Return the two-fair world (committed)."""
    return build_world()


@pytest.fixture()
def redis_url(tmp_path):
    """Start a throwaway redis-server on a free port; yield its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail("redis-server is not installed")
    port = free_port()
    pidfile = tmp_path / "redis.pid"
    subprocess.run(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--daemonize", "yes",
         "--pidfile", str(pidfile), "--save", "", "--appendonly", "no"],
        check=True,
    )  # fmt: skip
    deadline = time.monotonic() + 5
    while not pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    if pidfile.exists():
        os.kill(int(pidfile.read_text().strip()), 15)
