"""Run the solver on synthetic fairs at the issue's time checkpoints and compare it with the greedy baseline.

Usage: python -m bench.run_synthetic [--sizes 200,500,1100,3000,cocontracting,convention,convention-same-side]
       [--seed 1] [--workers 2] [-o FILE]
Each solve runs in a child process (bench.solve_child); its peak RSS comes from os.wait4.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import REPORTS_DIR, command_line, fmt, md_table, met, report_header
from bench.greedy import greedy_schedule, unmet
from bench.synthetic import make_fair, preset
from bench.synthetic_report import breaks_bound, shape_targets, side_by_side
from solver.objective import compute_objective
from solver.validate import violations

CHECKPOINTS: dict[int | str, tuple[float, ...]] = {
    200: (10.0, 30.0),
    500: (10.0, 30.0),
    1100: (10.0, 30.0),
    3000: (60.0,),
    "cocontracting": (60.0,),
    "convention": (60.0,),
    "convention-same-side": (300.0,),
}
PRESETS = ",".join(str(k) for k in CHECKPOINTS)
SO_EKO, STRESS = 1100, 3000
GIB = 2**30


def run_child(size: int | str, seed: int, limit: float, workers: int) -> dict[str, Any]:
    """Solve in a child process; return its figures with its own peak RSS (bytes) and wall seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, "-m", "bench.solve_child", "--size", str(size), "--seed", str(seed)]
        cmd += ["--limit", str(limit), "--workers", str(workers), "--out", str(out)]
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=Path(__file__).resolve().parent.parent)
        deadline = started + 3 * limit + 300
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
            time.sleep(0.1)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if proc.returncode != 0 or not out.exists():
            status = f"crashed ({proc.returncode})"
            return {"size": size, "limit": limit, "status": status, "valid": False, "objective": {},
                    "bounds": {}, "seconds": wall, "peak_rss": usage.ru_maxrss * 1024}  # fmt: skip
        figures = json.loads(out.read_text(encoding="utf-8"))
    figures["peak_rss"] = usage.ru_maxrss * 1024  # Linux reports KiB
    figures["process_seconds"] = round(wall, 2)
    return figures


def baseline(size: int | str, seed: int) -> dict[str, Any]:
    """Build the fair, its proved bounds and the greedy schedule's figures."""
    from solver.bounds import compute_bounds

    instance = make_fair(size, seed)
    started = time.perf_counter()
    bounds = compute_bounds(instance)
    bound_seconds = time.perf_counter() - started
    started = time.perf_counter()
    greedy = greedy_schedule(instance)
    greedy_seconds = time.perf_counter() - started
    found = violations(instance, greedy)
    return {
        "size": size,
        "participants": len(instance.participants),
        "wishes": len(instance.wishes),
        "pairs": len({tuple(sorted((w.source, w.target))) for w in instance.wishes}),
        "slots": len(instance.slots),
        "bounds": bounds,
        "bound_seconds": bound_seconds,
        "greedy": compute_objective(instance, greedy.meetings),
        "greedy_valid": not found,
        "greedy_violations": sorted({v.rule for v in found}),
        "greedy_unmet": unmet(instance, greedy),
        "greedy_seconds": greedy_seconds,
    }


def ratio(value: int | None, bound: int | None) -> float | None:
    """Return value/bound in percent, or None when either is missing."""
    if value is None or not bound:
        return None
    return 100.0 * value / bound


def pct(value: float | None) -> str:
    """Format a percentage."""
    return "-" if value is None else f"{value:.2f} %"


