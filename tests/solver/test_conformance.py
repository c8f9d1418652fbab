"""The validator conforms to every example of ../shared/spec/examples (same rule ids, same objective)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from solver.instance import load_instance
from solver.objective import compute_objective
from solver.schedule import load_schedule
from solver.validate import violations
from tests.shared import shared_path

EXAMPLE_NAMES = sorted(
    p.name.removesuffix(".expected.json") for p in shared_path().glob("spec/examples/*.expected.json")
)


@pytest.fixture
def examples() -> Path:
    """Return the examples directory (skip or fail when the shared directory is absent)."""
    from tests.shared import shared_dir

    return shared_dir("spec", "examples")


def test_examples_are_present(examples: Path) -> None:
    assert len(list(examples.glob("*.expected.json"))) >= 20


@pytest.mark.parametrize("name", EXAMPLE_NAMES or ["(no examples)"])
def test_example_conforms(examples: Path, name: str) -> None:
    expected = json.loads((examples / f"{name}.expected.json").read_text())
    instance = load_instance(examples / expected["instance"])
    schedule = load_schedule(examples / f"{name}.schedule.json")
    assert Counter(v.rule for v in violations(instance, schedule)) == Counter(expected["violations"])
    assert compute_objective(instance, schedule.meetings) == expected["objective"]


@pytest.mark.parametrize("name", ["fair", "fair2", "fair3"])
def test_example_instance_round_trips(examples: Path, name: str) -> None:
    from solver.instance import instance_from_dict, instance_to_dict

    instance = load_instance(examples / f"{name}.instance.json")
    again = instance_from_dict(json.loads(json.dumps(instance_to_dict(instance))))
    assert again == instance
    assert again.tables_as_count == instance.tables_as_count


def test_missing_shared_dir_skips(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tests.shared import shared_dir

    monkeypatch.setenv("SALON_SHARED_DIR", str(tmp_path / "absent"))
    monkeypatch.delenv("SALON_REQUIRE_SHARED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="SALON_SHARED_DIR"):
        shared_dir("spec")


def test_missing_shared_dir_fails_when_required(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tests.shared import shared_dir

    monkeypatch.setenv("SALON_SHARED_DIR", str(tmp_path / "absent"))
    monkeypatch.setenv("SALON_REQUIRE_SHARED", "1")
    with pytest.raises(pytest.fail.Exception, match="SALON_REQUIRE_SHARED=1"):
        shared_dir("spec")
    monkeypatch.setenv("SALON_SHARED_DIR", str(tmp_path))
    assert shared_dir() == tmp_path
