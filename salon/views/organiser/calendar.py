"""Organiser calendars: the fair's and each table's .ics, and subscription feeds to create or revoke."""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms import parse_id
from salon.labels import table_label
from salon.models import CalendarFeed, MeetingTable
from salon.services.calendar import fair_calendar, table_calendar
from salon.services.calendar_feeds import create_organiser_feed, organiser_feeds, revoke_feed
from salon.services.fairs import slugify
from salon.views.organiser import bp
from salon.views.responses import private_download, private_page


def _table_or_404(fair_id: int, table_id: int) -> MeetingTable:
    """Return the fair's table, 404 if it belongs to another fair."""
    table = db.session.scalar(
        select(MeetingTable).where(MeetingTable.id == table_id, MeetingTable.fair_id == fair_id)
    )
    if table is None:
        abort(404)
    return table


def _page(fair, new_url: str | None = None, error: str | None = None, status: int = 200) -> Response:
    """Render the organiser calendar page (the new feed URL is shown this one time)."""
    html = render_template(
        "organiser/calendar.html", fair=fair, feeds=organiser_feeds(fair), new_url=new_url, error=error
    )
    return private_page(html, status)


@bp.get("/fairs/<int:fair_id>/calendar")
@login_required
def calendar_page(fair_id: int):
    return _page(organiser_fair_or_404(fair_id))


@bp.get("/fairs/<int:fair_id>/calendar.ics")
@login_required
def calendar_fair_ics(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    return private_download(fair_calendar(fair), f"{fair.slug}.ics", "text/calendar")


@bp.get("/fairs/<int:fair_id>/tables/<int:table_id>/calendar.ics")
@login_required
def calendar_table_ics(fair_id: int, table_id: int):
    fair = organiser_fair_or_404(fair_id)
    table = _table_or_404(fair.id, table_id)
    name = slugify(table_label(table.name))  # "table-12", "stand-3": as the table is called, not its id
    return private_download(table_calendar(table), f"{fair.slug}-{name}.ics", "text/calendar")


@bp.post("/fairs/<int:fair_id>/calendar/feeds")
@login_required
def calendar_feed_create(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    raw = request.form.get("table_id", "").strip()
    table = None
    if raw:
        table_id = parse_id(raw)
        if table_id is None:
            return _page(fair, error=_("Choose a table of this fair."), status=422)
        table = db.session.scalar(
            select(MeetingTable).where(MeetingTable.id == table_id, MeetingTable.fair_id == fair.id)
        )
        if table is None:
            return _page(fair, error=_("Choose a table of this fair."), status=422)
    token = create_organiser_feed(fair, current_user, table)
    db.session.commit()
    return _page(fair, new_url=url_for("public.calendar_feed", token=token, _external=True))


@bp.post("/fairs/<int:fair_id>/calendar/feeds/<int:feed_id>/revoke")
@login_required
def calendar_feed_revoke(fair_id: int, feed_id: int):
    fair = organiser_fair_or_404(fair_id)
    feed = db.session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.id == feed_id,
            CalendarFeed.fair_id == fair.id,
            CalendarFeed.kind.in_(("fair", "table")),
        )
    )
    if feed is None:
        abort(404)
    revoke_feed(feed)
    db.session.commit()
    return redirect(url_for("organiser.calendar_page", fair_id=fair.id), code=303)
