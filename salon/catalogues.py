"""Compile the .po catalogues into .mo files: at build and install time, never while the app runs.

This module imports nothing but Babel, so the build step (build_hooks.py) loads it by its path before
Salon's dependencies are installed; `salon compile-translations` uses it too.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def stale_catalogues(folder: Path = TRANSLATIONS) -> list[Path]:
    """Return the .po files whose .mo is missing or older."""
    return [
        po
        for po in sorted(folder.glob("*/*/LC_MESSAGES/*.po"))
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]


def compile_catalogues(folder: Path = TRANSLATIONS, target: Path | None = None) -> int:
    """Compile each stale .po of `folder` (into the same place under `target`); return how many."""
    written = 0
    for po in stale_catalogues(folder) if target is None else sorted(folder.glob("*/*/LC_MESSAGES/*.po")):
        mo = (target / po.relative_to(folder) if target is not None else po).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as source:
            catalog = read_po(source)
        partial = mo.with_suffix(".mo.tmp")
        with partial.open("wb") as out:
            write_mo(out, catalog)
        partial.replace(mo)  # atomic: a reader never sees half a catalogue
        written += 1
    return written
