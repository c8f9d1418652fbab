"""Export participants, wishes and meetings as CSV or XLSX."""

from __future__ import annotations

from flask import Response, abort
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from salon.auth import organiser_fair_or_404
from salon.services import exporting
from salon.views.organiser import bp
from salon.views.responses import private_download

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# What each export holds, its sheet's title and the word of its file name, in the page's language.
EXPORTS = {
    "participants": (exporting.participants_table, _l("Participants"), _l("participants")),
    "wishes": (exporting.wishes_table, _l("Wishes"), _l("wishes")),
    "meetings": (exporting.meetings_table, _l("Meetings"), _l("meetings")),
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
    if what not in EXPORTS:
        abort(404)
    table, title, word = EXPORTS[what]
    headers, rows = table(fair)
    data = exporting.table_bytes(headers, rows, _fmt(fmt), str(title))
    return download(data, f"{fair.slug}-{word}.{fmt}", fmt)
