"""Read PDFs back as a person would: the text of each page (pypdf) and the QR codes on it (zxing-cpp)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def page_texts(pdf: bytes) -> list[str]:
    """Return the text of each page."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def page_sizes_mm(pdf: bytes) -> list[tuple[int, int]]:
    """Return each page's width and height in millimetres, rounded."""
    from pypdf import PdfReader

    mm = 25.4 / 72
    return [
        (round(float(p.mediabox.width) * mm), round(float(p.mediabox.height) * mm))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def qr_codes(pdf: bytes, page: int = 1) -> list[str]:
    """Return the texts of the QR codes a scanner reads on one page (rendered at 150 dpi by poppler)."""
    if shutil.which("pdftoppm") is None:
        if os.environ.get("SALON_REQUIRE_SERVICES") == "1":
            pytest.fail("pdftoppm (poppler-utils) is required (SALON_REQUIRE_SERVICES=1)")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    import zxingcpp
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "150", "-gray", "-png", "-f", str(page), "-l", str(page), "-singlefile",
             str(source), str(Path(folder) / "page")],
            check=True,
        )  # fmt: skip
        with Image.open(Path(folder) / "page.png") as image:
            return [code.text for code in zxingcpp.read_barcodes(image)]
