"""bench/printouts.py end to end on a small fair: it seeds, prints, checks each PDF and writes its report."""

from __future__ import annotations

import pytest

from bench.printouts import main

pytestmark = pytest.mark.slow


def test_bench_reports_every_printout_of_a_small_fair(tmp_path, capsys):
    report = tmp_path / "printouts.md"
    args = ["--participants", "44", "--runs", "1", "--processes", "2", "--profile"]
    args += ["--db", str(tmp_path / "bench.sqlite3"), "--out", str(tmp_path / "pdf"), "--report", str(report)]
    assert main(args) == 0
    text = report.read_text(encoding="utf-8")
    assert "python bench/printouts.py --participants 44 --runs 1 --processes 2 --profile" in text
    rows = [
        line for line in text.splitlines() if line.startswith(("| badges |", "| agendas |", "| tables |"))
    ]
    cells = [row.split(" | ")[1:4] for row in rows]
    assert [c[:2] for c in cells] == [["6", "48"], ["44", "44"], ["4", "4"]]
    assert cells[0][2] == "-" and cells[1][2] == cells[2][2] and int(cells[1][2]) >= 40
    assert "48 people on ceil(48/8) sheets; one agenda per participant with meetings, none empty" in text
    assert "| layout |" in text and sorted(p.name for p in (tmp_path / "pdf").iterdir()) == [
        "agendas.pdf",
        "badges.pdf",
        "tables.pdf",
    ]
