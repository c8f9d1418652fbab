"""HTML to PDF for every printout: one stylesheet, pages laid out in chunks, QR codes drawn as vectors.

WeasyPrint's cost per page grows with the size of the document it lays out (each page's styles are matched
against the whole document), so long printouts are laid out in chunks of pages. With PRINT_PROCESSES > 1 the
chunks are laid out by that many worker processes (salon/pdf_worker.py) and their PDFs joined with pypdf;
otherwise their pages are joined into one PDF in this process. A QR code is an empty `.label__qr` link box
in the HTML; its vector drawing (the code's dark modules as rectangles, cached per content) is added to the
page's content stream afterwards, which costs a fraction of what WeasyPrint's SVG path parser would.
"""

from __future__ import annotations

import functools
import io
import json
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from flask import current_app

QR_CLASS = "label__qr"
QR_QUIET_ZONE = 2  # modules of white around the code, inside its box (the label's margin adds more)
PX_TO_PT = 0.75  # CSS pixels (1/96 in) to PDF points (1/72 in)
_DARK_RUN = re.compile(rb"[\x01]+")  # a run of dark modules in a row of the code's matrix

Progress = Callable[[int, int], None]
Chunk = tuple[str, int]  # the HTML of some sheets, and how many sheets it holds


@dataclass(frozen=True)
class Rendered:
    """A built PDF and its number of pages."""

    pdf: bytes
    pages: int


def stylesheet_path() -> str:
    """Return the path of the printouts' one stylesheet, static/css/printouts.css."""
    return str(Path(current_app.static_folder or "static") / "css" / "printouts.css")


def render_pdf(chunks: Sequence[Chunk], progress: Progress | None = None) -> Rendered:
    """Lay out the chunks, join their pages into one PDF and report the sheets laid out as it goes."""
    if not chunks:
        raise ValueError("nothing to render")
    processes = int(current_app.config.get("PRINT_PROCESSES", 1))
    if processes > 1 and len(chunks) > 1:
        return _render_in_workers(chunks, stylesheet_path(), processes, progress)
    return render_here(chunks, stylesheet_path(), progress)


def render_here(chunks: Sequence[Chunk], css_path: str, progress: Progress | None = None) -> Rendered:
    """Lay out every chunk in this process and write their pages as one PDF."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    css, fonts = _stylesheet(css_path, Path(css_path).stat().st_mtime), FontConfiguration()
    documents, pages, done, total = [], [], 0, sum(size for _html, size in chunks)
    for html, size in chunks:
        document = HTML(string=html).render(stylesheets=[css], font_config=fonts)
        documents.append(document)
        pages.extend(document.pages)
        done += size
        if progress is not None:
            progress(done, total)
    codes = [_take_codes(page) for page in pages]
    pdf = documents[0].copy(pages).write_pdf(finisher=functools.partial(_draw_codes, codes=codes))
    return Rendered(pdf, len(pages))


def _render_in_workers(
    chunks: Sequence[Chunk], css_path: str, processes: int, progress: Progress | None
) -> Rendered:
    """Lay out the chunks in `processes` worker processes (salon/pdf_worker.py); join their PDFs in order."""
    from pypdf import PdfReader, PdfWriter

    todo: queue.Queue[int] = queue.Queue()
    for index in range(len(chunks)):
        todo.put(index)
    parts: list[Rendered | None] = [None] * len(chunks)
    tally = _Tally(sum(size for _html, size in chunks), progress)
    workers = [
        threading.Thread(target=_feed_worker, args=(chunks, css_path, todo, parts, tally), daemon=True)
        for _ in range(min(processes, len(chunks)))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if tally.error or any(part is None for part in parts):
        raise RuntimeError(f"a PDF worker failed: {tally.error or 'no answer'}")
    writer = PdfWriter()
    for part in parts:
        assert part is not None
        reader = PdfReader(io.BytesIO(part.pdf))
        if reader.metadata and not writer.metadata:
            writer.add_metadata(dict(reader.metadata))
        writer.append(reader)
    out = io.BytesIO()
    writer.write(out)
    return Rendered(out.getvalue(), sum(part.pages for part in parts if part is not None))


class _Tally:
    """Sheets laid out so far across the workers, reported to `progress`; the first worker error."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress
        self.error = ""
        self.lock = threading.Lock()

    def add(self, size: int) -> None:
        with self.lock:
            self.done += size
            if self.progress is not None:
                self.progress(self.done, self.total)


