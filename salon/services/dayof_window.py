"""When the day-of actions are open, per role, by dates in the fair's time zone.

- A participant marks a meeting held or no-show only on the fair's days; they may cancel their own meeting
  until the end of the fair's last day (beforehand too: the counterpart is told).
- Organisers, at the check-in desk or on the day pages (meeting status, replacements, walk-ins), act from
  the first day to seven days after the last: late entries and corrections, then the record is closed.
Refusals raise NotAllowed with the dates in words; the caller changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import gettext as _

from salon.models import Fair
from salon.models.base import utcnow
from salon.services import NotAllowed

ORGANISER_DAYS_AFTER = 7


def fair_days(fair: Fair) -> list[date]:
    """Return the fair's days (dates of its slots in its time zone), in order."""
    zone = ZoneInfo(fair.timezone)
    return sorted({slot.starts_at.astimezone(zone).date() for slot in fair.slots})


def local_today(fair: Fair, now: datetime | None = None) -> date:
    """Return today's date in the fair's time zone."""
    return (now or utcnow()).astimezone(ZoneInfo(fair.timezone)).date()


def check_participant_may_mark(fair: Fair, status: str, now: datetime | None = None) -> None:
    """Refuse a participant's held/no-show outside the fair's days, and a cancel after the fair."""
    days, today = fair_days(fair), local_today(fair, now)
    if not days:
        raise NotAllowed(_("This fair has no slots yet."), "status")
    if status == "cancelled":
        if today > days[-1]:
            raise NotAllowed(_("The fair is over: this meeting can no longer be cancelled."), "status")
        return
    if today not in days:
        raise NotAllowed(
            _(
                "A meeting can be marked as held or missed only on the day of the fair (%(days)s).",
                days=", ".join(format_date(d, "long") for d in days),
            ),
            "status",
        )


def organiser_window_notice(fair: Fair, now: datetime | None = None) -> str:
    """Return why the organisers' day-of actions are closed now, or "" while they are open."""
    try:
        check_organiser_window(fair, now)
    except NotAllowed as exc:
        return exc.message
    return ""


def check_organiser_window(fair: Fair, now: datetime | None = None) -> None:
    """Refuse an organiser's day-of action before the first day or later than seven days after the last."""
    days, today = fair_days(fair), local_today(fair, now)
    if not days:
        raise NotAllowed(_("This fair has no slots yet."), "status")
    last = days[-1] + timedelta(days=ORGANISER_DAYS_AFTER)
    if not days[0] <= today <= last:
        raise NotAllowed(
            _(
                "Day-of actions are open from the first day of the fair to seven days after its last day "
                "(%(first)s to %(last)s).",
                first=format_date(days[0], "long"),
                last=format_date(last, "long"),
            ),
            "status",
        )
