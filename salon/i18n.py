"""Languages: French by default, English available; catalogues compiled at build time (salon.catalogues)."""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_login import current_user

from salon.catalogues import TRANSLATIONS, stale_catalogues


def translation_directories() -> list[str]:
    """Return every catalogue folder (one per area, merged by Flask-Babel)."""
    return sorted(str(p) for p in TRANSLATIONS.iterdir() if p.is_dir())


def warn_if_stale(app: Flask) -> None:
    """Log the catalogues not compiled (pages would show English): the app itself never writes them."""
    stale = stale_catalogues()
    if stale:
        names = ", ".join(str(p.relative_to(TRANSLATIONS)) for p in stale)
        app.logger.warning("translations not compiled (run `salon compile-translations`): %s", names)


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
