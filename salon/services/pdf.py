"""HTML to PDF for every printout: one stylesheet, pages laid out in chunks, QR codes drawn as vectors.

WeasyPrint's cost per page grows with the size of the document it lays out (each page's styles are matched
against the whole document), so long printouts are laid out in chunks of pages. Given a pool (worker_pool,
PRINT_PROCESSES > 1), the chunks are laid out by its worker processes (salon/pdf_worker.py) and their PDFs
joined with pypdf; otherwise their pages are joined into one PDF in this process. A QR code is an empty
`.label__qr` link box in the HTML; its vector drawing (the code's dark modules as rectangles, cached per
content) is added to the page's content stream afterwards, at a fraction of what WeasyPrint's SVG path
parser would cost.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from flask import current_app

from salon.pdf_worker import WorkerPool

QR_CLASS = "label__qr"
QR_QUIET_ZONE = 2  # modules of white around the code, inside its box (the label's margin adds more)
PX_TO_PT = 0.75  # CSS pixels (1/96 in) to PDF points (1/72 in)
_DARK_RUN = re.compile(rb"[\x01]+")  # a run of dark modules in a row of the code's matrix

Progress = Callable[[int, int], None]
Chunk = tuple[str, int]  # the HTML of some sheets, and how many sheets it holds (as in pdf_worker.py)


@dataclass(frozen=True)
class Rendered:
    """A built PDF and its number of pages."""

    pdf: bytes
    pages: int


def stylesheet_path() -> str:
    """Return the path of the printouts' one stylesheet, static/css/printouts.css."""
    return str(Path(current_app.static_folder or "static") / "css" / "printouts.css")


def worker_pool(chunks: int) -> contextlib.AbstractContextManager[WorkerPool | None]:
    """Start PRINT_PROCESSES worker processes when the printout will have several chunks (else nothing)."""
    processes = min(int(current_app.config.get("PRINT_PROCESSES", 1)), chunks)
    return WorkerPool(processes) if processes > 1 else contextlib.nullcontext()


def render_pdf(
    chunks: Sequence[Chunk], progress: Progress | None = None, pool: WorkerPool | None = None
) -> Rendered:
    """Lay out the chunks (in the pool's processes if any), join their pages into one PDF, report progress."""
    if not chunks:
        raise ValueError("nothing to render")
    if pool is None or len(chunks) == 1:
        return render_here(chunks, stylesheet_path(), progress)
    return _join(pool.render(chunks, stylesheet_path(), progress))


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


def _join(parts: list[tuple[bytes, int]]) -> Rendered:
    """Join PDFs into one, in order, keeping the first one's title."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pdf, _pages in parts:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.metadata and not writer.metadata:
            writer.add_metadata(dict(reader.metadata))
        writer.append(reader)
    out = io.BytesIO()
    writer.write(out)
    return Rendered(out.getvalue(), sum(pages for _pdf, pages in parts))


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
