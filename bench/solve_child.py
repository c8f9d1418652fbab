"""One measured solve of a synthetic fair, run in its own process so its peak memory can be read.

Usage: python -m bench.solve_child --size 1100 --seed 1 --limit 10 --workers 2 --out RESULT.json
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path
from typing import Any

from bench.greedy import unmet
from bench.synthetic import make_fair, preset
from solver.objective import compute_objective
from solver.validate import violations


def summarise_progress(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Keep per stage the number of improving solutions and the last one (value, bound, elapsed)."""
    stages: dict[str, Any] = {}
    for e in events:
        stage = stages.setdefault(str(e.get("stage")), {"solutions": 0})
        stage["solutions"] += 1
        stage.update({k: e.get(k) for k in ("value", "bound", "elapsed")})
    return stages


def measure(size: int | str, seed: int, limit: float, workers: int) -> dict[str, Any]:
    """Generate the fair, solve it under the limit, validate, and return the figures."""
    from solver.solve import solve

    instance = make_fair(size, seed)
    events: list[dict[str, Any]] = []
    started = time.perf_counter()
    result = solve(instance, time_limit=limit, workers=workers, seed=0, progress=events.append)
    seconds = time.perf_counter() - started
    has_schedule = result.status in ("optimal", "feasible")
    found = violations(instance, result) if has_schedule else []
    alone, alone_wished = unmet(instance, result)
    return {
        "size": size,
        "seed": seed,
        "limit": limit,
        "workers": workers,
        "status": result.status,
        "seconds": round(seconds, 3),
        "objective": compute_objective(instance, result.meetings) if has_schedule else {},
        "reported_objective": dict(result.objective),
        "bounds": dict(result.bounds),
        "valid": has_schedule and not found,
        "violations": [str(v) for v in found[:5]],
        "violation_count": len(found),
        "meetings": len(result.meetings),
        "unmet": alone,
        "unmet_wished": alone_wished,
        "stages": [
            {k: s.get(k) for k in ("term", "status", "value", "bound", "seconds")}
            for s in result.stats.get("stages", [])
        ],
        "progress": summarise_progress(events),
        "self_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def main(argv: list[str] | None = None) -> int:
    """Run one measured solve and write its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=preset, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    figures = measure(args.size, args.seed, args.limit, args.workers)
    args.out.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
