"""PDF worker processes: the pool the renderer feeds (parent side) and `python -m salon.pdf_worker` (child).

Plain child processes rather than multiprocessing, whose start methods either copy the threads of the web
process mid-flight (fork) or run the parent's main script again (spawn, forkserver). A pool is started
before the HTML is written, so the children import WeasyPrint meanwhile. One message each way per chunk:
request  `{"css": PATH, "html": TEXT}` on one line;  answer  `{"pages": N, "size": BYTES}` on one line, then
the PDF's bytes (or `{"error": TEXT}` on one line).
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import BinaryIO

COMMAND = [sys.executable, "-m", "salon.pdf_worker"]
Chunk = tuple[str, int]  # the HTML of some sheets, and how many sheets it holds
Part = tuple[bytes, int]  # a chunk's PDF and its pages


class WorkerPool:
    """Worker processes, started at once; `render` shares chunks among them, in any order."""

    def __init__(self, size: int) -> None:
        self.workers = [
            subprocess.Popen(COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # noqa: S603
            for _ in range(size)
        ]

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        for worker in self.workers:
            if worker.stdin is not None:
                worker.stdin.close()  # the child's loop ends with its input
        for worker in self.workers:
            worker.wait(timeout=60)

    def render(
        self, chunks: Sequence[Chunk], css_path: str, progress: Callable[[int, int], None] | None
    ) -> list[Part]:
        """Return each chunk's PDF and pages, in the chunks' order; report the sheets laid out so far."""
        todo: queue.Queue[int] = queue.Queue()
        for index in range(len(chunks)):
            todo.put(index)
        parts: list[Part | None] = [None] * len(chunks)
        tally = _Tally(sum(size for _html, size in chunks), progress)
        threads = [
            threading.Thread(target=_feed, args=(w, chunks, css_path, todo, parts, tally), daemon=True)
            for w in self.workers
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if tally.error or any(part is None for part in parts):
            raise RuntimeError(f"a PDF worker failed: {tally.error or 'no answer'}")
        return [part for part in parts if part is not None]


class _Tally:
    """Sheets laid out so far across the workers, reported to `progress`; the first worker error."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None) -> None:
        self.total, self.done, self.progress = total, 0, progress
        self.error = ""
        self.lock = threading.Lock()

    def add(self, size: int) -> None:
        with self.lock:
            self.done += size
            if self.progress is not None:
                self.progress(self.done, self.total)


def _feed(
    worker: subprocess.Popen,
    chunks: Sequence[Chunk],
    css_path: str,
    todo: queue.Queue[int],
    parts: list[Part | None],
    tally: _Tally,
) -> None:
    """Send one worker chunks until none is left (or a worker failed)."""
    assert worker.stdin is not None and worker.stdout is not None
    while not tally.error:
        try:
            index = todo.get_nowait()
        except queue.Empty:
            return
        html, size = chunks[index]
        worker.stdin.write(json.dumps({"css": css_path, "html": html}).encode() + b"\n")
        worker.stdin.flush()
        answer = json.loads(worker.stdout.readline() or b'{"error": "the worker stopped"}')
        if "error" in answer:
            tally.error = answer["error"]
            return
        parts[index] = (worker.stdout.read(answer["size"]), answer["pages"])
        tally.add(size)


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Answer each request line until the input closes (the child's loop)."""
    from salon.services.pdf import render_here

    for line in requests:
        try:
            request = json.loads(line)
            rendered = render_here([(request["html"], 0)], request["css"])
        except Exception as exc:  # noqa: BLE001  (reported to the parent, which fails the build)
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            answers.write(json.dumps({"error": error}).encode() + b"\n")
        else:
            answers.write(json.dumps({"pages": rendered.pages, "size": len(rendered.pdf)}).encode() + b"\n")
            answers.write(rendered.pdf)
        answers.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
