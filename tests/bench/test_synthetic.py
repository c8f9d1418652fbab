"""The synthetic fair generator: deterministic, well-formed, with the requested shape."""

from __future__ import annotations

import json
import statistics
from collections import Counter

import pytest

from bench.synthetic import SIZES, main, make_fair
from solver.instance import instance_from_dict, instance_to_dict, load_instance, pair_values


def test_fair_is_the_same_for_the_same_seed() -> None:
    assert make_fair(200, 7) == make_fair(200, 7)


def test_fair_differs_for_another_seed() -> None:
    assert make_fair(200, 7).wishes != make_fair(200, 8).wishes


@pytest.mark.parametrize("size", [200, 1100])
def test_fair_round_trips_through_json(size: int) -> None:
    fair = make_fair(size, 3)
    data = json.loads(json.dumps(instance_to_dict(fair)))
    assert instance_from_dict(data) == fair


@pytest.mark.parametrize("size", sorted(SIZES))
def test_fair_has_the_requested_shape(size: int) -> None:
    shape = SIZES[size]
    fair = make_fair(size, 1)
    sides = Counter(p.side for p in fair.participants)
    assert len(fair.participants) == size
    assert sides == {"buyer": shape.buyers, "supplier": shape.suppliers}
    assert len(fair.wishes) == shape.wishes
    assert len(fair.slots) == shape.slots
    assert {s.session for s in fair.slots} == {"am", "pm"}
    assert fair.objective == ("coverage", "weight", "breaks")
    assert fair.breaks_within == "session"
    assert fair.timezone == "Europe/Paris"


def test_suppliers_have_their_own_home_tables_and_buyers_none() -> None:
    fair = make_fair(500, 2)
    homes = [p.table for p in fair.participants if p.side == "supplier"]
    assert [p.table for p in fair.participants if p.side == "buyer"] == [None] * 450
    assert sorted(homes) == sorted(fair.tables)
    assert len(set(homes)) == len(homes)


def test_wishes_cross_sides_once_with_spec_weights() -> None:
    fair = make_fair(1100, 1)
    side = {p.id: p.side for p in fair.participants}
    ordered = [(w.source, w.target) for w in fair.wishes]
    assert len(set(ordered)) == len(ordered)
    assert all(side[a] != side[b] for a, b in ordered)
    assert {w.weight for w in fair.wishes} == {10, 3, 1}
    assert max(pair_values(fair).values()) == 20  # two "incontournable" wishes of one pair sum


def test_popularity_is_skewed_towards_a_few_buyers() -> None:
    fair = make_fair(1100, 1)
    wished = Counter(w.target for w in fair.wishes if w.target.startswith("b"))
    counts = sorted(wished.values(), reverse=True)
    assert counts[0] >= 10 * statistics.median(counts)


@pytest.mark.parametrize("size", [200, 500, 1100])
def test_unavailable_share_is_between_5_and_15_percent(size: int) -> None:
    fair = make_fair(size, 1)
    share = sum(len(p.unavailable) for p in fair.participants) / (len(fair.participants) * len(fair.slots))
    assert 0.05 <= share <= 0.15


def test_stress_fair_has_partial_availability() -> None:
    fair = make_fair(3000, 1)
    half_day = [p for p in fair.participants if len(p.unavailable) >= len(fair.slots) // 2]
    assert len(half_day) >= 0.15 * len(fair.participants)


def test_slot_times_are_in_paris_time_and_ordered() -> None:
    slots = make_fair(1100, 1).slots
    assert slots[0].start == "2027-03-18T08:50:00+01:00"
    assert all(a.end <= b.start for a, b in zip(slots, slots[1:], strict=False))


def test_min_meetings_stay_within_max_meetings() -> None:
    fair = make_fair(1100, 1)
    asked = [p for p in fair.participants if p.min_meetings]
    assert asked
    assert all(p.max_meetings is None or p.min_meetings <= p.max_meetings for p in asked)


def test_command_line_writes_a_readable_instance(tmp_path) -> None:
    out = tmp_path / "fair.json"
    assert main(["--size", "200", "--seed", "5", "-o", str(out)]) == 0
    assert load_instance(out) == make_fair(200, 5)
