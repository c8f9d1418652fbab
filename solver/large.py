"""Large instances: choose meetings by min-cost flow, place them, polish breaks; and a greedy safety net.

solve() calls `solve_large` first: above LARGE_THRESHOLD candidate x[pair, slot] variables, on instances whose
objective puts breaks last, it (a) picks the optional meetings by a b-matching min-cost flow
(solver.large_select: exact for coverage and weight on two-sided wish graphs once every chosen meeting is
placed; on others, suppliers wishing suppliers or participants without a side, the flow on the bipartite
double cover and a rounding), (b) places them greedily with one-move and Koenig alternating-path repairs
(solver.large_place; the repair only succeeds where the alternating path does not close on itself, as it may
off two-sided graphs); CP-SAT places those still out, moving only meetings of their participants (and then of
their partners), and pairs that cannot be placed are banned and the flow re-run; free slots are then filled
with other wished pairs, and when the first-fit greedy's schedule holds more (coverage, then weight), the next
steps start from it instead (solver.large_greedy); (c) proves a lower bound on breaks given the coverage and
weight reached (solver.bounds_degree), and (d) minimises breaks by large-neighbourhood search
(solver.large_lns; one global CP-SAT model under a break spread). It returns None (solve() goes on with the
monolithic model) when it does not apply or its schedule fails the validator. `safety_net` turns the greedy
hint into a valid `feasible` result when CP-SAT found nothing; solve() also keeps the first-fit greedy's
schedule when it is better (solver.safety).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from solver.bounds_degree import forced_breaks
from solver.hint import greedy
from solver.large_cp import as_required, base_model, hint, instance_frame, run_cp, skeleton, stopped
from solver.large_greedy import better_start
from solver.large_lns import polish, sub_model
from solver.large_place import Board, fill, kempe, place_greedy, placement_order
from solver.large_select import select_meetings
from solver.model import Item, Model, chosen_classes, make_items, number_tables
from solver.objective import compute_objective
from solver.safety import stage_entries
from solver.schedule import ScheduledMeeting, SolveResult
from solver.search import FOUND, Settings, search
from solver.validate import violations

if TYPE_CHECKING:
    from solver.solve import Run

LARGE_THRESHOLD = 10_000  # candidate x[pair, slot] variables above which the decomposition is used
MAX_ROUNDS = 20  # flow re-selections after pairs that cannot be placed
MARGIN = 0.5  # seconds (plus 0.2 ms per meeting) kept after the last CP-SAT call for the result
METHOD = "decomposition (flow selection, CP-SAT placement and breaks)"
# Deterministic time of the CP-SAT placement of the meetings left out, moving their participants' meetings
# (1.0), then their partners' too (3.0). Measured: a first-hop placement that succeeds takes 0.0 units (the
# 1,100 and 3,000 fairs); the convention's second hop 2.0 units; on the demo fair, whose chosen meetings fill
# every table of every slot, both hops ran out of their budgets without a placement.
PLACE_DTIME = (1.0, 3.0)


def applies(inst: Any, items: list[Item]) -> bool:
    """Tell whether the decomposition is used: big enough, and breaks (if any) the last term."""
    terms = inst.objective
    if "breaks" in terms[:-1] or not ({"coverage", "weight"} & set(terms)):
        return False
    return sum(len(it.slots) for it in items) > LARGE_THRESHOLD


def to_meetings(
    m: Model, placed: dict[int, int], classes: dict[tuple[int, int], str | None] | None = None
) -> tuple[ScheduledMeeting, ...]:
    """Turn an item -> slot placement of m (and the table classes of choice items) into scheduled meetings."""
    out = []
    tables = number_tables(m, sorted(placed.items()), classes)
    for k, t, table in sorted(tables, key=lambda e: (e[1], e[2])):
        item = m.items[k]
        pair = (m.inst.participants[item.pair[0]].id, m.inst.participants[item.pair[1]].id)
        out.append(ScheduledMeeting(pair, m.inst.slots[t].id, table, item.mandatory))
    return tuple(out)


def finish(
    inst: Any, meetings: tuple[ScheduledMeeting, ...], run: Run, bounds: dict[str, int], info: dict[str, Any]
) -> SolveResult | None:
    """Return the validated result of a schedule (None when the validator objects)."""
    full = compute_objective(inst, meetings)
    bounds = dict(bounds)
    if full.get("coverage") != bounds.get("coverage"):
        bounds.pop("weight_at_max_coverage", None)
    stage_bounds = dict(bounds)
    if "breaks_bound" in info:  # given the coverage and weight reached: the breaks stage's own bound
        stage_bounds["breaks"] = max(bounds.get("breaks", 0), info["breaks_bound"]["breaks"])
    stages = stage_entries(inst, full, stage_bounds, info.get("phase_seconds", {}))
    proved = all(s["status"] == "optimal" for s in stages)
    stats: dict[str, Any] = {"stages": stages, **info, "solve_seconds": round(run.elapsed(), 3)}
    if run.cancelled:
        stats["cancelled"] = True
    objective = {term: full[term] for term in inst.objective}
    status = "optimal" if proved else "feasible"
    result = SolveResult(status, meetings, objective, bounds, (), stats, inst.name)
    return None if violations(inst, result) else result


def safety_net(m: Model, run: Run, bounds: dict[str, int]) -> SolveResult | None:
    """Return the greedy hint as a `feasible` result when it passes the validator, else None."""
    chosen = greedy(m)
    meetings = to_meetings(m, {k: t for k, t in chosen}, chosen)
    info = {"cp_stages": run.stages, "method": "greedy hint (CP-SAT found no schedule in time)"}
    result = finish(m.inst, meetings, run, bounds, info)
    if result is None:
        return None
    stats = {**result.stats, "stages": [{**s, "status": "feasible"} for s in result.stats["stages"]]}
    return replace(result, status="feasible", stats=stats)


def _place_near(full: Model, board: Board, order: list[int], run: Run) -> None:
    """Place the chosen meetings still out with CP-SAT, moving only meetings of their participants.

    First the meetings of the participants of the unplaced ones, then of their partners too; every other
    meeting stays where it is, and the tables it holds are off the sub-model's capacity (large_lns).
    """
    for hops in (0, 1):
        missing = [k for k in order if k not in board.slot_of]
        if not missing or stopped(run):
            return
        by_p: dict[int, list[int]] = defaultdict(list)
        for k in board.slot_of:
            for p in full.items[k].pair:
                by_p[p].append(k)
        people = {p for k in missing for p in full.items[k].pair}
        for _ in range(hops):
            people |= {q for p in list(people) for k in by_p[p] for q in full.items[k].pair}
        free = set(missing) | {k for p in people for k in by_p[p]}
        m, keys = sub_model(full, board.slot_of, free, by_p, board.seat)
        for (i, t), var in m.x.items():
            m.cp.add_hint(var, board.slot_of.get(keys[i]) == t)
        status, solver = search(m, run, Settings(PLACE_DTIME[hops]))
        if status in FOUND:
            values = list(solver.response_proto.solution)
            classes = chosen_classes(m, values)
            for k in [k for k in keys if k in board.slot_of]:
                board.take(k)
            for (i, t), var in m.x.items():
                if values[var.index]:
                    board.put(keys[i], t, classes.get((i, t)))
            return


def _reselect(full: Model, board: Board, chosen: list[int], run: Run, info: dict[str, Any]) -> None:
    """Ban the pairs the board cannot place and re-run the flow (ties to placed pairs) while some miss."""
    items, banned, rounds = full.items, set(), 0
    missing = [k for k in chosen if k not in board.slot_of]
    half = run.start + (run.deadline - run.start) / 2
    while missing and rounds < MAX_ROUNDS and time.monotonic() < half and not stopped(run):
        banned.update(missing)
        keep = {k for k in board.slot_of if not items[k].required}
        new = select_meetings(full.inst, items, full.pair_values, banned, keep)
        if new is None:
            break
        wanted = set(new)
        for k in [k for k in board.slot_of if not items[k].required and k not in wanted]:
            board.take(k)
        todo = placement_order(items, [k for k in new if k not in board.slot_of], full.inst.meetings)
        missing = [k for k in todo if not (board.place(k) or board.relocate(k) or kempe(board, k))]
        rounds += 1
    info["reselect_rounds"], info["unplaced"] = rounds, len(missing)


def _global_breaks(frame: Model, placed: dict[int, int], run: Run, bound: int) -> dict[int, int]:
    """Minimise breaks with one CP-SAT model of all placed meetings (needed for the break spread)."""
    keys = sorted(placed)
    m = base_model(skeleton(frame, as_required(frame.items[k] for k in keys)), with_breaks=True)
    hint(m, {i: placed[k] for i, k in enumerate(keys)}, min(2.0, run.left() / 4))
    m.cp.minimize(m.terms["breaks"])
    margin = MARGIN + 2e-4 * len(keys)
    best = run_cp(m, run, run.left() - margin, (_breaks_info(frame.inst), "breaks", bound))
    return placed if best is None else {keys[i]: t for i, t in best.items()}


def _breaks_info(inst: Any) -> dict[str, Any]:
    """Return the progress fields naming the breaks stage."""
    index = inst.objective.index("breaks") if "breaks" in inst.objective else len(inst.objective) - 1
    return {"stage": "breaks", "stage_index": index, "stages": len(inst.objective)}


def _minimise_breaks(frame: Model, placed: dict[int, int], run: Run, info: dict[str, Any]) -> dict[int, int]:
    """Minimise breaks: large-neighbourhood search, or one global model under a break spread."""
    if frame.inst.max_break_spread is not None:
        return _global_breaks(frame, placed, run, 0) if run.left() > MARGIN else placed
    end = run.deadline - (MARGIN + 2e-4 * len(placed))

    def report(value: int) -> None:
        if run.progress is not None:
            run.progress({**_breaks_info(frame.inst), "value": value, "bound": 0, "elapsed": run.elapsed()})

    placed, info["lns_improvements"] = polish(frame, placed, run, end, report)
    return placed


def _report(inst: Any, board: Board, run: Run, bounds: dict[str, int]) -> None:
    """Send one progress event per coverage/weight term once the meetings are placed."""
    if run.progress is None:
        return
    meetings = to_meetings(board.m, dict(board.slot_of))
    values = compute_objective(inst, meetings)
    for index, term in enumerate(inst.objective):
        if term != "breaks":
            event = {
                "stage": term,
                "stage_index": index,
                "stages": len(inst.objective),
                "value": values[term],
            }
            run.progress({**event, "bound": bounds.get(term), "elapsed": run.elapsed()})


def _choose_and_place(inst: Any, items: list[Item], run: Run, info: dict[str, Any]) -> Board:
    """Choose meetings by flow, place them (greedy, CP-SAT, re-selection, fill)."""
    homes = {p.table for p in inst.participants if p.table}
    full = instance_frame(inst, items, [t for t in inst.tables if t not in homes])
    chosen = select_meetings(inst, items, full.pair_values)
    required = [k for k, it in enumerate(items) if it.required]
    board, left = place_greedy(full, placement_order(items, required + chosen, inst.meetings))
    info.update(chosen=len(chosen), unplaced_greedy=len(left))
    if left and not stopped(run):
        _place_near(full, board, required + chosen, run)
    if not stopped(run):
        _reselect(full, board, chosen, run, info)
    caps = [p.max_meetings if p.max_meetings is not None else len(inst.slots) for p in inst.participants]
    others = [k for k, it in enumerate(items) if not it.required and k not in board.slot_of and it.slots]
    info["filled"] = len(fill(board, others, caps, full.pair_values))
    return board


def _frozen(board: Board) -> Model:
    """Return the board's frame with each placed item's table choice fixed to the class it got."""
    items = [
        replace(it, table=board.seat[k], tables=()) if it.tables and k in board.seat else it
        for k, it in enumerate(board.m.items)
    ]
    return instance_frame(board.m.inst, items, board.m.pool)


def solve_large(
    inst: Any, run: Run, bounds: dict[str, int], greedy: SolveResult | None = None
) -> SolveResult | None:
    """Solve a large instance by decomposition, or return None when it does not apply or fails.

    When the first-fit greedy's schedule ranks higher before breaks, breaks are minimised from it
    (solver.large_greedy).
    """
    items = make_items(inst)
    if not applies(inst, items):
        return None
    started = run.elapsed()
    info: dict[str, Any] = {"method": METHOD}
    board, info["greedy_start"] = better_start(_choose_and_place(inst, items, run, info), greedy)
    _report(inst, board, run, bounds)
    frame, placed = _frozen(board), dict(board.slot_of)
    seconds = {"choose_and_place": round(run.elapsed() - started, 3)}
    if "breaks" in inst.objective and not stopped(run):
        floors = compute_objective(inst, to_meetings(frame, placed))
        given = {t: floors[t] for t in ("coverage", "weight") if t in inst.objective}
        info["breaks_bound"] = {**forced_breaks(inst, items, given, board.count), "given": given}
    if ("breaks" in inst.objective or inst.max_break_spread is not None) and not stopped(run):
        placed = _minimise_breaks(frame, placed, run, info)
    seconds["breaks"] = round(run.elapsed() - started - seconds["choose_and_place"], 3)
    return finish(inst, to_meetings(frame, placed), run, bounds, {**info, "phase_seconds": seconds})
