"""Home page, language switch and the site icon."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import select

from salon.extensions import db
from salon.models import Fair
from salon.views.public import bp


def safe_next(target: str | None, default: str = "/") -> str:
    """Return `target` if it is a path of this site, else `default` (no open redirect)."""
    if not target:
        return default
    # Browsers read a backslash as "/" and drop tabs and newlines: "/\\evil.example" leaves the site.
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.get("/")
def index():
    fairs = db.session.scalars(
        select(Fair).where(Fair.phase != "draft").order_by(Fair.created_at.desc())
    ).all()
    return render_template("public/index.html", fairs=fairs)


@bp.get("/lang/<code>")
def set_language(code: str):
    if code in current_app.config["SALON_LANGUAGES"]:
        session["lang"] = code
        # Kept on the account: calendar feeds and e-mails, read without this session, follow it too. Only
        # when the click came from this site (a link on another site must not change a signed-in account).
        from_here = request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")
        if current_user.is_authenticated and current_user.locale != code and from_here:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next(request.args.get("next")))


@bp.get("/favicon.ico")
def favicon():
    # Browsers and feed readers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    return current_app.send_static_file("favicon.ico")
