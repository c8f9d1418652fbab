"""Run the Girona B2B benchmark (140 .dzn files) through the solver and write a Markdown report.

Usage: python -m bench.girona [--family original|forb|fixed|prec] [--limit S] [--workers N] [-o FILE]
Every schedule is checked with solver.validate.violations before its figures count.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from bench.common import REPORTS_DIR, command_line, fmt, md_table, met, report_header, shared_dir
from solver.instance import Instance, read_dzn
from solver.validate import violations

FAMILIES = ("original", "forb", "fixed", "prec")
ORIGINAL_TARGETS = (10.0, 40.0)  # slowest and total seconds
EXTENSION_LIMIT = 60.0


def b2b_dir() -> Path:
    """Return the shared Girona benchmark directory."""
    return shared_dir() / "bench" / "anchors" / "b2b"


def family_of(name: str) -> str:
    """Return the family of a file name: original, forb, fixed or prec."""
    variant = name.split(".", 1)[1]
    return next(f for f in FAMILIES if variant.startswith(f))


def published_optima() -> dict[str, int]:
    """Read the 20 published optima (total breaks, d = 2) from the shared spec, section 5."""
    text = (shared_dir() / "spec" / "instance-format.md").read_text(encoding="utf-8")
    found = re.search(r"Published optima \(total breaks.*?files:(.*?)Each original", text, re.S)
    if found is None:
        raise SystemExit("cannot find the published optima in the shared spec")
    zeros, rest = found.group(1).split(";", 1)
    optima = {n.strip(): 0 for n in zeros.replace("0 for", "").split(",")}
    optima.update((n, int(v)) for n, v in re.findall(r"([\w-]+) (\d+)", rest))
    if len(optima) != 20:
        raise SystemExit(f"expected 20 published optima in the shared spec, read {len(optima)}")
    return {f"{n}.original": v for n, v in optima.items()}


def expected_statuses() -> dict[str, str]:
    """Read expected-status.csv: extension file name -> has_schedule or infeasible."""
    with (b2b_dir() / "expected-status.csv").open(encoding="utf-8") as handle:
        return {row["instance"]: row["expected"] for row in csv.DictReader(handle)}


@dataclass
class Row:
    """The outcome of one benchmark file."""

    name: str
    family: str
    participants: int
    meetings: int
    expected: str  # the published optimum, or has_schedule / infeasible
    status: str = "-"
    breaks: int | None = None
    bound: int | None = None
    seconds: float = 0.0
    valid: bool | None = None  # None: no schedule to check
    note: str = ""

    def on_target(self) -> bool:
        """Tell whether this file met its target (proved as expected, valid, within the limit)."""
        if self.family == "original":
            return self.status == "optimal" and bool(self.valid) and str(self.breaks) == self.expected
        if self.seconds > EXTENSION_LIMIT:
            return False
        if self.expected == "infeasible":
            return self.status == "infeasible"
        return self.status == "optimal" and bool(self.valid)


def run_one(path: Path, expected: str, limit: float, workers: int, seed: int) -> Row:
    """Solve one file, validate the schedule and return its row."""
    from solver.solve import solve

    instance: Instance = read_dzn(path)
    name = path.name.removesuffix(".dzn")
    row = Row(name, family_of(name), len(instance.participants), len(instance.meetings), expected)
    started = time.perf_counter()
    try:
        result = solve(instance, time_limit=limit, workers=workers, seed=seed)
    except Exception as exc:  # a crash is a benchmark outcome, not a reason to stop the run
        row.seconds = time.perf_counter() - started
        row.status, row.note = "error", f"{type(exc).__name__}: {exc}"[:120]
        traceback.print_exc()
        return row
    row.seconds = time.perf_counter() - started
    row.status = result.status
    row.bound = result.bounds.get("breaks")
    if result.status in ("optimal", "feasible"):
        row.breaks = result.objective.get("breaks")
        found = violations(instance, result)
        row.valid = not found
        row.note = "; ".join(str(v) for v in found[:3])
    elif result.reasons:
        row.note = "reasons: " + ", ".join(sorted({r.rule for r in result.reasons}))
    return row


def family_summary(family: str, rows: list[Row], complete: bool) -> list[str]:
    """Return the totals and target lines of one family."""
    proved = sum(r.status in ("optimal", "infeasible") for r in rows)
    slowest = max(rows, key=lambda r: r.seconds)
    total = sum(r.seconds for r in rows)
    lines = [
        f"### {family} ({len(rows)} files)",
        "",
        f"- Proved (optimal or infeasible): {proved}/{len(rows)}; valid schedules: "
        f"{sum(bool(r.valid) for r in rows)}/{sum(r.valid is not None for r in rows)}",
        f"- Slowest: {slowest.name} {slowest.seconds:.2f} s; total: {total:.2f} s",
    ]
    scope = "" if complete else " (partial run: not every file of the family)"
    on_target = sum(r.on_target() for r in rows)
    if family == "original":
        slow, whole = ORIGINAL_TARGETS
        lines += [
            f"- Target met? 20/20 optimal at the published optima: {on_target}/{len(rows)} "
            f"{met(on_target == len(rows) == 20)}{scope}",
            f"- Target met? slowest <= {slow:.0f} s: {slowest.seconds:.2f} s {met(slowest.seconds <= slow)}",
            f"- Target met? total <= {whole:.0f} s: {total:.2f} s {met(total <= whole and complete)}{scope}",
        ]
    else:
        lines.append(
            f"- Target met? each proved optimal (or infeasible as expected) within {EXTENSION_LIMIT:.0f} s: "
            f"{on_target}/{len(rows)} {met(on_target == len(rows) and complete)}{scope}"
        )
    misses = [r.name for r in rows if not r.on_target()]
    if misses:
        lines.append(f"- Off target: {', '.join(misses)}")
    return lines + [""]


def render(rows: list[Row], command: str, planned: dict[str, int], limit: float, workers: int) -> str:
    """Return the whole Markdown report."""
    lines = report_header("Girona B2B benchmark", command)
    lines += [
        f"Settings: time limit {limit:g} s per file, {workers} workers. Breaks are total breaks (d = 2); "
        "the expected column is the published optimum (JAIR 74, 2022, Table 3) for originals and the status "
        "from expected-status.csv for extensions. A schedule counts only when solver.validate finds no "
        "violation; seconds are wall-clock around solve().",
        "",
        f"Files run: {len(rows)} of {sum(planned.values())} planned.",
        "",
        "## Totals and targets",
        "",
    ]
    for family in FAMILIES:
        mine = [r for r in rows if r.family == family]
        if mine:
            lines += family_summary(family, mine, complete=len(mine) == planned.get(family, 0))
    headers = ["instance", "participants", "meetings", "status", "breaks found", "expected", "proved bound"]
    headers += ["seconds", "valid?", "on target?", "note"]
    table = [
        [r.name, r.participants, r.meetings, r.status, r.breaks, r.expected, r.bound]
        + [f"{r.seconds:.2f}", "n/a" if r.valid is None else fmt(r.valid), fmt(r.on_target()), r.note]
        for r in rows
    ]
    lines += ["## Per file", ""] + md_table(headers, table) + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the selected files and write the report after each one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=FAMILIES, action="append", help="repeatable; default all")
    parser.add_argument("--limit", type=float, default=60.0, help="time limit per file in seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="", help="run only files whose name contains this text")
    parser.add_argument("-o", "--output", type=Path, default=REPORTS_DIR / "girona.md")
    args = parser.parse_args(argv)
    command = command_line()
    families = tuple(args.family or FAMILIES)
    optima, statuses = published_optima(), expected_statuses()
    paths = sorted((b2b_dir() / "instances").glob("*.dzn"))
    planned: dict[str, int] = {}
    for p in paths:
        planned[family_of(p.stem)] = planned.get(family_of(p.stem), 0) + 1
    chosen = [p for p in paths if family_of(p.stem) in families and args.only in p.stem]
    rows: list[Row] = []
    for path in chosen:
        name = path.name.removesuffix(".dzn")
        expected = str(optima[name]) if family_of(name) == "original" else statuses[name]
        rows.append(run_one(path, expected, args.limit, args.workers, args.seed))
        r = rows[-1]
        print(f"{r.name}: {r.status} breaks={r.breaks} bound={r.bound} {r.seconds:.2f}s valid={r.valid}",
              file=sys.stderr, flush=True)  # fmt: skip
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(render(rows, command, planned, args.limit, args.workers), encoding="utf-8")
    return 0 if all(r.on_target() for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
