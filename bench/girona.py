"""Run the Girona B2B benchmark (140 .dzn files) through the solver and write a Markdown report.

Usage: python -m bench.girona [--family original|forb|fixed|prec] [--limit S] [--workers N] [--repeat N]
       [--load K] [--compare OTHER.json] [-o FILE]
Each file is solved once per seed (0 .. N-1), with K busy processes beside the solver; every schedule is
checked with solver.validate.violations before its figures count. The runs are also written as JSON beside
the report (FILE with .json), which --compare reads to show another run (e.g. a quiet machine) beside this
one, seed by seed.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import resource
import sys
import time
import traceback
from dataclasses import asdict
from pathlib import Path

from bench.busy import busy
from bench.common import REPORTS_DIR, command_line, shared_dir
from bench.girona_report import Row, render
from solver.instance import Instance, read_dzn
from solver.validate import violations

FAMILIES = ("original", "forb", "fixed", "prec")


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


def _cpu() -> float:
    """Return the CPU seconds this process has used, all threads together."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_one(path: Path, expected: str, limit: float, workers: int, seed: int) -> Row:
    """Solve one file, validate the schedule and return its row."""
    from solver.solve import solve

    instance: Instance = read_dzn(path)
    name = path.name.removesuffix(".dzn")
    row = Row(name, family_of(name), len(instance.participants), len(instance.meetings), expected, seed=seed)
    started, cpu = time.perf_counter(), _cpu()
    try:
        result = solve(instance, time_limit=limit, workers=workers, seed=seed)
    except Exception as exc:  # a crash is a benchmark outcome, not a reason to stop the run
        row.seconds = time.perf_counter() - started
        row.status, row.note = "error", f"{type(exc).__name__}: {exc}"[:120]
        traceback.print_exc()
        return row
    row.seconds = time.perf_counter() - started
    row.cpu = round(_cpu() - cpu, 2)
    row.status = result.status
    row.bound = result.bounds.get("breaks")
    row.dtime = result.stats.get("dtime")
    row.probe = result.stats.get("probe")
    if result.status in ("optimal", "feasible"):
        row.breaks = result.objective.get("breaks")
        found = violations(instance, result)
        row.valid = not found
        row.note = "; ".join(str(v) for v in found[:3])
    elif result.reasons:
        row.note = "reasons: " + ", ".join(sorted({r.rule for r in result.reasons}))
    return row


def main(argv: list[str] | None = None) -> int:
    """Run the selected files (each once per seed) and write the report after each run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=FAMILIES, action="append", help="repeatable; default all")
    parser.add_argument("--limit", type=float, default=60.0, help="time limit per file in seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    parser.add_argument("--repeat", type=int, default=1, help="seeds per file: seed .. seed + N - 1")
    parser.add_argument("--load", type=int, default=0, help="busy processes running beside the solver")
    parser.add_argument("--compare", type=Path, help="JSON runs of another invocation to show beside")
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
    other = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    settings = {"limit": args.limit, "workers": args.workers, "load": args.load, "repeat": args.repeat}
    rows: list[Row] = []
    with busy(args.load):
        for path in chosen:
            name = path.name.removesuffix(".dzn")
            expected = str(optima[name]) if family_of(name) == "original" else statuses[name]
            for seed in range(args.seed, args.seed + args.repeat):
                rows.append(run_one(path, expected, args.limit, args.workers, seed))
                _log(rows[-1])
                _write(args.output, rows, render(rows, command, planned, settings, other), settings)
    return 0 if all(r.on_target() for r in rows) else 1


def _log(r: Row) -> None:
    """Print one run's outcome."""
    print(f"{r.name} seed {r.seed}: {r.status} breaks={r.breaks} bound={r.bound} {r.seconds:.2f}s "
          f"dtime={r.dtime} valid={r.valid}", file=sys.stderr, flush=True)  # fmt: skip


def _write(output: Path, rows: list[Row], report: str, settings: dict[str, object]) -> None:
    """Write the Markdown report and the runs as JSON beside it."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report, encoding="utf-8")
    runs = {"settings": settings, "runs": [asdict(r) for r in rows]}
    output.with_suffix(".json").write_text(json.dumps(runs, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
