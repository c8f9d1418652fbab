"""Security headers on every response, the trusted-proxy fix, and the 'too many attempts' page."""

from __future__ import annotations

import os

from flask import Flask, Response, abort, current_app, render_template, request
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from salon import login_limits

# No inline script or style anywhere: templates load static/js and static/css only.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"


def register(app: Flask) -> None:
    """Attach the headers, the proxy fix (only for trusted proxies) and the 429 page to the app."""
    app.config.setdefault("SALON_TRUSTED_PROXIES", int(os.environ.get("SALON_TRUSTED_PROXIES", "0")))
    login_limits.configure(app)
    app.config.setdefault("SALON_HSTS", not app.debug)  # sent over HTTPS only, whatever this says
    proxies = int(app.config["SALON_TRUSTED_PROXIES"])
    if proxies > 0:
        # Trust exactly `proxies` hops of X-Forwarded-*; without a proxy the header is ignored,
        # so a forged X-Forwarded-For cannot change the address the rate limits count.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.before_request(refuse_nul_bytes)
    app.after_request(add_security_headers)
    app.register_error_handler(TooManyRequests, _too_many_requests)


def add_security_headers(response: Response) -> Response:
    """Add CSP, HSTS (over HTTPS), nosniff, Referrer-Policy, X-Frame-Options and no-store when signed in."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    # Over plain HTTP (the demo) a browser ignores HSTS at best; behind a proxy, is_secure holds only when
    # SALON_TRUSTED_PROXIES lets ProxyFix read X-Forwarded-Proto.
    if current_app.config.get("SALON_HSTS") and request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if (
        request.endpoint != "static"
        and current_user.is_authenticated
        and "no-store" not in headers.get("Cache-Control", "")
    ):
        # A signed-in page shows personal data: no shared proxy or back-button cache may keep it.
        headers["Cache-Control"] = "private, no-store"
    return response


def refuse_nul_bytes() -> None:
    """Answer 400 to input holding a NUL character (PostgreSQL text cannot store it; no form needs it)."""
    if "\x00" in request.path:
        abort(400)
    for source in (request.args, request.form):
        for _, values in source.lists():
            if any("\x00" in value for value in values):
                abort(400)
    if request.is_json:
        raw = request.get_data(cache=True)
        if b"\\u0000" in raw or b"\x00" in raw:
            abort(400)


def _too_many_requests(error: TooManyRequests):  # noqa: ANN202
    """Render the 'too many attempts' page (429) in the user's language, with Retry-After when known."""
    retry = getattr(error, "retry_after", None)
    headers = {"Retry-After": str(retry)} if isinstance(retry, int) else {}
    return render_template("errors/429.html"), 429, headers
