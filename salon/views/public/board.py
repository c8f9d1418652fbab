"""The live table board for a screen at the entrance (public by a per-fair signed URL)."""

from __future__ import annotations

from flask import abort, render_template

from salon.models.base import utcnow
from salon.services.board import board_lines, fair_from_board_token, slots_around
from salon.views.public import bp

COUNTDOWN_LIMIT = 12 * 3600  # seconds; beyond, "starts in 840 min" says less than a date and a time


def _board_context(token: str) -> dict:
    fair = fair_from_board_token(token)
    if fair is None:
        abort(404)
    now = utcnow()
    current, upcoming = slots_around(fair, now)
    target = current.ends_at if current else (upcoming.starts_at if upcoming else None)
    seconds = max(0, int((target - now).total_seconds())) if target else None
    # A countdown only helps within the day: further away, the board shows the first meeting's date and time.
    later_day = upcoming is not None and not current and (seconds or 0) >= COUNTDOWN_LIMIT
    return {"fair": fair, "token": token, "current": current, "upcoming": upcoming,
            "seconds": None if later_day else seconds, "later_day": later_day,
            "lines": board_lines(fair, current, upcoming)}  # fmt: skip


@bp.get("/board/<token>")
def board(token: str):
    return render_template("public/board.html", **_board_context(token))


@bp.get("/board/<token>/live")
def board_live(token: str):
    return render_template("public/board_live.html", **_board_context(token))
