"""Which optional meetings take place: a max weighted b-matching solved as a min-cost flow.

Same network as solver.bounds (capacities min(max_meetings, available slots) minus required meetings, at
most tables x slots meetings), with a bonus per participant's first meeting (coverage) and a larger one per
meeting still owed to min_meetings. On two-sided (bipartite) instances the flow is integral, so the chosen
pairs reach the coverage and weight bounds whenever they can all be placed in slots.
"""

from __future__ import annotations

from ortools.graph.python import min_cost_flow

from solver.bounds import two_colouring
from solver.instance import Instance
from solver.model import Item


def _capacities(inst: Instance, items: list[Item]) -> tuple[list[int], list[int], set[int]]:
    """Return free capacity and meetings owed to min_meetings per participant, and the covered ones."""
    forced = [0] * len(inst.participants)
    for item in items:
        if item.required:
            for p in item.pair:
                forced[p] += 1
    caps, owed = [], []
    for p, part in enumerate(inst.participants):
        cap = len(inst.slots) - len(set(part.unavailable))
        if part.max_meetings is not None:
            cap = min(cap, part.max_meetings)
        caps.append(max(0, cap - forced[p]))
        owed.append(max(0, part.min_meetings - forced[p]))
    return caps, owed, {p for p in range(len(forced)) if forced[p]}


def _bonuses(inst: Instance, total_weight: int) -> tuple[int, int, bool]:
    """Return (coverage bonus, min-meetings bonus, use weights) for the instance's objective order."""
    terms = [t for t in inst.objective if t in ("coverage", "weight")]
    cover = total_weight + 1 if terms[:1] == ["coverage"] else 0
    return cover, (cover + 1) * (len(inst.participants) + 1) + total_weight + 1, "weight" in terms


def _node_arcs(
    flow: min_cost_flow.SimpleMinCostFlow, ends: tuple[int, int], cap: int, owed: int, bonus: int, big: int
) -> None:
    """Add the arcs of one participant: owed units (cost -big), a first unit (-bonus), the rest (0)."""
    first = min(owed, cap)
    if first:
        flow.add_arc_with_capacity_and_unit_cost(*ends, first, -big)
    rest = cap - first
    if bonus and rest and not first:
        flow.add_arc_with_capacity_and_unit_cost(*ends, 1, -bonus)
        rest -= 1
    if rest:
        flow.add_arc_with_capacity_and_unit_cost(*ends, rest, 0)


def select_meetings(
    inst: Instance,
    items: list[Item],
    values: dict[tuple[int, int], int],
    banned: set[int] | frozenset[int] = frozenset(),
    keep: set[int] | frozenset[int] = frozenset(),
) -> list[int] | None:
    """Return the optional items to hold (never `banned`, ties to `keep`), or None when not two-sided."""
    caps, owed, covered = _capacities(inst, items)
    cand = [
        k
        for k, it in enumerate(items)
        if not it.required and it.slots and k not in banned and caps[it.pair[0]] > 0 and caps[it.pair[1]] > 0
    ]
    n = len(caps)
    side = two_colouring(n, [(items[k].pair[0], items[k].pair[1], 1) for k in cand])
    if side is None:
        return None
    scale = len(cand) + 1  # weights scaled so that a kept pair only breaks ties
    total = scale * sum(values.get(items[k].pair, 0) for k in cand) + len(cand)
    cover, big, use_weight = _bonuses(inst, total)
    flow = min_cost_flow.SimpleMinCostFlow()
    src, gate, sink = 2 * n, 2 * n + 1, 2 * n + 2
    supply = sum(caps[u] for u in range(n) if side[u] == 0)
    limit = max(0, len(inst.tables) * len(inst.slots) - sum(1 for it in items if it.required))
    flow.add_arc_with_capacity_and_unit_cost(src, sink, supply, 0)
    flow.add_arc_with_capacity_and_unit_cost(src, gate, min(limit, supply), 0)
    for u in range(n):
        ends = (gate, u) if side[u] == 0 else (u + n, sink)
        _node_arcs(flow, ends, caps[u], owed[u], 0 if u in covered else cover, big)
    arcs = []
    for k in cand:
        a, b = items[k].pair
        a, b = (a, b) if side[a] == 0 else (b, a)
        w = (scale * values.get(items[k].pair, 0) if use_weight else 0) + (k in keep)
        arcs.append((flow.add_arc_with_capacity_and_unit_cost(a, b + n, 1, -w), k))
    flow.set_node_supply(src, supply)
    flow.set_node_supply(sink, -supply)
    if flow.solve() != flow.OPTIMAL:
        return None
    return [k for arc, k in arcs if flow.flow(arc)]
