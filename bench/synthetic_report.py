"""The synthetic report's shapes section: project, greedy and bounds side by side, and the shapes' targets."""

from __future__ import annotations

from typing import Any

from bench.common import fmt, md_table, met
from solver.safety import SENSE

GIB = 2**30
TERMS = ("coverage", "weight", "breaks")


def breaks_bound(run: dict[str, Any]) -> int | None:
    """Return the proved lower bound of the run's breaks stage (given the coverage and weight it reached)."""
    stage = next((s for s in run.get("stages", []) if s.get("term") == "breaks"), None)
    return None if stage is None else stage.get("bound")


def at_least_greedy(base: dict[str, Any], run: dict[str, Any] | None) -> bool:
    """Tell whether a valid run is lexicographically at least the greedy's valid schedule."""
    if run is None or not run["valid"]:
        return False
    ours = tuple(SENSE[t] * run["objective"][t] for t in TERMS)
    theirs = tuple(SENSE[t] * base["greedy"][t] for t in TERMS)
    return ours >= theirs or not base["greedy_valid"]


def gap(value: int | None, bound: int | None) -> str:
    """Return the gap of a value to its upper bound, in percent of the bound."""
    if value is None or not bound:
        return "-"
    return f"{100.0 * (bound - value) / bound:.2f} %"


def side_by_side(bases: dict[Any, Any], runs: dict[tuple[Any, float], Any]) -> list[str]:
    """Return the table of every run beside the greedy and the proved bounds."""
    headers = ["fair", "limit s", "coverage (project / greedy / bound)", "weight (project / greedy / bound)"]
    headers += ["gap to the weight bound", "breaks (project / greedy / proved bound)", "at least the greedy?"]
    headers += ["seconds", "peak RSS MiB"]
    rows = []
    for (size, limit), run in runs.items():
        b = bases[size]
        obj, g, bd = run["objective"], b["greedy"], b["bounds"]
        cov_ok = obj.get("coverage") == bd.get("coverage")
        wt_b = bd.get("weight_at_max_coverage") if cov_ok else bd.get("weight")
        rows.append([
            size, f"{limit:g}", f"{fmt(obj.get('coverage'))} / {g['coverage']} / {bd.get('coverage')}",
            f"{fmt(obj.get('weight'))} / {g['weight']} / {fmt(wt_b)}", gap(obj.get("weight"), wt_b),
            f"{fmt(obj.get('breaks'))} / {g['breaks']} / {fmt(breaks_bound(run))}",
            fmt(at_least_greedy(b, run)), f"{run['seconds']:.2f}", f"{run['peak_rss'] / 2**20:.0f}",
        ])  # fmt: skip
    note = (
        "Weight bound: `weight_at_max_coverage` when the run reaches the coverage bound, else `weight`. "
        "Breaks bound: the breaks stage's proved lower bound given the coverage and weight reached "
        "(solver/bounds_degree.py). Greedy: the first-fit baseline (solver/firstfit.py)."
    )
    return md_table(headers, rows) + ["", note, ""]


def shape_targets(bases: dict[Any, Any], runs: dict[tuple[Any, float], Any]) -> list[str]:
    """Return the target lines of the co-contracting and convention shapes that were run."""
    lines = []
    if "cocontracting" in bases:
        run = runs.get(("cocontracting", 60.0))
        lines.append("- Co-contracting: lexicographically at least the greedy within 60 s: "
                     + met(at_least_greedy(bases["cocontracting"], run)))  # fmt: skip
    if "convention" in bases:
        b, run = bases["convention"], runs.get(("convention", 60.0))
        obj = run["objective"] if run and run["valid"] else {}
        cov_ok = obj.get("coverage") == b["bounds"]["coverage"]
        share = 100.0 * obj.get("weight", 0) / b["bounds"]["weight_at_max_coverage"] if cov_ok else 0.0
        verdict = met(cov_ok and share >= 99.5)
        lines.append("- Convention, two-sided: coverage at its bound, weight >= 99.5 % of the flow bound at "
                     f"maximum coverage within 60 s ({share:.2f} %): {verdict}")  # fmt: skip
        lines.append(f"- Convention, two-sided: breaks {fmt(obj.get('breaks'))} against a proved bound of "
                     f"{fmt(breaks_bound(run) if run else None)}")  # fmt: skip
    if "convention-same-side" in bases:
        run = runs.get(("convention-same-side", 300.0))
        verdict = met(at_least_greedy(bases["convention-same-side"], run))
        lines.append(f"- Convention, 10 % same-side wishes: at least the greedy within 300 s: {verdict}")
    for name in ("convention", "convention-same-side"):
        mine = [r for (s, _), r in runs.items() if s == name]
        if mine:
            peak = max(r["peak_rss"] for r in mine)
            lines.append(f"- {name}: peak memory <= 4 GB ({peak / GIB:.2f} GiB): {met(peak <= 4 * GIB)}")
    return lines
