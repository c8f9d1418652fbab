"""The demo fairs' solve at the scheduling page's default time limit, on a quiet and on a busy machine.

Usage: python -m bench.demo_solve [--participants 180,1100] [--limit 30] [--seeds 2] [--loads 0,1] [-o FILE]

Each fair is the one `salon demo` creates (180: the Coventis-style demo; 1100: the SO EKO shape of
`salon demo --participants 1100`), built into a throwaway SQLite database and turned into the solver's
instance as the web app does (salon.services.scheduling.build_instance). It is solved once per seed and load
(K busy processes beside the solver, bench.busy), the way the scheduling page runs it: 2 workers, the time
limit of the page. Every schedule is checked by solver.validate; the report shows it beside the first-fit
greedy's and the bounds, the method that gave the answer, and whether the breaks were minimised from the
greedy's schedule (solver.large_greedy).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.busy import busy
from bench.common import REPORTS_DIR, command_line, md_table, met, report_header
from solver.firstfit import greedy_schedule
from solver.instance import Instance
from solver.safety import rank
from solver.solve import solve
from solver.validate import violations


def demo_instance(participants: int) -> Instance:
    """Return the solver instance of the demo fair of that size, built as the web app builds it."""
    from salon import create_app
    from salon.demo import SLUG
    from salon.demo_big import slug_for
    from salon.extensions import db
    from salon.models import Fair
    from salon.services.scheduling import build_instance

    with tempfile.TemporaryDirectory() as tmp:
        uri = f"sqlite:///{Path(tmp) / 'demo.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri}, "config.TestConfig")
        args = ["demo", "--no-serve"] + ([] if participants == 180 else ["--participants", str(participants)])
        out = app.test_cli_runner().invoke(args=args)
        if out.exit_code != 0:
            raise RuntimeError(out.output)
        with app.app_context():
            slug = SLUG if participants == 180 else slug_for(participants)
            fair = db.session.query(Fair).filter_by(slug=slug).one()
            inst = build_instance(fair)
            db.session.remove()
            db.engine.dispose()
        return inst


def run_one(inst: Instance, size: int, limit: float, seed: int, load: int) -> dict[str, Any]:
    """Solve once and return the figures of the run."""
    greedy = greedy_schedule(inst)
    started = time.monotonic()
    result = solve(inst, time_limit=limit, workers=2, seed=seed)
    seconds = round(time.monotonic() - started, 2)
    return {
        "size": size,
        "limit": limit,
        "load": load,
        "seed": seed,
        "valid": not violations(inst, result),
        "objective": result.objective,
        "greedy": greedy.objective,
        "bounds": {k: v for k, v in result.bounds.items() if isinstance(v, int)},
        "at_least_greedy": rank(inst, result.objective) >= rank(inst, greedy.objective),
        "method": result.stats.get("method", ""),
        "greedy_start": bool(result.stats.get("greedy_start")),
        "phases": result.stats.get("phase_seconds", {}),
        "seconds": seconds,
    }


def render(rows: list[dict[str, Any]], command: str) -> str:
    """Return the Markdown report."""
    lines = report_header("Demo fairs: the solve at the scheduling page's time limit", command)
    lines += [
        "Settings: the fairs `salon demo` creates, built as the web app builds them, 2 workers, the",
        "page's time limit; load K = K busy processes beside the solver. Bounds from solver.bounds (weight:",
        "the bound at maximum coverage). `greedy start`: breaks minimised from the first-fit greedy's",
        "schedule, which held more coverage or wish value than the flow's placement",
        "(solver/large_greedy.py).",
        "",
        "## Targets",
        "",
        f"- Every schedule valid: {met(all(r['valid'] for r in rows))}",
        f"- Lexicographically at least the first-fit greedy: {met(all(r['at_least_greedy'] for r in rows))}",
        "- Breaks below the greedy's whenever the result keeps the greedy's meetings: "
        + met(all(r["objective"]["breaks"] < r["greedy"]["breaks"] for r in rows if r["greedy_start"])),
        "",
        "## Runs",
        "",
    ]
    headers = [
        "participants", "limit s", "load", "seed", "valid?", "coverage (run / greedy / bound)",
        "weight (run / greedy / bound)", "breaks (run / greedy)", "greedy start?", "choose and place s",
        "breaks s", "seconds",
    ]  # fmt: skip
    table = []
    for r in rows:
        o, g, b = r["objective"], r["greedy"], r["bounds"]
        weight_bound = b.get("weight_at_max_coverage", b.get("weight"))
        table.append([
            r["size"], r["limit"], r["load"], r["seed"], r["valid"],
            f"{o['coverage']} / {g['coverage']} / {b.get('coverage')}",
            f"{o['weight']} / {g['weight']} / {weight_bound}",
            f"{o['breaks']} / {g['breaks']}", r["greedy_start"],
            r["phases"].get("choose_and_place"), r["phases"].get("breaks"), r["seconds"],
        ])  # fmt: skip
    lines += md_table(headers, table)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run every fair, seed and load; write the report after each run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", default="180,1100", help="demo sizes: 180 and/or 1100")
    parser.add_argument("--limit", type=float, default=30.0, help="time limit per solve in seconds")
    parser.add_argument("--seeds", type=int, default=2, help="seeds 0 .. N-1")
    parser.add_argument("--loads", default="0,1", help="busy processes beside the solver, comma-separated")
    parser.add_argument("-o", "--output", type=Path, default=REPORTS_DIR / "demo-solve.md")
    args = parser.parse_args(argv)
    command = command_line()
    rows: list[dict[str, Any]] = []
    for size in (int(s) for s in args.participants.split(",")):
        inst = demo_instance(size)
        for load in (int(k) for k in args.loads.split(",")):
            with busy(load):
                for seed in range(args.seeds):
                    rows.append(run_one(inst, size, args.limit, seed, load))
                    print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
                    args.output.write_text(render(rows, command), encoding="utf-8")
    return 0 if all(r["valid"] and r["at_least_greedy"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
