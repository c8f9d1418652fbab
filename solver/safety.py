"""The first-fit greedy as the solver's safety net: a result is never lexicographically worse than it."""

from __future__ import annotations

from typing import Any

from solver.instance import Instance
from solver.objective import compute_objective
from solver.schedule import SolveResult
from solver.validate import violations

SENSE = {"coverage": 1, "weight": 1, "breaks": -1}


def rank(instance: Instance, objective: dict[str, int]) -> tuple[int, ...]:
    """Return an objective as a tuple that compares lexicographically in the instance's order (larger is
    better)."""
    return tuple(SENSE[term] * objective[term] for term in instance.objective)


def at_least(instance: Instance, result: SolveResult, greedy: SolveResult | None) -> SolveResult:
    """Return the result, or the greedy's schedule when it is valid and lexicographically better.

    Proved results (optimal, infeasible) stand; so does any result when the greedy breaks a rule (it does
    not look for mandatory meetings' or min_meetings' completeness, precedence aside).
    """
    if greedy is None or result.status in ("optimal", "infeasible") or violations(instance, greedy):
        return result
    if result.meetings and rank(instance, result.objective) >= rank(instance, greedy.objective):
        return result
    full = compute_objective(instance, greedy.meetings)
    bounds = dict(result.bounds)
    if full["coverage"] != bounds.get("coverage"):
        bounds.pop("weight_at_max_coverage", None)
    stages = [{"term": t, "status": "feasible", "value": full[t]} for t in instance.objective]
    stats: dict[str, Any] = {**result.stats, "stages": stages, "method": "first-fit greedy (the safety net)"}
    stats["search_objective"] = dict(result.objective)
    return SolveResult("feasible", greedy.meetings, greedy.objective, bounds, (), stats, instance.name)
