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
    stages = stage_entries(instance, full, bounds)
    stats: dict[str, Any] = {**result.stats, "stages": stages, "method": "first-fit greedy (the safety net)"}
    stats["search_objective"] = dict(result.objective)
    return SolveResult("feasible", greedy.meetings, greedy.objective, bounds, (), stats, instance.name)


def stage_entries(
    inst: Instance, objective: dict[str, int], bounds: dict[str, int], seconds: dict[str, float] | None = None
) -> list[dict[str, Any]]:
    """Return one stats entry per term; a stage is optimal when its value meets a proved bound."""
    entries: list[dict[str, Any]] = []
    left = dict(seconds or {})  # large.py's shared choose-and-place phase counts once, on the first term
    for term in inst.objective:
        bound = bounds.get(term)
        prev = entries[-1] if entries else None
        after_cover = prev is not None and prev["term"] == "coverage" and prev["status"] == "optimal"
        if term == "weight" and after_cover:
            bound = bounds.get("weight_at_max_coverage", bound)
        proved = bound is not None and objective[term] == bound
        entry: dict[str, Any] = {"term": term, "status": "optimal" if proved else "feasible"}
        entry["value"] = objective[term]
        if seconds is not None:
            entry["seconds"] = left.pop("breaks" if term == "breaks" else "choose_and_place", 0.0)
        entries.append(entry if bound is None else {**entry, "bound": bound})
    return entries
