"""Security headers on HTML responses, templates fit for a strict CSP, and cookie flags per config."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from salon import create_app
from salon.extensions import db as _db
from salon.security import CONTENT_SECURITY_POLICY
from tests.factories import STRONG_KEY, login, make_user
from tests.security.crawl import crawl

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Rendered only into PDFs by WeasyPrint, never sent to a browser: the CSP does not apply to them.
PDF_ONLY = ("dayof/report_pdf.html", "print/")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


def inline_code(html: str) -> list[str]:
    """Return the inline scripts, styles and event handlers a strict CSP would block."""
    found = []
    for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
        found += [m.group(0) for m in pattern.finditer(html)]
    return found


@pytest.mark.parametrize("path", ["/", "/login", "/does-not-exist"])
def test_security_headers_on_html_responses(client, path):
    response = client.get(path, base_url="https://localhost")
    assert response.mimetype == "text/html"
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                      "base-uri 'self'", "form-action 'self'", "object-src 'none'"):  # fmt: skip
        assert directive in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def _production(database_url, **settings):
    overrides = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": STRONG_KEY, **settings}
    return create_app(overrides, config_object="config.Config")


def test_hsts_only_over_https(database_url):
    app = _production(database_url)
    client = app.test_client()
    with app.app_context():
        plain = client.get("/login")  # the demo: served over plain HTTP
        forged = client.get("/login", headers={"X-Forwarded-Proto": "https"})  # no proxy is trusted
        secure = client.get("/login", base_url="https://salon.example.org")
    assert "Strict-Transport-Security" not in plain.headers
    assert "Strict-Transport-Security" not in forged.headers
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_hsts_behind_a_trusted_proxy_follows_the_forwarded_scheme(database_url):
    app = _production(database_url, SALON_TRUSTED_PROXIES=1)
    client = app.test_client()
    with app.app_context():
        https = client.get("/login", headers={"X-Forwarded-Proto": "https"})
        http = client.get("/login", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" in https.headers
    assert "Strict-Transport-Security" not in http.headers


def test_every_signed_in_response_is_no_store(app, world):
    pages = crawl(app, world).pages
    signed_in = {key: r for key, r in pages.items() if key[0] != "anonymous"}
    assert len(signed_in) > 50
    cached = {f"{role} {url}": r.headers.get("Cache-Control") for (role, url), r in signed_in.items()
              if "no-store" not in r.headers.get("Cache-Control", "")}  # fmt: skip
    assert cached == {}
    assert "no-store" not in pages[("anonymous", "/")].headers.get("Cache-Control", "")


def test_personal_data_export_is_no_store(client, db):
    user = make_user()
    db.session.commit()
    login(client, user)
    response = client.get("/p/account/data.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"] == 'attachment; filename="salon-mes-donnees.json"'


def test_hsts_absent_in_development(database_url):
    dev = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": STRONG_KEY}, config_object="config.DevConfig"
    )
    with dev.app_context():
        response = dev.test_client().get("/login")
    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_script_or_style():
    offenders = {}
    for path in TEMPLATES.rglob("*.html"):
        if str(path.relative_to(TEMPLATES)).startswith(PDF_ONLY):
            continue
        found = inline_code(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(TEMPLATES))] = found
    assert offenders == {}


def _login_cookie_header(database_url, config_object: str) -> str:
    overrides = {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False, "SECRET_KEY": STRONG_KEY}
    application = create_app(overrides, config_object=config_object)
    with application.app_context():
        user = make_user()
        _db.session.commit()
        response = login(application.test_client(), user)
        assert response.status_code == 302
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_session_cookie_secure_httponly_samesite_in_production(db, database_url):
    header = _login_cookie_header(database_url, "config.Config")
    assert "; Secure" in header
    assert "; HttpOnly" in header
    assert "; SameSite=Lax" in header


def test_session_cookie_not_secure_in_development(db, database_url):
    header = _login_cookie_header(database_url, "config.DevConfig")
    assert "; Secure" not in header
    assert "; HttpOnly" in header
    assert "; SameSite=Lax" in header
