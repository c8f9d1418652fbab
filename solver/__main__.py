"""Command line: `python -m solver validate|solve|bound ...`.

Exit 0 when valid or solved, 1 on violations or when no schedule was found, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from solver.instance import Instance, InstanceError, load_instance
from solver.schedule import ScheduleError, dump_schedule, load_schedule, result_to_dict

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def cmd_validate(args: argparse.Namespace, instance: Instance) -> int:
    """Print one `rule-id: ids` line per violation; exit 1 when there is any."""
    from solver.objective import compute_objective
    from solver.validate import violations

    result = load_schedule(args.schedule)
    found = violations(instance, result)
    for v in found:
        print(v)
    if args.verbose:
        for v in found:
            print(f"  {v.message}", file=sys.stderr)
        print(json.dumps(compute_objective(instance, result.meetings)), file=sys.stderr)
    return EXIT_FAILED if found else EXIT_OK


def cmd_solve(args: argparse.Namespace, instance: Instance) -> int:
    """Solve and write the schedule; exit 1 when no schedule was found."""
    from solver.solve import solve

    options: dict[str, Any] = {"time_limit": args.time_limit, "workers": args.workers, "seed": args.seed}
    result = solve(instance, **{k: v for k, v in options.items() if v is not None})
    if args.output:
        dump_schedule(result, args.output)
    else:
        print(json.dumps(result_to_dict(result), indent=1, ensure_ascii=False))
    print(f"status: {result.status} {json.dumps(result.objective)}", file=sys.stderr)
    return EXIT_OK if result.status in ("optimal", "feasible") else EXIT_FAILED


def cmd_bound(args: argparse.Namespace, instance: Instance) -> int:
    """Print the proved bounds as JSON."""
    from solver.bounds import compute_bounds

    print(json.dumps(compute_bounds(instance), indent=1))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with its three commands."""
    parser = argparse.ArgumentParser(prog="python -m solver", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a schedule against an instance")
    validate.add_argument("instance", help="instance (.json or Girona .dzn)")
    validate.add_argument("schedule", help="schedule (.json, salon-schedule/1)")
    validate.add_argument("-v", "--verbose", action="store_true", help="explain each violation on stderr")
    validate.set_defaults(run=cmd_validate)
    solve = commands.add_parser("solve", help="solve an instance")
    solve.add_argument("instance", help="instance (.json or Girona .dzn)")
    solve.add_argument("-o", "--output", help="write the schedule here (default: stdout)")
    solve.add_argument("--time-limit", type=float, help="seconds for the whole solve")
    solve.add_argument("--workers", type=int, help="CP-SAT search workers")
    solve.add_argument("--seed", type=int, help="random seed")
    solve.set_defaults(run=cmd_solve)
    bound = commands.add_parser("bound", help="print proved bounds of an instance")
    bound.add_argument("instance", help="instance (.json or Girona .dzn)")
    bound.set_defaults(run=cmd_bound)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        instance = load_instance(args.instance)
        code: int = args.run(args, instance)
    except InstanceError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except ScheduleError as exc:
        print(f"bad schedule: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


if __name__ == "__main__":
    sys.exit(main())
