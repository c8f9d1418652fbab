"""Export participants, wishes and meetings as CSV or XLSX."""

from __future__ import annotations

from flask import Response, abort
from flask_login import login_required

from salon.auth import organiser_fair_or_404
from salon.services import exporting
from salon.views.organiser import bp
from salon.views.responses import private_download

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(data: bytes, filename: str, fmt: str) -> Response:
    """Return a private file download."""
    return private_download(data, filename, MIMETYPES.get(fmt, "application/octet-stream"))


def _fmt(fmt: str) -> str:
    if fmt not in MIMETYPES:
        abort(404)
    return fmt


@bp.get("/fairs/<int:fair_id>/export/<what>.<fmt>")
@login_required
def export(fair_id: int, what: str, fmt: str):
    fair = organiser_fair_or_404(fair_id)
    tables = {
        "participants": exporting.participants_table,
        "wishes": exporting.wishes_table,
        "meetings": exporting.meetings_table,
    }
    if what not in tables:
        abort(404)
    headers, rows = tables[what](fair)
    return download(exporting.table_bytes(headers, rows, _fmt(fmt), what), f"{fair.slug}-{what}.{fmt}", fmt)
