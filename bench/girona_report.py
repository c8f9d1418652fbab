"""The Girona benchmark's runs and their Markdown report: per family, per file (median and worst of its
seeds) and, with another invocation's runs, both side by side."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from bench.common import fmt, md_table, met, report_header

FAMILIES = ("original", "forb", "fixed", "prec")
ORIGINAL_TARGETS = (20.0, 40.0)  # worst run, and sum over the files of each file's median, in seconds
EXTENSION_LIMIT = 60.0
EXTENSION_PROVED = 114  # of the 120 extensions, proved as expected


@dataclass
class Row:
    """The outcome of one run: one file, one seed."""

    name: str
    family: str
    participants: int
    meetings: int
    expected: str  # the published optimum, or has_schedule / infeasible
    status: str = "-"
    breaks: int | None = None
    bound: int | None = None
    seed: int = 0
    seconds: float = 0.0
    dtime: float | None = None  # CP-SAT deterministic time of the whole solve
    cpu: float | None = None  # CPU seconds of the solve, all threads
    probe: dict[str, Any] | None = None  # the solve's probe statistics (bound, value, deterministic time)
    valid: bool | None = None  # None: no schedule to check
    note: str = ""

    def answers(self) -> bool:
        """Tell whether the run gives the expected answer: a valid schedule, or infeasible as expected."""
        if self.expected == "infeasible":
            return self.status == "infeasible"
        found = self.status in ("optimal", "feasible") and bool(self.valid)
        return found and (self.family != "original" or self.breaks is not None)

    def on_target(self) -> bool:
        """Tell whether the run met its target (proved as expected, valid, within the limit)."""
        if self.family == "original":
            return self.status == "optimal" and bool(self.valid) and str(self.breaks) == self.expected
        if self.seconds > EXTENSION_LIMIT:
            return False
        return self.answers() and self.status in ("optimal", "infeasible")


def by_file(rows: list[Row]) -> dict[str, list[Row]]:
    """Group the runs by file, in order."""
    out: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        out[r.name].append(r)
    return out


def median(rows: list[Row]) -> float:
    """Return the median seconds of a file's runs."""
    return statistics.median(r.seconds for r in rows)


def family_summary(family: str, rows: list[Row], complete: bool) -> list[str]:
    """Return the totals and target lines of one family."""
    files = by_file(rows)
    worst = max(rows, key=lambda r: r.seconds)
    medians = sum(median(runs) for runs in files.values())
    proved = [name for name, runs in files.items() if all(r.on_target() for r in runs)]
    answered = sum(r.answers() for r in rows)
    scope = "" if complete else " (partial run: not every file of the family)"
    lines = [
        f"### {family} ({len(files)} files, {len(rows)} runs)",
        "",
        f"- Runs on target: {sum(r.on_target() for r in rows)}/{len(rows)}; expected answers: "
        f"{answered}/{len(rows)}; valid schedules: {sum(bool(r.valid) for r in rows)}/"
        f"{sum(r.valid is not None for r in rows)}",
        f"- Worst run: {worst.name} (seed {worst.seed}) {worst.seconds:.2f} s; sum of the files' medians: "
        f"{medians:.2f} s; total: {sum(r.seconds for r in rows):.2f} s",
    ]
    if family == "original":
        slow, whole = ORIGINAL_TARGETS
        on = sum(r.on_target() for r in rows)
        lines += [
            f"- Target met? every run proved at the published optimum: {on}/{len(rows)} "
            f"{met(on == len(rows) and len(files) == 20)}{scope}",
            f"- Target met? worst run <= {slow:.0f} s: {worst.seconds:.2f} s {met(worst.seconds <= slow)}",
            f"- Target met? sum of medians <= {whole:.0f} s: {medians:.2f} s "
            f"{met(medians <= whole and complete)}{scope}",
        ]
    else:
        within = f"within {EXTENSION_LIMIT:.0f} s"
        lines.append(f"- Files proved as expected {within} in every run: {len(proved)}/{len(files)}{scope}")
    misses = [name for name in files if name not in proved]
    if misses:
        lines.append(f"- Off target: {', '.join(misses)}")
    return lines + [""]


def extension_targets(rows: list[Row]) -> list[str]:
    """Return the target lines of the 120 extensions taken together."""
    ext = [r for r in rows if r.family != "original"]
    if not ext:
        return []
    files = by_file(ext)
    proved = sum(all(r.on_target() for r in runs) for runs in files.values())
    answered = all(r.answers() for r in ext)
    return [
        "### extensions together",
        "",
        f"- Target met? every run gives the expected answer: {met(answered)}",
        f"- Target met? at least {EXTENSION_PROVED} of 120 files proved as expected: {proved}/{len(files)} "
        f"{met(proved >= EXTENSION_PROVED and len(files) == 120)}",
        "",
    ]


