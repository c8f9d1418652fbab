"""Reading `salon-instance/1` JSON and Girona `.dzn` files; bad input raises one InstanceError."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from solver.instance import (
    Instance,
    InstanceError,
    allowed_pairs,
    instance_from_dict,
    instance_to_dict,
    load_instance,
    mandatory_counts,
    pair_values,
    read_dzn,
    slot_index,
)
from tests.shared import shared_dir
from tests.solver.small import MINI, mini, mini_dict, tiny

DZN = """
nBusiness = 4; nMeetings = 3; nTables = 2; nTotalSlots = 4; nMorningSlots = 2;
requested = [| 1, 2, 1 | 3, 4, 2 | 2, 1, 3 |];   % a pair requested twice
meetingsxBusiness = [{1,2,4},{1,2,4},{1,3},{1,3}];
nMeetingsBusiness = [2,2,1,1];
forbidden = [{0}, {0,2}, {}, {4}];
fixed = [0, 4, 0];
precedences = [{}, {}, {1,2}];
"""


def problems_of(data: Any) -> list[str]:
    """Return the problems InstanceError names for some input."""
    with pytest.raises(InstanceError) as caught:
        instance_from_dict(data)
    return caught.value.problems


def edit(path: str, value: Any) -> dict[str, Any]:
    """Return MINI with one dotted path (list indices as numbers) set; value None deletes it."""
    data = mini_dict()
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    key: Any = int(last) if last.isdigit() else last
    if value is None:
        del node[key]
    else:
        node[key] = value
    return data


def test_mini_reads_with_defaults() -> None:
    inst = mini()
    assert isinstance(inst, Instance)
    assert inst.participants[1].side == "buyer" and inst.participants[1].max_meetings is None
    assert inst.wishes[3].weight == 1
    assert inst.objective == ("coverage", "weight", "breaks")
    assert inst.max_break_spread is None and inst.locked[0].mandatory is None
    assert slot_index(inst) == {"am1": 0, "am2": 1, "pm1": 2, "pm2": 3}


def test_pair_helpers() -> None:
    inst = mini()
    assert pair_values(inst) == {("b1", "s1"): 4, ("b2", "s2"): 10, ("b3", "s2"): 1, ("b1", "s2"): 1}
    assert mandatory_counts(inst) == {("b2", "s1"): 1, ("b3", "s1"): 1}
    assert len(allowed_pairs(inst)) == 6


def test_round_trip_and_table_count() -> None:
    inst = tiny(
        tables=3, meetings=[{"participants": ["p1", "p2"], "after": [1]}, {"participants": ["p3", "p4"]}]
    )
    assert inst.tables == ("1", "2", "3") and inst.tables_as_count
    data = instance_to_dict(inst)
    assert data["tables"] == 3
    assert instance_from_dict(json.loads(json.dumps(data))) == inst
    assert instance_from_dict(instance_to_dict(mini())) == mini()


def test_load_instance_from_json_file(tmp_path: Path) -> None:
    (tmp_path / "mini.json").write_text(json.dumps(MINI))
    assert load_instance(tmp_path / "mini.json") == mini()
    (tmp_path / "bad.json").write_text("{nope")
    with pytest.raises(InstanceError, match="not JSON"):
        load_instance(tmp_path / "bad.json")
    with pytest.raises(InstanceError, match="cannot read"):
        load_instance(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("format", "salon-instance/2", "format: expected"),
        ("colour", "red", "colour: unknown field"),
        ("slots.0.colour", "red", "slots[0].colour: unknown field"),
        ("participants.0.email", "x", "participants[0].email: unknown field"),
        ("wishes.0.priority", 1, "wishes[0].priority: unknown field"),
        ("meetings.0.table", "A", "meetings[0].table: unknown field"),
        ("locked.0.note", "x", "locked[0].note: unknown field"),
        ("tables", None, "tables: missing required field"),
        ("participants.0.id", None, "participants[0].id: missing required field"),
        ("slots.1.id", "am1", "slots[1].id: duplicate id 'am1'"),
        ("tables", ["A", "A"], "tables[1]: duplicate id 'A'"),
        ("participants.1.id", "b1", "participants[1].id: duplicate id 'b1'"),
        ("participants.3.unavailable", ["x9"], "participants[3].unavailable: unknown slot 'x9'"),
        ("participants.3.table", "Z", "participants[3].table: unknown table 'Z'"),
        ("wishes.0.to", "zz", "wishes[0].to: unknown participant 'zz'"),
        ("wishes.0.to", "b1", "wishes[0]: wish from 'b1' to itself"),
        ("wishes.1", {"from": "b1", "to": "s1"}, "wishes[1]: duplicate wish from 'b1' to 's1'"),
        ("wishes.0.weight", 0, "wishes[0].weight: must be >= 1"),
        ("wishes.0.weight", True, "wishes[0].weight: expected an integer, got True"),
        ("wishes.0.weight", 2.5, "wishes[0].weight: expected an integer"),
        ("participants.0.max_meetings", "3", "participants[0].max_meetings: expected an integer"),
        ("participants.0.min_meetings", 4, "participants[0]: min_meetings 4 > max_meetings 3"),
        ("participants.0.min_meetings", -1, "participants[0].min_meetings: must be >= 0"),
        ("participants.0.unavailable", "am1", "participants[0].unavailable: expected a list"),
        ("meetings.0.participants", ["b2"], "meetings[0].participants: expected a list of two"),
        ("meetings.0.participants", ["b2", "b2"], "meetings[0].participants: a meeting of 'b2' with itself"),
        ("meetings.0.session", "night", "meetings[0].session: unknown session 'night'"),
        ("meetings.0.slot", "x9", "meetings[0].slot: unknown slot 'x9'"),
        ("meetings.1.after", [1], "meetings[1].after: 1 is not the index of another mandatory meeting"),
        ("meetings.1.after", [2], "meetings[1].after: 2 is not the index"),
        ("meetings.1.after", [True], "meetings[1].after: True is not the index"),
        ("locked.0.slot", "x9", "locked[0].slot: unknown slot 'x9'"),
        ("locked.0.table", "Z", "locked[0].table: unknown table 'Z'"),
        ("locked.0.mandatory", 5, "locked[0].mandatory: no mandatory meeting 5"),
        ("objective", [], "objective: expected a non-empty list"),
        ("objective", ["weight", "weight"], "objective[1]: duplicate term 'weight'"),
        ("objective", ["fun"], "objective[0]: unknown term 'fun'"),
        ("breaks_within", "day", "breaks_within: expected 'all' or 'session'"),
        ("max_break_spread", -1, "max_break_spread: must be >= 0"),
        ("max_break_spread", "2", "max_break_spread: expected an integer"),
        ("timezone", "Mars/Olympus", "timezone: unknown time zone"),
        ("name", 7, "name: expected a string"),
        ("tables", -2, "tables: must be >= 0"),
        ("tables", "3", "tables: expected a list of table ids or an integer"),
        ("slots", [], "slots: needs at least one slot"),
        ("slots.1.start", "2027-05-04T09:20:00+02:00", "slots[1].start: slot 'am2' overlaps slot 'am1'"),
        ("slots.0.end", "2027-05-04T08:00:00+02:00", "slots[0]: slot 'am1' starts at or after its end"),
        ("slots.0.start", "yesterday", "slots[0].start: not an ISO 8601 time"),
        ("slots.0.start", "2027-05-04T09:00:00", "slots[0].start: needs a UTC offset"),
    ],
)
def test_bad_input_names_field_and_id(path: str, value: Any, expected: str) -> None:
    problems = problems_of(edit(path, value))
    assert any(p.startswith(expected) for p in problems), problems


def test_slot_times_are_only_chained_when_every_slot_has_them() -> None:
    data = edit("slots.1.start", "2027-05-04T09:20:00+02:00")
    del data["slots"][3]["end"]
    assert instance_from_dict(data).slots[3].end is None


@pytest.mark.parametrize("data", [[], "x", None, 3])
def test_non_object_is_bad_input(data: Any) -> None:
    assert problems_of(data) == [f": expected an object, got {type(data).__name__}"]


@pytest.mark.parametrize(
    ("locked", "expected"),
    [
        ([{"participants": ["b1", "s1"], "slot": "am1", "table": "A"}], "locked: unavailable"),
        ([{"participants": ["b1", "s1"], "slot": "am2", "table": "B"}], "locked: home-table"),
        ([{"participants": ["b2", "s2"], "slot": "am2", "table": "A"}], "locked: home-table"),
        (
            [
                {"participants": ["b2", "s2"], "slot": "am1", "table": "B"},
                {"participants": ["b3", "s2"], "slot": "am1", "table": "C"},
            ],
            "locked: person-double-booked",
        ),
        (
            [
                {"participants": ["b2", "s2"], "slot": "am1", "table": "B"},
                {"participants": ["b1", "s1"], "slot": "am2", "table": "A"},
                {"participants": ["b3", "s2"], "slot": "am2", "table": "A"},
            ],
            "locked: table-double-booked",
        ),
        (
            [
                {"participants": ["b2", "s2"], "slot": "am1", "table": "B"},
                {"participants": ["b2", "s2"], "slot": "am2", "table": "B"},
            ],
            "locked: pair-twice",
        ),
        (
            [{"participants": ["b2", "s2"], "slot": "am1", "table": "B", "mandatory": 0}],
            "locked: mandatory-mismatch",
        ),
        (
            [{"participants": ["b2", "s1"], "slot": "pm1", "table": "A", "mandatory": 0}],
            "locked: wrong-session",
        ),
        (
            [{"participants": ["b3", "s1"], "slot": "pm1", "table": "A", "mandatory": 1}],
            "locked: wrong-fixed-slot",
        ),
    ],
)
def test_locked_meetings_breaking_a_rule_are_bad_input(locked: list[Any], expected: str) -> None:
    problems = problems_of(mini_dict(locked=locked))
    assert any(p.startswith(expected) for p in problems), problems


def test_locked_precedence_and_max_meetings_are_bad_input() -> None:
    meetings = [{"participants": ["b2", "s1"]}, {"participants": ["b3", "s1"], "after": [0]}]
    locked = [
        {"participants": ["b2", "s1"], "slot": "am2", "table": "A", "mandatory": 0},
        {"participants": ["b3", "s1"], "slot": "am1", "table": "A", "mandatory": 1},
    ]
    people = [
        {**p, "max_meetings": 0, "min_meetings": 0} if p["id"] == "b3" else p for p in MINI["participants"]
    ]
    problems = problems_of(mini_dict(meetings=meetings, locked=locked, participants=people))
    assert [p.split(" ")[1] for p in problems] == ["max-meetings", "precedence"]


def test_locked_meetings_may_leave_completeness_rules_open() -> None:
    inst = mini(max_break_spread=0, breaks_within="all", locked=[
        {"participants": ["b1", "s2"], "slot": "am2", "table": "B"},
        {"participants": ["b1", "s1"], "slot": "pm2", "table": "A"},
    ])  # fmt: skip
    assert len(inst.locked) == 2  # min-meetings, mandatory-missing and break-spread are the solver's business


def test_well_formed_but_infeasible_input_is_accepted() -> None:
    meetings = [
        {"participants": ["b1", "s1"], "slot": "am1", "after": [1]},
        {"participants": ["b2", "s2"], "after": [0]},
    ]
    assert (
        len(mini(meetings=meetings).meetings) == 2
    )  # unavailable fixed slot and a cycle: infeasible, not bad


def test_several_problems_are_all_named_in_one_error() -> None:
    data = mini_dict(extra=1, breaks_within="day")
    data["participants"][3]["unavailable"] = ["x9"]
    data["participants"].append({"id": "b1", "side": 3})
    data["wishes"][0]["weight"] = True
    data["meetings"][0]["after"] = [0]
    data["locked"][0]["table"] = "Q"
    problems = problems_of(data)
    assert problems == [
        "extra: unknown field",
        "participants[3].unavailable: unknown slot 'x9'",
        "participants[5].id: duplicate id 'b1'",
        "participants[5].side: expected a string, got 3",
        "wishes[0].weight: expected an integer, got True",
        "meetings[0].after: 0 is not the index of another mandatory meeting",
        "locked[0].table: unknown table 'Q'",
        "breaks_within: expected 'all' or 'session', got 'day'",
    ]
    with pytest.raises(InstanceError) as caught:
        instance_from_dict(data)
    assert all(p in str(caught.value) for p in problems)


def test_read_dzn_text_maps_girona_fields() -> None:
    inst = read_dzn(DZN, name="toy")
    assert inst.name == "toy" and inst.tables == ("1", "2") and inst.objective == ("breaks",)
    assert [s.session for s in inst.slots] == ["am", "am", "pm", "pm"] and inst.slots[0].id == "t1"
    assert [p.unavailable for p in inst.participants] == [(), ("t2",), (), ("t4",)]
    assert [(m.participants, m.session, m.slot, m.after) for m in inst.meetings] == [
        (("p1", "p2"), "am", None, ()),
        (("p3", "p4"), "pm", "t4", ()),
        (("p2", "p1"), None, None, (0, 1)),
    ]
    assert mandatory_counts(inst) == {("p1", "p2"): 2, ("p3", "p4"): 1}
    assert inst.max_break_spread == 2 and inst.breaks_within == "all" and inst.wishes == ()


@pytest.mark.parametrize(
    "text",
    [
        "nBusiness = 4;",
        DZN.replace("fixed = [0, 4, 0]", "fixed = [0]"),
        DZN.replace("| 3, 4, 2", "| 3, 4, 7"),
        "x y;",
    ],
)
def test_bad_dzn_raises_instance_error(text: str) -> None:
    with pytest.raises(InstanceError):
        read_dzn(text, name="bad")


def test_load_instance_reads_dzn_files(tmp_path: Path) -> None:
    (tmp_path / "toy.prec.dzn").write_text(DZN)
    assert load_instance(tmp_path / "toy.prec.dzn").name == "toy.prec"


GIRONA_TABLE = {  # participants, meetings, slots, tables (from the b2b README)
    "forum-13.original": (70, 154, 21, 14),
    "forum-14.prec25": (78, 302, 22, 22),
    "forumt-14crafe.fixed040-Forb": (60, 236, 10, 24),
    "tic-12.original": (42, 125, 8, 21),
    "ticf-13crafb.forb0007": (76, 195, 22, 14),
}


def girona_readme_rows() -> dict[str, list[str]]:
    """Return the statistics table of the b2b README, by instance name."""
    readme = shared_dir("bench", "anchors", "b2b", "README.md").read_text()
    rows = [line.strip("|").split("|") for line in readme.splitlines() if line.startswith("| ")]
    return {cells[0].strip(): [c.strip() for c in cells] for cells in rows if cells[0].strip() != "instance"}


@pytest.mark.parametrize("name", sorted(GIRONA_TABLE))
def test_girona_counts_match_readme(name: str) -> None:
    inst = load_instance(shared_dir("bench", "anchors", "b2b", "instances", f"{name}.dzn"))
    assert (len(inst.participants), len(inst.meetings), len(inst.slots), len(inst.tables)) == GIRONA_TABLE[
        name
    ]


def test_all_girona_files_parse_and_match_readme_statistics() -> None:
    rows = girona_readme_rows()
    files = sorted(shared_dir("bench", "anchors", "b2b", "instances").glob("*.dzn"))
    assert len(files) == 140 == len(rows)
    for path in files:
        inst = read_dzn(path)
        sessions = [m.session for m in inst.meetings]
        stats = [
            len(inst.participants), len(inst.meetings), len(inst.slots),
            sum(s.session == "am" for s in inst.slots), len(inst.tables),
            sessions.count("am"), sessions.count("pm"), sessions.count(None),
            sum(len(p.unavailable) for p in inst.participants),
            sum(m.slot is not None for m in inst.meetings), sum(len(m.after) for m in inst.meetings),
        ]  # fmt: skip
        assert [str(x) for x in stats] == rows[inst.name][1:12], inst.name
