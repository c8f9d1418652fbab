"""Busy processes beside a benchmark: K processes that each keep one core busy until they are stopped."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

SPIN = "while True:\n    pass\n"


@contextmanager
def busy(count: int) -> Iterator[list[int]]:
    """Start `count` processes spinning on a core; stop them (by their pids) when the block ends."""
    procs = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(count)]
    try:
        yield [p.pid for p in procs]
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()
