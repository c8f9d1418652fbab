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
from dataclasses import dataclass
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


class Matching:
    """The b-matching min-cost flow of the optional meetings, built once and solved with capacities cut.

    Each participant u has a node on the left (from a gate holding at most `limit` units) or the right
    (to the sink), a unit arc worth -big for its first meeting when u is a bonus vertex, and the rest of
    its capacity at cost 0; each arc (a, b, w) of a wished pair costs -w. The solution maximises
    big x (bonus vertices with flow) + weight.
    """

    def __init__(
        self,
        left: list[int],
        right: list[int],
        arcs: list[tuple[int, int, int]],
        caps: list[int],
        bonus: set[int],
        limit: int,
        big: int,
    ) -> None:
        self.flow = min_cost_flow.SimpleMinCostFlow()
        self.caps = caps
        n = len(caps)
        src, gate, sink = 2 * n, 2 * n + 1, 2 * n + 2
        supply = sum(caps[u] for u in left)
        self.flow.add_arc_with_capacity_and_unit_cost(src, sink, supply, 0)
        self.flow.add_arc_with_capacity_and_unit_cost(src, gate, min(limit, supply), 0)
        self.bonus_arcs: list[int] = []
        self.node_arcs: dict[int, list[tuple[int, bool]]] = defaultdict(list)  # (arc, is the bonus unit)
        for nodes, offset in ((left, 0), (right, n)):
            for u in nodes:
                ends = (gate, u) if offset == 0 else (u + n, sink)
                has_bonus = u in bonus and caps[u] > 0
                if has_bonus:
                    arc = self.flow.add_arc_with_capacity_and_unit_cost(*ends, 1, -big)
                    self.bonus_arcs.append(arc)
                    self.node_arcs[u].append((arc, True))
                rest = self.flow.add_arc_with_capacity_and_unit_cost(*ends, caps[u] - has_bonus, 0)
                self.node_arcs[u].append((rest, False))
        self.edges = [(self.flow.add_arc_with_capacity_and_unit_cost(a, b + n, 1, -w), w) for a, b, w in arcs]
        self.flow.set_node_supply(src, supply)
        self.flow.set_node_supply(sink, -supply)

    def solve(self, cut: dict[int, int] | None = None) -> tuple[int, int]:
        """Return (bonus vertices reached, weight), with the capacities in `cut` lowered for this solve."""
        for u, cap in (cut or {}).items():
            self._set(u, min(cap, self.caps[u]))
        try:
            if self.flow.solve() != self.flow.OPTIMAL:
                raise RuntimeError("min-cost flow failed on a feasible network")
            reached = sum(self.flow.flow(arc) for arc in self.bonus_arcs)
            return reached, sum(w * self.flow.flow(arc) for arc, w in self.edges)
        finally:
            for u in cut or {}:
                self._set(u, self.caps[u])

    def _set(self, u: int, cap: int) -> None:
        """Give participant u's node arcs a total capacity cap (its bonus unit first)."""
        for arc, is_bonus in self.node_arcs[u]:
            self.flow.set_arc_capacity(arc, min(cap, 1) if is_bonus else cap)
            if is_bonus:
                cap = max(0, cap - 1)


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
    return Matching(left, right, arcs, caps, bonus, limit, big).solve()


def matchings(
    inst: Instance, edges: list[tuple[int, int, int]], caps: list[int], free: set[int], limit: int
) -> tuple[Matching, Matching, bool]:
    """Return the flows with the coverage bonus and without, and whether the graph is bipartite.

    Not bipartite: the bipartite double cover (each participant on both sides, each pair both ways) counts
    every b-matching twice, so half its optimum bounds each term.
    """
    n = len(caps)
    big = sum(w for _, _, w in edges) + 1
    side = two_colouring(n, edges)
    if side is not None:
        left = [u for u in range(n) if side[u] == 0]
        right = [u for u in range(n) if side[u] == 1]
        arcs = [(a, b, w) if side[a] == 0 else (b, a, w) for a, b, w in edges]
        return (
            Matching(left, right, arcs, caps, free, limit, big),
            Matching(left, right, arcs, caps, set(), limit, 0),
            True,
        )
    both = list(range(n))
    arcs = [(a, b, w) for a, b, w in edges] + [(b, a, w) for a, b, w in edges]
    return (
        Matching(both, both, arcs, caps, free, 2 * limit, big),
        Matching(both, both, arcs, caps, set(), 2 * limit, 0),
        False,
    )


@dataclass
class Relaxation:
    """The b-matching relaxation of an instance: flows of its optional meetings, and the required ones."""

    covering: Matching  # with a bonus for each participant's first meeting
    weighing: Matching  # weight alone
    bipartite: bool  # else both flows run on the double cover and count every meeting twice
    covered: set[int]  # participants covered by required meetings
    forced_weight: int  # the value of the pairs with a required meeting
    caps: list[int]  # each participant's capacity for optional meetings


def relaxation(instance: Instance, items: list[Item]) -> Relaxation:
    """Build the b-matching relaxation of an instance's possible meetings."""
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
    covering, weighing, bipartite = matchings(instance, edges, caps, free, limit)
    return Relaxation(covering, weighing, bipartite, covered, forced_weight, caps)


def relaxed_terms(rel: Relaxation, cut: dict[int, int] | None = None) -> dict[str, int]:
    """Return the relaxation's bounds on coverage, weight and weight at max coverage (capacities cut)."""
    cover, at_cover = rel.covering.solve(cut)
    _, weight = rel.weighing.solve(cut)
    if not rel.bipartite:
        cover, weight, at_cover = cover // 2, weight // 2, weight // 2
    return {
        "coverage": len(rel.covered) + cover,
        "weight": rel.forced_weight + weight,
        "weight_at_max_coverage": rel.forced_weight + at_cover,
    }


def compute_bounds(instance: Instance) -> dict[str, Any]:
    """Return proved bounds: coverage, weight, weight_at_max_coverage (upper) and breaks (lower)."""
    items = make_items(instance)
    return {**relaxed_terms(relaxation(instance, items)), "breaks": breaks_lower_bound(instance, items)}
