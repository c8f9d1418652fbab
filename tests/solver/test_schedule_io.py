"""Reading and writing `salon-schedule/1` JSON (spec section 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from solver.schedule import (
    Reason,
    ScheduledMeeting,
    ScheduleError,
    SolveResult,
    dump_schedule,
    load_schedule,
    meeting_from_dict,
    result_from_dict,
    result_to_dict,
)
from tests.solver.small import MINI_MEETINGS, MINI_OBJECTIVE


def full_result() -> SolveResult:
    """Return a result using every field."""
    return SolveResult(
        status="optimal",
        meetings=MINI_MEETINGS,
        objective=MINI_OBJECTIVE,
        bounds={"coverage": 5, "weight": 16, "breaks": 0},
        reasons=(Reason("mandatory-missing", ("b1", 0), "b1 has too many meetings"),),
        stats={"stages": [{"term": "coverage", "status": "optimal"}], "solve_seconds": 0.1},
        instance="mini",
    )


def test_round_trip_through_a_file(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    dump_schedule(full_result(), path)
    assert load_schedule(path) == full_result()
    assert json.loads(path.read_text())["format"] == "salon-schedule/1"


def test_meeting_dict_omits_absent_mandatory() -> None:
    meetings = result_to_dict(full_result())["meetings"]
    assert meetings[0] == {"participants": ["b1", "s1"], "slot": "am2", "table": "A"}
    assert meetings[1]["mandatory"] == 0


def test_integer_table_means_its_decimal_id() -> None:
    meeting = meeting_from_dict({"participants": ["a", "b"], "slot": "t1", "table": 2})
    assert meeting == ScheduledMeeting(("a", "b"), "t1", "2")
    assert meeting.problem is None


@pytest.mark.parametrize(
    "entry",
    [
        "nope",
        {"participants": ["a"], "slot": "t1", "table": "1"},
        {"participants": ["a", "b", "c"], "slot": "t1", "table": "1"},
        {"participants": ["a", "a"], "slot": "t1", "table": "1"},
        {"participants": ["a", 3], "slot": "t1", "table": "1"},
        {"participants": ["a", "b"], "table": "1"},
        {"participants": ["a", "b"], "slot": "t1", "table": True},
        {"participants": ["a", "b"], "slot": "t1"},
    ],
)
def test_malformed_meeting_is_kept_with_a_problem(entry: object) -> None:
    assert meeting_from_dict(entry).problem


def test_non_integer_mandatory_names_no_mandatory_meeting() -> None:
    entry = {"participants": ["a", "b"], "slot": "t1", "table": "1", "mandatory": "0"}
    assert meeting_from_dict(entry).mandatory == -1


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"format": "salon-schedule/2", "status": "optimal", "meetings": []},
        {"format": "salon-schedule/1", "status": "great", "meetings": []},
        {"format": "salon-schedule/1", "status": "optimal"},
        {"format": "salon-schedule/1", "status": "optimal", "meetings": [], "objective": []},
    ],
)
def test_broken_envelope_raises(data: object) -> None:
    with pytest.raises(ScheduleError):
        result_from_dict(data)


def test_unreadable_file_raises(tmp_path: Path) -> None:
    with pytest.raises(ScheduleError):
        load_schedule(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ScheduleError):
        load_schedule(tmp_path / "bad.json")


def test_result_accepts_lists_and_exposes_schedule() -> None:
    result = SolveResult("feasible", list(MINI_MEETINGS))
    assert result.schedule == MINI_MEETINGS
    assert result.meetings[0].pair == ("b1", "s1")
    assert ScheduledMeeting(("s1", "b1"), "am2", "A").pair == ("b1", "s1")
