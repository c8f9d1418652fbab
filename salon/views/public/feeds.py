"""Calendar subscription feeds: /cal/<token>.ics, no login (the token is the secret)."""

from __future__ import annotations

from flask import Response, abort, request

from salon.extensions import limiter
from salon.services.calendar_cache import CalendarDocument
from salon.services.calendar_feeds import feed_by_token, feed_document
from salon.views.public import bp


def calendar_response(document: CalendarDocument, cache_control: str) -> Response:
    """Return the .ics with its ETag and Last-Modified, or 304 when the client's ETag still matches."""
    if request.if_none_match.contains_weak(document.etag):
        response = Response(status=304)
    else:
        response = Response(document.body, mimetype="text/calendar")
        response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    # Only If-None-Match earns a 304: some shown values (attendees, the fair's words) carry no timestamp.
    response.set_etag(document.etag, weak=True)
    if document.last_modified is not None:
        response.last_modified = document.last_modified
    response.headers["Cache-Control"] = cache_control
    return response


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
