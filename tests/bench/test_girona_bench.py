"""bench.girona's seeds, busy processes and side-by-side comparison, on one small Girona file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from bench import girona
from bench.busy import busy
from bench.girona_report import Row, family_summary
from tests.shared import shared_dir


def test_busy_processes_run_beside_and_stop_after() -> None:
    with busy(2) as pids:
        assert len(pids) == 2
        for pid in pids:
            os.kill(pid, 0)  # alive
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        stat = Path(f"/proc/{pid}/stat").read_text().split()
        assert stat[2] == "Z", f"process {pid} still running"


def test_repeat_and_load_then_compare(tmp_path: Path) -> None:
    shared_dir("bench", "anchors", "b2b")
    first, second = tmp_path / "quiet.md", tmp_path / "loaded.md"
    args = ["--family", "original", "--only", "tic-12.", "--limit", "20", "--repeat", "2"]
    assert girona.main([*args, "-o", str(first)]) == 0
    runs = json.loads(first.with_suffix(".json").read_text())
    assert [r["seed"] for r in runs["runs"]] == [0, 1]
    assert runs["settings"] == {"limit": 20.0, "workers": 2, "load": 0, "repeat": 2}
    assert (
        girona.main([*args, "--load", "1", "--compare", str(first.with_suffix(".json")), "-o", str(second)])
        == 0
    )
    report = second.read_text()
    assert "2 seed(s) per file, 1 busy process(es) beside the solver" in report
    assert "## Beside the run with 0 busy process(es)" in report
    assert "Same seed, same status and breaks in every compared run: **met**" in report
    assert "| tic-12.original | 2 | yes | 2/2 |" in report  # same deterministic time too


def _row(name: str, seconds: float, seed: int = 0, breaks: int = 0) -> Row:
    """Return an original's run proved at breaks, taking these seconds."""
    return Row(name, "original", 10, 10, "0", "optimal", breaks, 0, seed=seed, seconds=seconds, valid=True)


def test_summary_gives_worst_run_and_sum_of_medians() -> None:
    rows = [_row("a", s, seed) for seed, s in enumerate((1.0, 9.0, 2.0))]
    rows += [_row("b", s, seed) for seed, s in enumerate((4.0, 3.0, 25.0))]
    rows.append(_row("c", 1.0, 0, breaks=1))  # off the published optimum (0)
    lines = family_summary("original", rows, complete=False)
    assert "- Worst run: b (seed 2) 25.00 s; sum of the files' medians: 7.00 s; total: 45.00 s" in lines
    assert "- Target met? worst run <= 20 s: 25.00 s **not met**" in lines
    assert "- Off target: c" in lines
