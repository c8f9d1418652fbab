"""The organiser's fair menu: the latest schedule run for the "Planifier" links."""

from __future__ import annotations

from salon import domain
from salon.models import Fair, ScheduleRun
from salon.services.scheduling import latest_run
from salon.views.organiser import bp

RUN_STATUSES = ("queued", "running", "done", "failed", "cancelled")


def fair_nav_run(fair: Fair) -> ScheduleRun | None:
    """Return the fair's most recent schedule run, whatever its status."""
    return latest_run(fair, RUN_STATUSES)


def type_label(key: str) -> str:
    """Return a structure type or buyer kind in words (the key itself when unknown)."""
    labels = {**domain.BUYER_KIND_LABELS, **domain.STRUCTURE_TYPE_LABELS}
    return str(labels.get(key, key))


@bp.app_context_processor
def _fair_nav() -> dict:
    from salon.services.dayof_window import organiser_window_notice

    return {
        "fair_nav_run": fair_nav_run,
        "type_label": type_label,
        "dayof_closed_notice": organiser_window_notice,
    }
