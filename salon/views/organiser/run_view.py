"""A schedule run in plain words: its stages named for people, each figure explained, a bar that follows the
stages, and a finished run's result in one sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from salon.labels import RUN_STATUS_LABELS, label
from salon.models import Fair, ScheduleRun
from salon.models.base import utcnow
from salon.services.scheduling import OBJECTIVE

STAGE_NAMES = {
    "coverage": _l("Who meets whom"),
    "weight": _l("Value of the wishes"),
    "breaks": _l("Idle gaps"),
}


@dataclass
class Stage:
    """One stage of the solve: its name ("1/3 Who meets whom"), its figure and how sure it is."""

    name: str
    state: str  # done | current | waiting
    figure: str = ""
    proof: str = ""

    @property
    def line(self) -> str:
        """Return "1/3 Who meets whom: 180 participants out of 180 ...; the best possible, proved"."""
        detail = self.figure or _("to come")
        if self.figure and self.proof:
            detail = join(self.figure, self.proof)
        return _("%(stage)s: %(detail)s", stage=self.name, detail=detail)


@dataclass
class RunView:
    status: str
    stages: list[Stage] = field(default_factory=list)
    percent: int = 0
    summary: str = ""
    points: str = ""
    elapsed: float = 0.0


def join(*parts: str) -> str:
    """Join figures with semicolons, as the page's language writes them."""
    found = [p for p in parts if p]
    out = found[0] if found else ""
    for part in found[1:]:
        out = _("%(first)s; %(next)s", first=out, next=part)
    return out


def figure(term: str, value: Any, participants: int) -> str:
    """Say what a stage's value counts."""
    if value is None:
        return ""
    if term == "coverage":
        return ngettext(
            "%(num)d participant out of %(total)d has at least one meeting",
            "%(num)d participants out of %(total)d have at least one meeting",
            value,
            total=participants,
        )
    if term == "weight":
        return ngettext("wishes granted worth %(num)d point", "wishes granted worth %(num)d points", value)
    return ngettext(
        "%(num)d idle gap between two meetings of a participant",
        "%(num)d idle gaps between two meetings of a participant",
        value,
    )


def proof(term: str, value: Any, bound: Any, proved: bool, running: bool = False) -> str:
    """Say whether a stage's value is proved the best, or how far it may still go."""
    if proved or (bound is not None and value == bound):
        return _("the fewest possible, proved") if term == "breaks" else _("the best possible, proved")
    if term == "breaks" and bound:
        return ngettext("at least %(num)d cannot be avoided", "at least %(num)d cannot be avoided", bound)
    if term != "breaks" and bound is not None:
        return ngettext("at most %(num)d possible", "at most %(num)d possible", bound)
    return _("searching for better") if running else _("could still improve with more time")


def _order(run: ScheduleRun) -> list[str]:
    done = [s.get("term") for s in (run.stats or {}).get("stages", []) if s.get("term") in OBJECTIVE]
    return done + [t for t in OBJECTIVE if t not in done]


def _stages(run: ScheduleRun, participants: int) -> tuple[list[Stage], float]:
    """Return the stages with their figures, and how far the solve has gone (0 to 1)."""
    order, p = _order(run), run.progress or {}
    finished = {s["term"]: s for s in (run.stats or {}).get("stages", []) if "term" in s}
    seen = p.get("stage_values") or {}
    current = p.get("stage") if run.status in ("queued", "running") else None
    stages, done = [], 0.0
    for index, term in enumerate(order):
        name = _("%(index)d/%(count)d %(name)s", index=index + 1, count=len(order), name=STAGE_NAMES[term])
        if term in finished:
            value, bound, proved = (finished[term].get(k) for k in ("value", "bound", "status"))
            stage = Stage(
                name,
                "done",
                figure(term, value, participants),
                proof(term, value, bound, proved == "optimal"),
            )
            done += 1
        elif term == current or term in seen:
            value, bound = (seen.get(term) or [p.get("value"), p.get("bound")])[:2]
            state = "current" if term == current else "done"
            proved = proof(term, value, bound, False, running=state == "current")
            stage = Stage(name, state, figure(term, value, participants), proved)
            done += _stage_share(run, p, index, len(order)) if state == "current" else 1
        else:
            stage = Stage(name, "waiting")
        stages.append(stage)
    return stages, done / len(order)


def _stage_share(run: ScheduleRun, p: dict, index: int, count: int) -> float:
    """Estimate how much of the current stage is done from its share of the time left when it began."""
    started = float(p.get("stage_started") or 0.0)
    budget = max(0.1, (run.time_limit - started) / max(1, count - index))
    return min(0.95, max(0.0, (float(p.get("elapsed") or 0.0) - started) / budget))


def summary(run: ScheduleRun, participants: int) -> str:
    """Say a finished run's result in one sentence."""
    if run.status == "failed":
        return _("The computation failed: no schedule was written. Below, where it was when it stopped.")
    if not run.drafts:
        return _("No schedule was found.")
    o = run.objective or {}
    sentence = (
        join(
            ngettext("%(num)d meeting", "%(num)d meetings", len(run.drafts)),
            ngettext(
                "%(num)d participant out of %(total)d has at least one",
                "%(num)d participants out of %(total)d have at least one",
                o.get("coverage", 0),
                total=participants,
            ),
            figure("weight", o.get("weight", 0), participants),
            ngettext("%(num)d idle gap", "%(num)d idle gaps", o.get("breaks", 0)),
        )
        + "."
    )
    if run.status == "cancelled" or (run.stats or {}).get("cancelled"):
        return sentence + " " + _("Stopped before the end: this is the best schedule found until then.")
    if run.solver_status == "optimal":
        return sentence + " " + _("The best possible, proved, in this order of priorities.")
    return (
        sentence
        + " "
        + _(
            "The best schedule found in the time given: the stages not marked “proved” could still "
            "improve with more time."
        )
    )


def run_view(fair: Fair, run: ScheduleRun, participants: int) -> RunView:
    """Return what the run page and its live fragment show."""
    stages, share = _stages(run, participants)
    finished = run.status not in ("queued", "running")
    points = _(
        "Points: a “must meet” wish counts %(high)d, a “would like to meet” one %(mid)d, an “if possible” "
        "one %(low)d; a mutual wish counts both sides.",
        high=fair.weight_high, mid=fair.weight_mid, low=fair.weight_low,
    )  # fmt: skip
    return RunView(
        status=label(RUN_STATUS_LABELS, run.status),
        stages=stages,
        percent=100 if finished else int(round(100 * share)),
        summary=summary(run, participants) if finished else "",
        points=points,
        elapsed=_elapsed(run),
    )


def _elapsed(run: ScheduleRun) -> float:
    """Return the seconds the run has taken: the wall clock while it runs, then the solver's figure.

    The solver reports its own time only once its search begins, after the model is built: until then the page
    said "0,0 s" for a while, as if nothing happened.
    """
    reported = float((run.progress or {}).get("elapsed") or 0.0)
    if run.status == "running" and run.started_at is not None:
        return max(reported, (utcnow() - run.started_at).total_seconds())
    return reported
