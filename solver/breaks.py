"""The breaks stage's main search: questions and an optimising search race deterministically.

After the probe (solver/probe.py) the lower bound is proved and a schedule may be hinted. Two lanes race
(solver/race.py), one worker each:
- questions: "is there a schedule with at most L breaks?" for L = the bound, then L + 1 after each
  refutation (no_lp, the plain search that finds the probe's schedules). A schedule found at L is optimal,
  since L is proved; a question left open ends the lane.
- optimise: the model's own objective (the per-participant break levels of rules_breaks), until proved.
The first to conclude in deterministic time gives the schedule. When neither does, the optimising search's
best schedule stands, with the better of the two proved bounds (it is optimal when they meet).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from solver.model import Model
from solver.race import Lane, Race
from solver.search import FOUND, Run, Settings

QUESTION_DTIME = 10.0  # deterministic time of each question
QUESTION = Settings(params=(("linearization_level", 0),))
OPTIMISE = Settings(params=(("linearization_level", 2),))


@dataclass
class StageEnd:
    """How a stage ended: CP-SAT status, the solution's values, its value and the proved bound."""

    status: Any
    values: list[int] | None = None
    value: int | None = None
    bound: int | None = None


def breaks_stage(m: Model, run: Run, info: dict[str, Any], lower: int, dtime: float) -> StageEnd:
    """Minimise breaks (m's objective, already set) from a proved lower bound, within dtime."""
    end = math.inf if math.isinf(dtime) else dtime

    def questions(lane: Lane) -> Any:
        bound = lower
        while lane.spent < end:
            qm = replace(m, cp=m.cp.clone())
            qm.cp.clear_objective()
            qm.cp.add(qm.terms["breaks"] <= bound)
            status, solver = lane.search(qm, QUESTION.with_dtime(min(QUESTION_DTIME, end - lane.spent)))
            if status in FOUND:
                return StageEnd(cp_model.OPTIMAL, list(solver.response_proto.solution), bound, bound)
            if status != cp_model.INFEASIBLE:
                return None
            bound += 1
            lane.result = bound
        return None

    def optimise(lane: Lane) -> Any:
        status, solver = lane.search(m, OPTIMISE.with_dtime(dtime), info)
        if status == cp_model.INFEASIBLE:
            return StageEnd(status)
        if status not in FOUND:
            return None
        found = StageEnd(status, list(solver.response_proto.solution), round(solver.objective_value))
        found.bound = round(solver.best_objective_bound)
        if status == cp_model.OPTIMAL:
            return found
        lane.result = found
        return None

    lanes = [Lane(questions), Lane(optimise)] if run.workers > 1 else [Lane(optimise)]
    infeasible = lambda outcome, lane: outcome.status == cp_model.INFEASIBLE  # noqa: E731
    winner = Race(run, lanes, excludes=infeasible).winner()
    if winner is not None:
        return winner.outcome  # type: ignore[no-any-return]
    best: StageEnd | None = lanes[-1].result
    if best is None:
        return StageEnd(cp_model.UNKNOWN)
    proved = lanes[0].result if len(lanes) > 1 and lanes[0].result is not None else lower
    best.bound = max(best.bound or 0, proved)
    if best.value == best.bound:
        best.status = cp_model.OPTIMAL
    return best
