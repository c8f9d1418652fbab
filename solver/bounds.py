"""Proved bounds: upper bounds on coverage and weight, a lower bound on breaks.

Coverage and weight come from a maximum weighted b-matching solved as a min-cost flow. The optional
meetings of any schedule form a b-matching of the wished pairs that can meet: each participant's capacity
is min(max_meetings, available slots) minus its mandatory and locked meetings, and there are at most
tables x slots meetings in all. So the flow's optimum bounds them. When the graph of optional pairs is
bipartite (two-sided fairs) the flow is integral and the bound is the b-matching optimum; otherwise a
bipartite double cover (each participant on both sides, each pair both ways) counts every matching twice,
so half its optimum is a valid, weaker, upper bound (and weight_at_max_coverage falls back to the weight
bound). Mandatory and locked meetings add their participants to coverage and their pairs to weight.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ortools.graph.python import min_cost_flow

from solver.bounds_breaks import breaks_lower_bound
from solver.instance import Instance
from solver.model import Item, make_items, pair_values


def _capacities(inst: Instance, items: list[Item]) -> tuple[list[int], set[int], int]:
    """Return each participant's free capacity, the forced-covered participants and the forced weight."""
    forced = [0] * len(inst.participants)
    covered: set[int] = set()
    for item in items:
        if item.required:
            for p in item.pair:
                forced[p] += 1
                covered.add(p)
    caps = []
    for p, part in enumerate(inst.participants):
        cap = len(inst.slots) - len(set(part.unavailable))
        if part.max_meetings is not None:
            cap = min(cap, part.max_meetings)
        caps.append(max(0, cap - forced[p]))
    values = pair_values(inst)
    forced_pairs = {item.pair for item in items if item.required}
    return caps, covered, sum(values.get(pair, 0) for pair in forced_pairs)


def two_colouring(n: int, edges: list[tuple[int, int, int]]) -> list[int] | None:
    """Return a side (0/1) per vertex when the graph is bipartite, else None."""
    adj: dict[int, list[int]] = defaultdict(list)
    for a, b, _ in edges:
        adj[a].append(b)
        adj[b].append(a)
    side = [-1] * n
    for root in range(n):
        if side[root] >= 0:
            continue
        side[root], stack = 0, [root]
        while stack:
            u = stack.pop()
            for v in adj[u]:
                if side[v] < 0:
                    side[v] = 1 - side[u]
                    stack.append(v)
                elif side[v] == side[u]:
                    return None
    return side


def flow_bound(
    left: list[int],
    right: list[int],
    arcs: list[tuple[int, int, int]],
    caps: list[int],
    bonus: set[int],
    limit: int,
    big: int,
) -> tuple[int, int]:
    """Maximise big x (bonus vertices with flow) + weight; return (bonus vertices reached, weight)."""
    flow = min_cost_flow.SimpleMinCostFlow()
    n = len(caps)
    src, gate, sink = 2 * n, 2 * n + 1, 2 * n + 2
    supply = sum(caps[u] for u in left)
    flow.add_arc_with_capacity_and_unit_cost(src, sink, supply, 0)
    flow.add_arc_with_capacity_and_unit_cost(src, gate, min(limit, supply), 0)
    bonus_arcs = []
    for nodes, offset in ((left, 0), (right, n)):
        for u in nodes:
            ends = (gate, u) if offset == 0 else (u + n, sink)
            rest = caps[u]
            if u in bonus and rest > 0:
                bonus_arcs.append(flow.add_arc_with_capacity_and_unit_cost(*ends, 1, -big))
                rest -= 1
            if rest > 0:
                flow.add_arc_with_capacity_and_unit_cost(*ends, rest, 0)
    edge_arcs = [(flow.add_arc_with_capacity_and_unit_cost(a, b + n, 1, -w), w) for a, b, w in arcs]
    flow.set_node_supply(src, supply)
    flow.set_node_supply(sink, -supply)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("min-cost flow failed on a feasible network")
    reached = sum(flow.flow(arc) for arc in bonus_arcs)
    return reached, sum(w * flow.flow(arc) for arc, w in edge_arcs)


def _matching_bounds(
    inst: Instance, edges: list[tuple[int, int, int]], caps: list[int], free: set[int], limit: int
) -> dict[str, int]:
    """Return coverage gain, weight and weight at max coverage of the optional b-matching."""
    n = len(caps)
    big = sum(w for _, _, w in edges) + 1
    side = two_colouring(n, edges)
    if side is not None:
        left = [u for u in range(n) if side[u] == 0]
        right = [u for u in range(n) if side[u] == 1]
        arcs = [(a, b, w) if side[a] == 0 else (b, a, w) for a, b, w in edges]
        cover, at_cover = flow_bound(left, right, arcs, caps, free, limit, big)
        _, weight = flow_bound(left, right, arcs, caps, set(), limit, 0)
        return {"coverage": cover, "weight": weight, "weight_at_max_coverage": at_cover}
    both = list(range(n))
    arcs = [(a, b, w) for a, b, w in edges] + [(b, a, w) for a, b, w in edges]
    cover, _ = flow_bound(both, both, arcs, caps, free, 2 * limit, big)
    _, weight = flow_bound(both, both, arcs, caps, set(), 2 * limit, 0)
    return {"coverage": cover // 2, "weight": weight // 2, "weight_at_max_coverage": weight // 2}


def compute_bounds(instance: Instance) -> dict[str, Any]:
    """Return proved bounds: coverage, weight, weight_at_max_coverage (upper) and breaks (lower)."""
    items = make_items(instance)
    caps, covered, forced_weight = _capacities(instance, items)
    values = pair_values(instance)
    edges = [
        (it.pair[0], it.pair[1], values[it.pair])
        for it in items
        if not it.required and it.slots and caps[it.pair[0]] > 0 and caps[it.pair[1]] > 0
    ]
    forced_meetings = sum(1 for it in items if it.required)
    limit = max(0, len(instance.tables) * len(instance.slots) - forced_meetings)
    free = set(range(len(caps))) - covered
    found = _matching_bounds(instance, edges, caps, free, limit)
    return {
        "coverage": len(covered) + found["coverage"],
        "weight": forced_weight + found["weight"],
        "weight_at_max_coverage": forced_weight + found["weight_at_max_coverage"],
        "breaks": breaks_lower_bound(instance, items),
    }
