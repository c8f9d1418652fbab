"""Languages: French by default, English available; catalogues compiled from the .po files."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, request, session
from flask_login import current_user

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def translation_directories() -> list[str]:
    """Return every catalogue folder (one per area, merged by Flask-Babel)."""
    return sorted(str(p) for p in TRANSLATIONS.iterdir() if p.is_dir())


def compile_catalogues() -> int:
    """Compile each .po whose .mo is missing or older; return how many were written."""
    written = 0
    for po in TRANSLATIONS.glob("*/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        with mo.open("wb") as target:
            write_mo(target, catalog)
        written += 1
    return written


def select_locale() -> str:
    """Pick the language: explicit choice in the session, then the account, then French."""
    languages = current_app.config["SALON_LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    if request and request.args.get("lang") in languages:
        return request.args["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]