def run_row(base: dict[str, Any], run: dict[str, Any]) -> list[object]:
    """Return one row of the runs table."""
    obj, b = run["objective"], base["bounds"]
    cov, cov_b = obj.get("coverage"), b.get("coverage")
    wt, wt_b = obj.get("weight"), b.get("weight_at_max_coverage")
    breaks_lb = breaks_bound(run)
    return [
        base["size"], f"{run['limit']:g}", run["status"], fmt(run["valid"]),
        f"{fmt(cov)} / {fmt(cov_b)} ({pct(ratio(cov, cov_b))})",
        f"{fmt(wt)} / {fmt(wt_b)} ({pct(ratio(wt, wt_b))})",
        f"{fmt(obj.get('breaks'))} / {fmt(breaks_lb)}", f"{run['seconds']:.2f}",
        f"{run['peak_rss'] / 2**20:.0f}",
        ", ".join(f"{s['term']} {s['status']}" for s in run.get("stages", [])),
    ]  # fmt: skip


def reaches(base: dict[str, Any], run: dict[str, Any] | None, share: float) -> bool:
    """Tell whether a valid run reached share of the coverage bound and of the weight bound."""
    if run is None or not run["valid"]:
        return False
    obj, b = run["objective"], base["bounds"]
    cov, wt = (
        ratio(obj.get("coverage"), b.get("coverage")),
        ratio(obj.get("weight"), b.get("weight_at_max_coverage")),
    )
    return cov is not None and wt is not None and cov >= share and wt >= share


def target_lines(bases: dict[Any, Any], runs: dict[tuple[Any, float], Any]) -> list[str]:
    """Return the target lines (met / not met) for the sizes that were run."""
    lines = []
    if SO_EKO in bases:
        b = bases[SO_EKO]
        r10, r30 = runs.get((SO_EKO, 10.0)), runs.get((SO_EKO, 30.0))
        lines.append(f"- SO EKO size ({SO_EKO}): coverage and weight >= 99.9 % of their bounds within 10 s: "
                     + met(reaches(b, r10, 99.9)))  # fmt: skip
        lines.append(f"- SO EKO size ({SO_EKO}): 100 % of both within 30 s: " + met(reaches(b, r30, 100.0)))
        greedy_breaks = b["greedy"]["breaks"]
        ours = r30["objective"].get("breaks") if r30 and r30["valid"] else None
        ok = ours is not None and ours <= greedy_breaks / 2
        lines.append(f"- SO EKO size ({SO_EKO}): breaks at most half the greedy's ({fmt(ours)} vs "
                     f"{greedy_breaks} / 2 = {greedy_breaks / 2:g}, 30 s run): {met(ok)}")  # fmt: skip
    if STRESS in bases:
        r60 = runs.get((STRESS, 60.0))
        lines.append(f"- Stress ({STRESS}): coverage and weight >= 99.9 % within 60 s: "
                     + met(reaches(bases[STRESS], r60, 99.9)))  # fmt: skip
        peak = r60["peak_rss"] if r60 else None
        lines.append(f"- Stress ({STRESS}): peak memory <= 4 GB ({fmt(peak and round(peak / GIB, 2))} GiB): "
                     + met(peak is not None and peak <= 4 * GIB))  # fmt: skip
    return lines


def comparison_rows(bases: dict[Any, Any], runs: dict[tuple[Any, float], Any]) -> list[list[object]]:
    """Return the greedy-versus-solver rows, the solver's longest run of each size."""
    rows = []
    for size, b in bases.items():
        run = runs.get((size, max(CHECKPOINTS[size])))
        g, gu = b["greedy"], b["greedy_unmet"]
        o = run["objective"] if run and run["valid"] else {}
        gain = {k: (o[k] - g[k]) if k in o else None for k in ("coverage", "weight", "breaks")}
        rows.append([
            size, g["coverage"], g["weight"], g["breaks"], f"{gu[0]} ({gu[1]})",
            "yes" if b["greedy_valid"] else "no: " + ", ".join(b["greedy_violations"]),
            o.get("coverage"), o.get("weight"), o.get("breaks"),
            f"{run['unmet']} ({run['unmet_wished']})" if o else "-",
            fmt(gain["coverage"]), pct(ratio(gain["weight"], g["weight"])),
            pct(ratio(gain["breaks"], g["breaks"])),
        ])  # fmt: skip
    return rows


