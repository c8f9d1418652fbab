"""The project's format extension (docs/format): its conformance examples, the reader and the solver."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from solver.instance import InstanceError, instance_from_dict, instance_to_dict, load_instance
from solver.objective import compute_objective
from solver.schedule import load_schedule
from solver.solve import solve
from solver.validate import violations

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "format" / "examples"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in EXAMPLES.glob("*.expected.json"))


def test_examples_are_present() -> None:
    assert len(NAMES) >= 9


@pytest.mark.parametrize("name", NAMES)
def test_example_conforms(name: str) -> None:
    expected = json.loads((EXAMPLES / f"{name}.expected.json").read_text())
    instance = load_instance(EXAMPLES / expected["instance"])
    schedule = load_schedule(EXAMPLES / f"{name}.schedule.json")
    assert Counter(v.rule for v in violations(instance, schedule)) == Counter(expected["violations"])
    assert compute_objective(instance, schedule.meetings) == expected["objective"]


def test_unknown_value_is_rejected_by_name() -> None:
    with pytest.raises(InstanceError) as caught:
        load_instance(EXAMPLES / "unknown-value.instance.json")
    assert caught.value.problems == [
        "away_meetings: expected one of 'none', 'home', 'home-or-shared', got 'anywhere'"
    ]


@pytest.mark.parametrize("value", [None, 1, ["home"], "Home"])
def test_other_types_are_rejected(value: object) -> None:
    data = json.loads((EXAMPLES / "home.instance.json").read_text())
    data["away_meetings"] = value
    with pytest.raises(InstanceError, match="away_meetings"):
        instance_from_dict(data)


def test_default_is_none_and_not_written() -> None:
    instance = load_instance(EXAMPLES / "none.instance.json")
    assert instance.away_meetings == "none"
    assert "away_meetings" not in instance_to_dict(instance)


@pytest.mark.parametrize("value", ["home", "home-or-shared"])
def test_value_round_trips(value: str) -> None:
    instance = load_instance(EXAMPLES / f"{value}.instance.json")
    data = json.loads(json.dumps(instance_to_dict(instance)))
    assert data["away_meetings"] == value
    assert instance_from_dict(data) == instance


@pytest.mark.parametrize(
    ("name", "weight"),
    [("home", 35), ("home-or-shared", 35), ("none", 35 - 13 - 3 - 1)],
)
def test_solver_meets_exhibitors_only_where_allowed(name: str, weight: int) -> None:
    instance = load_instance(EXAMPLES / f"{name}.instance.json")
    result = solve(instance, time_limit=20, workers=1)
    assert result.status == "optimal"
    assert violations(instance, result) == []
    assert result.objective == {"coverage": 7, "weight": weight, "breaks": 0}


def test_locked_away_meeting_is_checked_against_the_extended_rule() -> None:
    data = json.loads((EXAMPLES / "home.instance.json").read_text())
    data["locked"] = [{"participants": ["e1", "e2"], "slot": "am1", "table": "E2"}]
    assert len(instance_from_dict(data).locked) == 1
    data["away_meetings"] = "none"
    with pytest.raises(InstanceError, match="home-table"):
        instance_from_dict(data)
