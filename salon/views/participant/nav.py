"""Helpers for the participant menu and agenda: is a meeting on the fair's day today."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from salon.models import Fair
from salon.models.base import utcnow
from salon.views.participant import bp


def is_today_at_fair(fair: Fair, moment: datetime) -> bool:
    """Say whether the moment falls on today's date in the fair's time zone."""
    zone = ZoneInfo(fair.timezone or "Europe/Paris")
    return moment.astimezone(zone).date() == utcnow().astimezone(zone).date()


def is_later_day(fair: Fair, moment: datetime) -> bool:
    """Say whether the moment falls on a day after today in the fair's time zone."""
    zone = ZoneInfo(fair.timezone or "Europe/Paris")
    return moment.astimezone(zone).date() > utcnow().astimezone(zone).date()


@bp.app_context_processor
def _participant_nav() -> dict:
    return {"is_today_at_fair": is_today_at_fair, "is_later_day": is_later_day}