def render(
    command: str, seed: int, workers: int, bases: dict[Any, Any], runs: dict[tuple[Any, float], Any]
) -> str:
    """Return the whole Markdown report."""
    lines = report_header("Synthetic fairs: solver at time checkpoints, and the greedy baseline", command)
    lines += [
        f"Settings: fairs from `bench.synthetic` (seed {seed}), {workers} workers, one child process per "
        "solve. Figures count only when solver.validate finds no violation. Bounds from "
        "solver.bounds.compute_bounds: coverage vs `coverage`, weight vs `weight_at_max_coverage` (a bound "
        "only when the coverage bound is reached), breaks vs the solver's proved lower bound. Peak RSS is "
        "the child's ru_maxrss (os.wait4).",
        "", "## Targets", "", *target_lines(bases, runs), *shape_targets(bases, runs), "",
        "## Project, greedy and bounds side by side", "", *side_by_side(bases, runs), "## Runs", "",
    ]  # fmt: skip
    headers = ["size", "limit s", "status", "valid?", "coverage / bound", "weight / bound at max coverage"]
    headers += ["breaks / lower bound", "seconds", "peak RSS MiB", "stages"]
    rows = [run_row(bases[s], r) for (s, _), r in runs.items() if s in bases]
    lines += md_table(headers, rows) + [
        "",
        "## Greedy first-fit baseline versus the solver (longest run)",
        "",
    ]
    headers = [
        "size",
        "greedy coverage",
        "greedy weight",
        "greedy breaks",
        "greedy unmet (wished)",
        "greedy valid?",
    ]
    headers += ["solver coverage", "solver weight", "solver breaks", "solver unmet (wished)"]
    headers += ["coverage gain", "weight gain", "breaks change"]
    lines += md_table(headers, comparison_rows(bases, runs))
    lines += ["", "Unmet: participants without any meeting (in brackets: those with a wished partner).", ""]
    lines += ["## Growth with size", ""]
    headers = ["size", "participants", "wishes", "wished pairs", "slots", "bounds s", "greedy s"]
    headers += ["solve s (longest run)", "peak RSS MiB (largest)"]
    growth = []
    for size, b in bases.items():
        mine = [r for (s, _), r in runs.items() if s == size]
        longest = max(mine, key=lambda r: r["limit"]) if mine else None
        peak = max((r["peak_rss"] for r in mine), default=0) / 2**20
        solve_s = f"{longest['seconds']:.2f}" if longest else "-"
        growth.append(
            [
                size,
                b["participants"],
                b["wishes"],
                b["pairs"],
                b["slots"],
                f"{b['bound_seconds']:.2f}",
                f"{b['greedy_seconds']:.2f}",
                solve_s,
                f"{peak:.0f}",
            ]
        )
    return "\n".join(lines + md_table(headers, growth) + [""])


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sizes sequentially and write the report after each solve."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=PRESETS, help=f"comma-separated, from {PRESETS}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("-o", "--output", type=Path, default=REPORTS_DIR / "synthetic.md")
    args = parser.parse_args(argv)
    sizes = [preset(s) for s in args.sizes.split(",")]
    command = command_line()
    bases: dict[Any, Any] = {}
    runs: dict[tuple[Any, float], Any] = {}
    for size in sizes:
        bases[size] = baseline(size, args.seed)
        for limit in CHECKPOINTS[size]:
            runs[(size, limit)] = run = run_child(size, args.seed, limit, args.workers)
            rss = run["peak_rss"] / 2**20
            print(f"size {size} limit {limit:g}: {run['status']} {run['objective']} valid={run['valid']} "
                  f"{run['seconds']:.1f}s rss={rss:.0f}MiB", file=sys.stderr, flush=True)  # fmt: skip
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(render(command, args.seed, args.workers, bases, runs), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
