"""Calendar subscription feeds: /cal/<token>.ics, no login (the token is the secret)."""

from __future__ import annotations

from flask import abort

from salon.extensions import limiter
from salon.services.calendar_feeds import feed_by_token, feed_document
from salon.views.public import bp
from salon.views.responses import calendar_response


@bp.get("/cal/<token>.ics")
@limiter.limit("120 per minute")
def calendar_feed(token: str):
    feed = feed_by_token(token)
    if feed is None:
        abort(404)
    response = calendar_response(feed_document(feed), "private, max-age=300")
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
