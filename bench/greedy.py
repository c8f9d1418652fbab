"""The greedy first-fit baseline (solver.firstfit) and the unmet-participant count of the reports."""

from __future__ import annotations

from solver.firstfit import greedy_schedule
from solver.instance import Instance, pair_values
from solver.schedule import SolveResult

__all__ = ["greedy_schedule", "unmet"]


def unmet(instance: Instance, result: SolveResult) -> tuple[int, int]:
    """Return (participants without any meeting, those of them with at least one wished partner)."""
    met = {p for m in result.meetings for p in m.participants}
    wished = {p for pair in pair_values(instance) for p in pair}
    alone = [p.id for p in instance.participants if p.id not in met]
    return len(alone), sum(1 for p in alone if p in wished)
