"""Break-free windows: the per-participant bound, and the probe that raises it or finds a schedule."""

from __future__ import annotations

from solver.bounds import compute_bounds
from solver.model import make_items
from solver.windows import fixed_participants, participants_without_window, window_starts
from tests.solver.test_solve import make, solved, wishes


def partner_bound_instance():
    # p1 meets p2 (free only at t1) and p3 (free only at t3): alone p1 could fill t1-t2, not with them.
    parts = [{"id": "p1"}, {"id": "p2", "unavailable": ["t2", "t3"]}]
    parts.append({"id": "p3", "unavailable": ["t1", "t2"]})
    meetings = [{"participants": ["p1", "p2"]}, {"participants": ["p1", "p3"]}]
    return make(3, 3, participants=parts, meetings=meetings, objective=["breaks"])


def test_window_starts_follow_the_partners_slots():
    inst = make(3, 4, meetings=[{"participants": ["p1", "p2"], "slot": "t3"}, {"participants": ["p1", "p3"]}])
    items = make_items(inst)
    fixed = fixed_participants(inst, items)
    assert window_starts(inst, items, fixed[0]) == [1, 2]  # t2-t3 or t3-t4, never t1-t2


def test_optional_meetings_make_a_participant_not_fixed():
    inst = make(3, 3, meetings=[{"participants": ["p1", "p2"]}], wishes=wishes("p1-p3"))
    assert set(fixed_participants(inst, make_items(inst))) == {1}


def test_a_participant_no_window_fits_has_a_break():
    inst = partner_bound_instance()
    assert participants_without_window(inst, make_items(inst)) == {0}
    assert compute_bounds(inst)["breaks"] == 1
    assert solved(inst, time_limit=5).objective["breaks"] == 1


def test_probe_proves_a_break_that_no_participant_has_on_its_own():
    # One table: p4-p5 holds t2, so p1 meets p2 and p3 at t1 and t3. Each participant alone could be
    # break-free; only the probe (everyone break-free at once is infeasible) proves the bound of 1.
    meetings = [
        {"participants": ["p1", "p2"]},
        {"participants": ["p1", "p3"]},
        {"participants": ["p4", "p5"], "slot": "t2"},
    ]
    inst = make(5, 3, tables=1, meetings=meetings, objective=["breaks"])
    assert compute_bounds(inst)["breaks"] == 0
    result = solved(inst, time_limit=10)
    # Everyone break-free is refuted (bound 1), then freeing p1 alone finds the optimum.
    assert (result.stats["probe"]["lower_bound"], result.stats["probe"]["value"]) == (1, 1)
    assert (result.status, result.objective["breaks"], result.bounds["breaks"]) == ("optimal", 1, 1)


def test_probe_finds_a_break_free_schedule():
    meetings = [{"participants": ["p1", f"p{i}"]} for i in range(2, 6)] + [
        {"participants": ["p2", "p3"]},
        {"participants": ["p4", "p5"]},
    ]
    inst = make(5, 5, tables=2, meetings=meetings, objective=["breaks"], max_break_spread=2)
    result = solved(inst, time_limit=10)
    assert result.stats["probe"]["value"] == 0
    assert (result.status, result.objective["breaks"]) == ("optimal", 0)


def test_probe_raises_the_bound_by_two_when_every_single_release_is_refuted():
    # Two copies of the gadget above on two tables: p1 and p6 each need a break, and freeing either alone
    # leaves the other's window impossible, so the probe proves 2 where the per-participant bound is 0.
    meetings = []
    for a in (1, 6):
        meetings += [{"participants": [f"p{a}", f"p{a + 1}"]}, {"participants": [f"p{a}", f"p{a + 2}"]}]
        meetings.append({"participants": [f"p{a + 3}", f"p{a + 4}"], "slot": "t2"})
    inst = make(10, 3, tables=2, meetings=meetings, objective=["breaks"])
    assert compute_bounds(inst)["breaks"] == 0
    result = solved(inst, time_limit=10)
    assert (result.stats["probe"]["lower_bound"], result.stats["probe"]["value"]) == (2, None)
    assert (result.status, result.objective["breaks"], result.bounds["breaks"]) == ("optimal", 2, 2)


def test_probe_models_carry_the_lower_bound_and_keep_every_schedule_that_meets_it():
    # p1 has a break whatever happens (bound 1): the probe's model with that bound still has p1's schedule,
    # proves it optimal, and refuses a bound above the optimum.
    from ortools.sat.python import cp_model

    from solver.model import build_model
    from solver.probe import _probe_model, _released

    inst = partner_bound_instance()
    base = _probe_model(build_model(inst), [])
    for lower, expected in ((0, cp_model.OPTIMAL), (1, cp_model.OPTIMAL), (2, cp_model.INFEASIBLE)):
        pm = _released(base, None, lower=lower)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        status = solver.solve(pm.cp)
        assert status == expected
        if status == cp_model.OPTIMAL:
            assert solver.objective_value == 1
