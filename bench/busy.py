"""Busy processes beside a benchmark: K processes that each keep one core busy until they are stopped."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

SPIN = "while True:\n    pass\n"


@contextmanager
def busy(count: int) -> Iterator[list[int]]:
    """Start `count` processes spinning on a core; stop them (by their pids) when the block ends.

    A SIGTERM to the benchmark ends the block too (as an exit), so the spinning processes never outlive it.
    """
    previous = signal.signal(signal.SIGTERM, _exit)
    procs = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(count)]
    try:
        yield [p.pid for p in procs]
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()
        signal.signal(signal.SIGTERM, previous)


def _exit(signum: int, frame: object) -> None:
    """Turn a SIGTERM into an exit that runs the cleanup of the busy block."""
    raise SystemExit(128 + signum)
