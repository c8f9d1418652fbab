"""The organiser's fair menu: the latest schedule run for the "Planifier" links."""

from __future__ import annotations

from salon.models import Fair, ScheduleRun
from salon.services.scheduling import latest_run
from salon.views.organiser import bp

RUN_STATUSES = ("queued", "running", "done", "failed", "cancelled")


def fair_nav_run(fair: Fair) -> ScheduleRun | None:
    """Return the fair's most recent schedule run, whatever its status."""
    return latest_run(fair, RUN_STATUSES)


@bp.app_context_processor
def _fair_nav() -> dict:
    from salon.services.dayof_window import organiser_window_notice

    return {"fair_nav_run": fair_nav_run, "dayof_closed_notice": organiser_window_notice}
