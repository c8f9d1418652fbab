"""A lower bound on breaks among the schedules that reach given coverage and weight (the breaks stage's).

A participant is break-free only when, within each run of slots where breaks are counted, its meetings fill
one block of consecutive slots it can attend: so without a break it holds at most `room` meetings, the sum
over the runs of its longest block of available slots. If every schedule reaching the floors gives it more
meetings than that, it has a break. The b-matching flow of solver.bounds is a relaxation of the schedules:
with the participant's capacity cut to its room, an optimum below the floors proves it (coverage, then the
weight at that coverage on two-sided wish graphs; each term on its own otherwise). Only participants that
hold more than their room in the schedule found can be proved so (the others may need no break), and they
are tried in order within a fixed amount of flow work, so the bound is the same on any machine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from solver.bounds import Relaxation, relaxation, relaxed_terms
from solver.bounds_breaks import participant_bounds
from solver.instance import Instance, session_runs

if TYPE_CHECKING:
    from solver.model import Item

WORK = 1_000_000  # flow arcs solved, summed over the participants tried (about 3 s on the 2-core machine)


def room(inst: Instance, p: int) -> int:
    """Return the most meetings participant p can hold without a break (its availability alone)."""
    free = inst.available_positions[p]
    total = 0
    for run in session_runs(inst):
        longest = current = 0
        for t in run:
            current = current + 1 if t in free else 0
            longest = max(longest, current)
        total += longest
    return total


def _below(rel: Relaxation, cut: dict[int, int], floors: dict[str, int], order: list[str]) -> bool:
    """Tell whether the relaxation, with capacities cut, cannot reach the floors in the objective's order."""
    terms = relaxed_terms(rel, cut)
    if terms["coverage"] < floors.get("coverage", 0):
        return "coverage" in order
    at_max = order[:1] == ["coverage"] and rel.bipartite and floors.get("coverage") == terms["coverage"]
    weight = terms["weight_at_max_coverage"] if at_max else terms["weight"]
    return "weight" in order and weight < floors.get("weight", 0)


def forced_breaks(
    inst: Instance, items: list[Item], floors: dict[str, int], counts: list[int], work: int = WORK
) -> dict[str, int]:
    """Return a lower bound on breaks over the schedules reaching the floors (coverage and weight).

    counts holds each participant's meetings in a schedule that reaches them. The result also says how many
    participants were proved to need a break and how many could have been.
    """
    order = [t for t in inst.objective if t in ("coverage", "weight")]
    per = participant_bounds(inst, items)
    required = [0] * len(inst.participants)
    for item in items:
        if item.required:
            for p in item.pair:
                required[p] += 1
    rel = relaxation(inst, items)
    candidates = [p for p in range(len(inst.participants)) if counts[p] > room(inst, p) and not per[p]]
    tried = candidates[: max(1, work // max(1, rel.covering.flow.num_arcs()))]
    forced = sum(_below(rel, {p: max(0, room(inst, p) - required[p])}, floors, order) for p in tried)
    return {"breaks": sum(per) + forced, "forced": forced, "candidates": len(candidates), "tried": len(tried)}