def _feed_worker(
    chunks: Sequence[Chunk],
    css_path: str,
    todo: queue.Queue[int],
    parts: list[Rendered | None],
    tally: _Tally,
) -> None:
    """Start one worker process and send it chunks until none is left (or a worker failed)."""
    command = [sys.executable, "-m", "salon.pdf_worker"]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as worker:  # noqa: S603
        assert worker.stdin is not None and worker.stdout is not None
        try:
            while not tally.error:
                try:
                    index = todo.get_nowait()
                except queue.Empty:
                    break
                html, size = chunks[index]
                worker.stdin.write(json.dumps({"css": css_path, "html": html}).encode() + b"\n")
                worker.stdin.flush()
                answer = json.loads(worker.stdout.readline() or b'{"error": "the worker stopped"}')
                if "error" in answer:
                    tally.error = answer["error"]
                    break
                parts[index] = Rendered(worker.stdout.read(answer["size"]), answer["pages"])
                tally.add(size)
        finally:
            worker.stdin.close()


@functools.lru_cache(maxsize=4)
def _stylesheet(path: str, mtime: float):  # noqa: ANN202  (a weasyprint.CSS, imported lazily)
    """Return the parsed stylesheet (parsed once per process and file version)."""
    from weasyprint import CSS

    return CSS(filename=path)


@functools.lru_cache(maxsize=8192)
def qr_path(text: str) -> tuple[str, int]:
    """Return the QR code of `text` as PDF path operators (one unit per module) and its size in modules.

    The mask is fixed: every mask gives a valid code (readers take it from the format information), and
    choosing the "best" one costs five times as long as the encoding itself.
    """
    code = segno.make(text, error="m", mask=0)
    runs = [
        f"{run.start() + QR_QUIET_ZONE} {y + QR_QUIET_ZONE} {run.end() - run.start()} 1 re"
        for y, row in enumerate(code.matrix)
        for run in _DARK_RUN.finditer(bytes(row))
    ]
    return "\n".join(runs), len(code.matrix) + 2 * QR_QUIET_ZONE


def _take_codes(page) -> list[tuple[str, float, float, float]]:  # noqa: ANN001  (a weasyprint Page)
    """Remove the page's QR boxes from its links; return (text, left, top, size) of each, in points."""
    codes, links = [], []
    for link in page.links:
        kind, target, (x1, y1, x2, y2), box = link
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if kind == "external" and QR_CLASS in classes:
            size = min(x2 - x1, y2 - y1) * PX_TO_PT
            codes.append((target, x1 * PX_TO_PT, (page.height - y1) * PX_TO_PT, size))
        else:
            links.append(link)
    page.links[:] = links
    return codes


def _draw_codes(document, pdf, codes: list[list[tuple[str, float, float, float]]]) -> None:  # noqa: ANN001
    """Add a content stream drawing each page's QR codes, before the page's own (WeasyPrint's finisher)."""
    import pydyf

    kids = pdf.pages["Kids"]
    for index, page_codes in enumerate(codes):
        if not page_codes:
            continue
        ops = ["0 g"]
        for text, left, top, size in page_codes:
            body, modules = qr_path(text)
            scale = size / modules
            # Module (x, y) lands at (left + x * scale, top - y * scale): PDF's y axis points up.
            ops.append(f"q {scale:.5f} 0 0 {-scale:.5f} {left:.3f} {top:.3f} cm\n{body}\nf Q")
        stream = pydyf.Stream(ops, compress=True)
        pdf.add_object(stream)
        page = pdf.objects[kids[3 * index]]
        page["Contents"] = pydyf.Array([stream.reference, page["Contents"]])