def run_cell(r: Row) -> str:
    """Return one run's status, breaks, seconds and deterministic time."""
    breaks = "" if r.breaks is None else f" {r.breaks}"
    return f"{r.status}{breaks} ({r.seconds:.1f} s, {fmt(r.cpu)} cpu s, {fmt(r.dtime)} dt)"


def file_table(rows: list[Row]) -> list[str]:
    """Return the per-file table: each seed's run, the median and worst seconds."""
    headers = ["instance", "participants", "meetings", "expected", "proved bound", "runs (seed order)"]
    headers += ["median s", "worst s", "valid?", "on target?", "note"]
    table = []
    for name, runs in by_file(rows).items():
        r0 = runs[0]
        valid = [r.valid for r in runs if r.valid is not None]
        table.append(
            [name, r0.participants, r0.meetings, r0.expected, max((r.bound or 0) for r in runs)]
            + ["; ".join(run_cell(r) for r in runs), f"{median(runs):.2f}"]
            + [f"{max(r.seconds for r in runs):.2f}", fmt(all(valid)) if valid else "n/a"]
            + [fmt(all(r.on_target() for r in runs)), "; ".join(sorted({r.note for r in runs if r.note}))]
        )
    return md_table(headers, table)


def render(
    rows: list[Row],
    command: str,
    planned: dict[str, int],
    settings: dict[str, Any],
    other: dict[str, Any] | None = None,
) -> str:
    """Return the whole Markdown report."""
    lines = report_header("Girona B2B benchmark", command)
    lines += [
        f"Settings: time limit {settings['limit']:g} s per run, {settings['workers']} workers, "
        f"{settings['repeat']} seed(s) per file, {settings['load']} busy process(es) beside the solver. "
        "Breaks are total breaks (d = 2); the expected column is the published optimum (JAIR 74, 2022, "
        "Table 3) for originals and the status from expected-status.csv for extensions. A schedule counts "
        "only when solver.validate finds no violation; seconds are wall-clock around solve(); dt is CP-SAT's "
        "deterministic time, the same on a busy machine as on a quiet one when the solve is deterministic "
        "(a race that an outcome decided by ruling its other lane out is counted apart: solver/race.py); "
        "cpu s the CPU seconds of the solve, all threads together.",
        "",
        f"Files run: {len(by_file(rows))} of {sum(planned.values())} planned, {len(rows)} runs.",
        "",
        "## Totals and targets",
        "",
    ]
    for family in FAMILIES:
        mine = [r for r in rows if r.family == family]
        if mine:
            lines += family_summary(family, mine, complete=len(by_file(mine)) == planned.get(family, 0))
    lines += extension_targets(rows)
    if other is not None:
        lines += comparison(rows, settings, other)
    lines += ["## Per file", ""] + file_table(rows) + [""]
    return "\n".join(lines)


def comparison(rows: list[Row], settings: dict[str, Any], other: dict[str, Any]) -> list[str]:
    """Return this invocation's runs beside another's: same seed, same status and breaks?"""
    theirs = {(r["name"], r["seed"]): r for r in other["runs"]}
    load = other["settings"].get("load", 0)
    headers = ["instance", "seeds compared", "same status and breaks", "same deterministic time"]
    headers += [f"median s (load {load})", f"median s (load {settings['load']})"]
    headers += [f"worst s (load {load})", f"worst s (load {settings['load']})"]
    table, same_all = [], True
    for name, runs in by_file(rows).items():
        pairs = [(r, theirs[name, r.seed]) for r in runs if (name, r.seed) in theirs]
        if not pairs:
            continue
        same = all(r.status == t["status"] and r.breaks == t["breaks"] for r, t in pairs)
        same_all &= same
        dt = sum(r.dtime == t["dtime"] for r, t in pairs)
        their = [t["seconds"] for _, t in pairs]
        mine = [r.seconds for r in runs]
        table.append(
            [name, len(pairs), fmt(same), f"{dt}/{len(pairs)}", f"{statistics.median(their):.2f}"]
            + [f"{median(runs):.2f}", f"{max(their):.2f}", f"{max(mine):.2f}"]
        )
    return [
        f"## Beside the run with {load} busy process(es)",
        "",
        f"Same seed, same status and breaks in every compared run: {met(same_all)}",
        "",
        *md_table(headers, table),
        "",
    ]
