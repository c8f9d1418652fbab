"""`python -m salon.pdf_worker`: lay out printout chunks sent on stdin, answer each with its PDF on stdout.

Started by services/pdf.py, one per PRINT_PROCESSES: plain child processes rather than multiprocessing, whose
start methods either copy the threads of the web process mid-flight (fork) or run the parent's main script
again (spawn, forkserver). One message each way per chunk:
request  `{"css": PATH, "html": TEXT}` on one line;  answer  `{"pages": N, "size": BYTES}` on one line, then
the PDF's bytes (or `{"error": TEXT}` on one line).
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import BinaryIO


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Answer each request line until the input closes."""
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
