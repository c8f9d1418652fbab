"""Responses shared by the views: private downloads, private pages, calendars with their validators."""

from __future__ import annotations

from flask import Response, request

from salon.services.calendar_cache import CalendarDocument


def private_download(data: bytes, filename: str, mimetype: str) -> Response:
    """Return a file download that no cache may keep."""
    if mimetype.startswith("text/") and "charset" not in mimetype:
        mimetype = f"{mimetype}; charset=utf-8"
    response = Response(data, content_type=mimetype)  # `mimetype=` would add a second charset
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def private_page(html: str, status: int = 200) -> Response:
    """Return an HTML page that no cache may keep (it shows a secret, such as a new feed address)."""
    response = Response(html, status=status)
    response.headers["Cache-Control"] = "private, no-store"
    return response


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
