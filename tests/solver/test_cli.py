"""`python -m solver`: exit 0 when valid, 1 on violations, 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from solver.schedule import SolveResult, dump_schedule
from tests.shared import REPO_ROOT, shared_dir
from tests.solver.small import MINI, MINI_MEETINGS, MINI_OBJECTIVE


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the solver command line from the repository root."""
    command = [sys.executable, "-m", "solver", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, timeout=120, check=False)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """Write MINI and its valid schedule into a temporary directory."""
    (tmp_path / "mini.json").write_text(json.dumps(MINI))
    dump_schedule(SolveResult("optimal", MINI_MEETINGS, objective=MINI_OBJECTIVE), tmp_path / "valid.json")
    broken = list(MINI_MEETINGS)
    broken[4] = replace(broken[4], table="C")
    dump_schedule(SolveResult("feasible", broken, objective=MINI_OBJECTIVE), tmp_path / "broken.json")
    return tmp_path


def test_validate_valid_schedule_exits_0(files: Path) -> None:
    result = run("validate", files / "mini.json", files / "valid.json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_validate_prints_one_line_per_violation_and_exits_1(files: Path) -> None:
    result = run("validate", files / "mini.json", files / "broken.json")
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["home-table: 4, s1, C"]


def test_validate_bad_instance_exits_2(files: Path) -> None:
    (files / "bad.json").write_text(json.dumps({**MINI, "colour": "red"}))
    result = run("validate", files / "bad.json", files / "valid.json")
    assert result.returncode == 2
    assert "colour: unknown field" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_bad_schedule_exits_2(files: Path) -> None:
    (files / "bad-schedule.json").write_text("{")
    result = run("validate", files / "mini.json", files / "bad-schedule.json")
    assert result.returncode == 2
    assert "not JSON" in result.stderr


def test_validate_conformance_example(tmp_path: Path) -> None:
    examples = shared_dir("spec", "examples")
    result = run("validate", examples / "fair.instance.json", examples / "unwished-and-more.schedule.json")
    assert result.returncode == 1
    assert sorted(line.split(":")[0] for line in result.stdout.splitlines()) == [
        "home-table",
        "person-double-booked",
        "unwished-pair",
    ]


def test_bound_prints_json(files: Path) -> None:
    pytest.importorskip("solver.bounds", reason="solver.bounds not written yet")
    result = run("bound", files / "mini.json")
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)) <= {"coverage", "weight", "weight_at_max_coverage", "breaks"}


def test_solve_writes_a_valid_schedule(files: Path) -> None:
    pytest.importorskip("solver.solve", reason="solver.solve not written yet")
    result = run(
        "solve", files / "mini.json", "-o", files / "out.json", "--time-limit", "20", "--workers", "1"
    )
    assert result.returncode == 0, result.stderr
    assert run("validate", files / "mini.json", files / "out.json").returncode == 0


def test_solve_bad_instance_exits_2(files: Path) -> None:
    (files / "bad.json").write_text(json.dumps({**MINI, "tables": "many"}))
    result = run("solve", files / "bad.json")
    assert result.returncode == 2
    assert "tables: expected a list of table ids or an integer" in result.stderr
