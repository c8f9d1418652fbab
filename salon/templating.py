"""Template helpers: dates and times in the fair's time zone, numbers in the page's language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal
from babel.units import format_unit
from flask import Flask, current_app, request
from flask_babel import get_locale


def _zone(tz: str | object | None) -> ZoneInfo:
    name = getattr(tz, "timezone", tz) or current_app.config["SALON_TIMEZONE"]
    return ZoneInfo(str(name))


def local_datetime(value: datetime | None, tz: object = None, fmt: str = "medium") -> str:
    """Format an aware datetime in the given fair's (or default) time zone."""
    if value is None:
        return ""
    return format_datetime(value, fmt, tzinfo=_zone(tz), locale=get_locale())


def local_time(value: datetime | None, tz: object = None) -> str:
    """Format the time of day (e.g. 09:20) in the fair's time zone."""
    if value is None:
        return ""
    return format_time(value.astimezone(_zone(tz)), "HH:mm", locale=get_locale())


def local_date(value: datetime | None, tz: object = None, fmt: str = "full") -> str:
    """Format the date (e.g. jeudi 18 mars 2027) in the fair's time zone."""
    if value is None:
        return ""
    return format_date(value.astimezone(_zone(tz)), fmt, locale=get_locale())


def local_number(value: float | int | None, digits: int = 1) -> str:
    """Format a number in the page's language, e.g. 1 234,5 in French."""
    if value is None:
        return ""
    return format_decimal(value, "#,##0." + "0" * digits if digits else "#,##0", locale=get_locale())


def file_size(size: int | None) -> str:
    """Say a file's size as people read it: "32 ko" under a megabyte, else "1,2 Mo", in the page language."""
    size = size or 0
    if size < 1_000_000:
        kilobytes = max(1, round(size / 1000))
        return format_unit(kilobytes, "digital-kilobyte", length="short", locale=get_locale())
    return format_unit(
        size / 1_000_000, "digital-megabyte", length="short", format="#,##0.0", locale=get_locale()
    )


def register(app: Flask) -> None:
    """Install the filters and globals."""
    app.add_template_filter(local_datetime)
    app.add_template_filter(local_time)
    app.add_template_filter(local_date)
    app.add_template_filter(local_number)
    app.add_template_filter(file_size)
    from salon.labels import buyer_first, label_of, pair_label, session_label, table_label
    from salon.text import lower_first

    app.add_template_filter(label_of)
    app.add_template_filter(table_label)
    app.add_template_filter(pair_label)
    app.add_template_filter(buyer_first)
    app.add_template_filter(session_label)
    app.add_template_filter(lower_first)

    from salon.auth import is_organiser

    app.add_template_global(is_organiser)

    @app.context_processor
    def _globals() -> dict:
        return {
            "current_locale": str(get_locale()),
            "languages": app.config["SALON_LANGUAGES"],
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
