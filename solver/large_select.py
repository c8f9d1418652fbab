"""Which optional meetings take place: a max weighted b-matching solved as a min-cost flow.

Same network as solver.bounds (capacities min(max_meetings, available slots) minus required meetings, at
most tables x slots meetings), with a bonus per participant's first meeting (coverage) and a larger one per
meeting still owed to min_meetings. On two-sided (bipartite) instances the flow is integral, so the chosen
pairs reach the coverage and weight bounds whenever they can all be placed in slots. Other wish graphs
(suppliers meeting suppliers, participants without a side) go through the bipartite double cover and a
rounding.
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
) -> list[int]:
    """Return the optional items to hold (never `banned`, ties to `keep`).

    Two-sided (bipartite) wish graphs: the flow's optimum, exact. Otherwise the flow on the bipartite
    double cover (every participant on both sides, every pair both ways) gives a half-integral b-matching:
    pairs used both ways are taken, then the pairs used one way, then the other candidates, best first,
    while both participants have room (_round).
    """
    caps, owed, covered = _capacities(inst, items)
    cand = [
        k
        for k, it in enumerate(items)
        if not it.required and it.slots and k not in banned and caps[it.pair[0]] > 0 and caps[it.pair[1]] > 0
    ]
    n = len(caps)
    side = two_colouring(n, [(items[k].pair[0], items[k].pair[1], 1) for k in cand])
    scale = len(cand) + 1  # weights scaled so that a kept pair only breaks ties
    total = scale * sum(values.get(items[k].pair, 0) for k in cand) + len(cand)
    cover, big, use_weight = _bonuses(inst, total)
    weight = {k: (scale * values.get(items[k].pair, 0) if use_weight else 0) + (k in keep) for k in cand}
    limit = max(0, len(inst.tables) * len(inst.slots) - sum(1 for it in items if it.required))
    bonus = [0 if u in covered else cover for u in range(n)]
    if side is not None:
        arcs = [(k, *(items[k].pair if side[items[k].pair[0]] == 0 else items[k].pair[::-1])) for k in cand]
        used = _flow(n, [u for u in range(n) if side[u] == 0], arcs, (caps, owed, bonus), limit, big, weight)
        return sorted(k for k, times in used.items() if times)
    arcs = [(k, a, b) for k in cand for a, b in (items[k].pair, items[k].pair[::-1])]
    used = _flow(n, list(range(n)), arcs, (caps, owed, bonus), 2 * limit, big, weight)
    return _round(items, cand, used, caps, limit, owed, weight)


def _flow(
    n: int,
    left: list[int],
    arcs: list[tuple[int, int, int]],
    nodes: tuple[list[int], list[int], list[int]],
    limit: int,
    big: int,
    weight: dict[int, int],
) -> dict[int, int]:
    """Solve the b-matching flow (left copies to right copies); return each item's units of flow."""
    caps, owed, bonus = nodes
    flow = min_cost_flow.SimpleMinCostFlow()
    src, gate, sink = 2 * n, 2 * n + 1, 2 * n + 2
    supply = sum(caps[u] for u in left)
    flow.add_arc_with_capacity_and_unit_cost(src, sink, supply, 0)
    flow.add_arc_with_capacity_and_unit_cost(src, gate, min(limit, supply), 0)
    right = {b for _, _, b in arcs}
    for u in left:
        _node_arcs(flow, (gate, u), caps[u], owed[u], bonus[u], big)
    for u in sorted(right):
        _node_arcs(flow, (u + n, sink), caps[u], owed[u], bonus[u], big)
    ids = [(flow.add_arc_with_capacity_and_unit_cost(a, b + n, 1, -weight[k]), k) for k, a, b in arcs]
    flow.set_node_supply(src, supply)
    flow.set_node_supply(sink, -supply)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("min-cost flow failed on a feasible network")
    used: dict[int, int] = {}
    for arc, k in ids:
        used[k] = used.get(k, 0) + flow.flow(arc)
    return used


def _round(
    items: list[Item],
    cand: list[int],
    used: dict[int, int],
    caps: list[int],
    limit: int,
    owed: list[int],
    weight: dict[int, int],
) -> list[int]:
    """Turn the double cover's half-integral b-matching into a b-matching.

    Pairs used both ways first, then one way, then the others; within each, pairs owed to min_meetings
    first, then by weight; each taken while both participants have room.
    """
    room = list(caps)
    chosen: list[int] = []

    def order(k: int) -> tuple[int, ...]:
        a, b = items[k].pair
        return (-used.get(k, 0), -(owed[a] > 0) - (owed[b] > 0), -weight[k], k)

    for k in sorted(cand, key=order):
        a, b = items[k].pair
        if len(chosen) < limit and room[a] > 0 and room[b] > 0:
            chosen.append(k)
            room[a] -= 1
            room[b] -= 1
    return sorted(chosen)
