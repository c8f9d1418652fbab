"""Logs: one JSON object per line with the request id (SALON_LOG_FORMAT=json), or Flask's text lines.

Every request gets an id: the proxy's X-Request-ID when it is a plain token, else a new one. It is echoed in
the response's X-Request-ID header and carried by every log line written while the request runs, so one
request can be followed from the proxy's log through the app's.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")  # nothing that could forge a log line
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}
ACCESS = logging.getLogger("salon.access")


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request being served ("-" outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time (UTC), level, logger, message, request id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(app: Flask) -> None:
    """Give requests an id; in JSON mode, send every log line (and one per request) as JSON to stderr."""
    app.before_request(_start_request)
    app.after_request(_end_request)
    if app.config.get("SALON_LOG_FORMAT", "text") != "json":
        return
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "salon", False)]:
        root.removeHandler(handler)  # create_app may run more than once in a process
    handler = logging.StreamHandler()
    handler.salon = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(app.config.get("SALON_LOG_LEVEL", "INFO"))
    app.logger.removeHandler(default_handler)  # the app's lines go through the root handler only
    app.config["SALON_ACCESS_LOG"] = True


def _start_request() -> None:
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
    g.request_started = time.monotonic()


def _end_request(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id:
        response.headers["X-Request-ID"] = request_id
    if current_app.config.get("SALON_ACCESS_LOG") and "request_started" in g:
        ACCESS.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - g.request_started) * 1000, 1),
                "remote_addr": request.remote_addr,
            },
        )
    return response
