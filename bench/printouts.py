"""Printouts at SO EKO scale: badges, all agendas and table sheets of `salon demo --participants N --publish`.

    python bench/printouts.py --participants 1100 --runs 5 --report bench/reports/printouts.md

Seeds the fair with the real command (once per database file), then times the real `salon print` command
for each printout (median of several runs, with the machine's load average: the machine is shared), checks
each PDF (pages, no agenda without meetings, one badge per person on sheets of 8), and measures the CPU time
of the same build in one process, profiled by stage with cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import os
import pstats
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `salon` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import md_table, report_header

DOCUMENTS = ("badges", "agendas", "tables")
TARGET_SECONDS = 20.0
HOW = [
    "## How",
    "",
    "- One renderer (salon/services/printouts.py, badges.py, pdf.py) for the organiser's background builds, "
    "`salon print` and the participant's own agenda; one stylesheet (static/css/printouts.css) parsed once "
    "per process.",
    "- Plain block layout: no tables, floats or flex boxes; lines that fit the width are not wrapped "
    "(`white-space: nowrap`), since finding line breaks is most of WeasyPrint's layout work.",
    "- Pages laid out in chunks of 25 sheets (20 sheets of labels): WeasyPrint matches each page's styles "
    "against the whole document, so its cost per page grows with the document. With SALON_PRINT_PROCESSES=2 "
    "the chunks go to two worker processes (`python -m salon.pdf_worker`), their PDFs joined with pypdf.",
    "- QR codes: segno's matrix written as PDF rectangles (one per run of dark modules), cached per content, "
    "drawn in a content stream of their own where the layout left an empty box; WeasyPrint's SVG path "
    "parser cost about 20 ms a code. The mask is fixed (any mask is valid; choosing one costs 5 ms a code).",
    "- Before (issue 17, the 180-participant demo, one A6 badge per half page in a flex box): badges 130 s "
    "(90 pages), all agendas 15 s (180 pages, some without meetings), table sheets 8 s.",
    "",
]
SALON = str(Path(sys.executable).parent / "salon")
TMP = Path(tempfile.gettempdir())
# cProfile stages: (label, file suffix, function name), cumulative time of each.
STAGES = [
    ("database and HTML (Jinja)", "salon/services/printouts.py", "prepare_document"),
    ("HTML parsing (tinyhtml5)", "weasyprint/__init__.py", "__init__"),
    ("style cascade", "weasyprint/css/__init__.py", "get_all_computed_styles"),
    ("layout", "weasyprint/layout/__init__.py", "layout_document"),
    ("drawing and PDF writing, QR codes included", "weasyprint/document.py", "write_pdf"),
    ("QR codes (segno, vector paths)", "salon/services/pdf.py", "qr_path"),
]


@dataclass
class Result:
    """The timed runs of one printout and what its PDF holds."""

    document: str
    walls: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    pages: int = 0
    items: int = 0
    meetings: int | None = None
    size_mb: float = 0.0
    checks: list[str] = field(default_factory=list)
    cpu: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)


def seed(env: dict[str, str], participants: int) -> float:
    """Create and publish the demo fair with the real command; return its seconds (0 when already there)."""
    started = time.monotonic()
    done = subprocess.run(
        [SALON, "demo", "--no-serve", "--participants", str(participants), "--publish"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    if "Demo fair already there" in done.stdout:
        return 0.0
    return time.monotonic() - started


def time_print(env: dict[str, str], slug: str, result: Result, out: Path) -> None:
    """Run `salon print` once; add its wall time, the load average before it, and what it printed."""
    result.loads.append(os.getloadavg()[0])
    started = time.monotonic()
    done = subprocess.run(
        [SALON, "print", result.document, slug, "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result.walls.append(time.monotonic() - started)
    figures = {noun: int(n) for n, noun in re.findall(r"(\d+) ([a-z]+?)s?,", done.stdout)}
    result.pages, result.items = figures["page"], figures[result.document.rstrip("s")]
    result.meetings = figures.get("meeting")
    result.size_mb = out.stat().st_size / 1e6


def check_pdf(result: Result, pdf: bytes, expected: dict[str, int]) -> None:
    """Check the PDF's page count and content against the fair's figures; record what was checked."""
    from pypdf import PdfReader

    texts = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(texts) == result.pages, (result.document, len(texts), result.pages)
    if result.document == "badges":
        assert result.pages == math.ceil(expected["people"] / 8) and result.items == expected["people"]
        result.checks.append(f"{expected['people']} people on ceil({expected['people']}/8) sheets")
    elif result.document == "agendas":
        assert not any("Aucun rendez-vous" in text for text in texts), "an agenda without meetings"
        assert result.items == expected["with_meetings"] and result.meetings == expected["meetings"]
        result.checks.append("one agenda per participant with meetings, none empty")
    else:
        assert result.items == expected["tables"] and result.meetings == expected["meetings"]
        result.checks.append("one sheet per table with meetings")


def measure_in_process(
    database: str, key: str, slug: str, results: dict[str, Result], profile: bool
) -> dict[str, int]:
    """Build each printout once in this process (PRINT_PROCESSES=1) for its CPU time; then profile it."""
    from flask_babel import force_locale
    from sqlalchemy import select

    from salon import create_app
    from salon.extensions import db
    from salon.models import Fair
    from salon.services.pdf import qr_path
    from salon.services.printouts import document_counts, render_document

    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "PRINT_PROCESSES": 1, "SECRET_KEY": key})
    with app.app_context(), force_locale("fr"):
        fair = db.session.scalar(select(Fair).where(Fair.slug == slug))
        counts = document_counts(fair)
        for result in results.values():
            qr_path.cache_clear()
            started = time.process_time()
            render_document(fair, result.document)
            result.cpu = time.process_time() - started
            if profile:
                qr_path.cache_clear()
                profiler = cProfile.Profile()
                profiler.runcall(render_document, fair, result.document)
                result.stages = stage_shares(profiler)
    return {key: int(value) for key, value in counts.items()}


def stage_shares(profiler: cProfile.Profile) -> dict[str, float]:
    """Return each stage's share of the profiled time (cumulative time of its function)."""
    stats = pstats.Stats(profiler)
    total = stats.total_tt or 1.0  # type: ignore[attr-defined]
    shares = {}
    for label, path, name in STAGES:
        cumulative = sum(
            entry[3]
            for (file, _line, func), entry in stats.stats.items()  # type: ignore[attr-defined]
            if file.endswith(path) and func == name
        )
        shares[label] = cumulative / total
    return shares


def report(
    args: argparse.Namespace, results: dict[str, Result], seeded: float, counts: dict[str, int]
) -> str:
    """Return the Markdown report."""
    lines = report_header("Printouts at SO EKO scale: badges, all agendas, table sheets", command(args))
    lines += [
        f"Fair: `salon demo --participants {args.participants} --publish` (slug `{slug_of(args)}`): "
        f"{counts['approved']} participants, {counts['people']} people, {counts['meetings']} published "
        f"meetings, {counts['with_meetings']} participants with meetings, "
        f"{counts['tables']} tables with meetings"
        + (f"; seeded, solved and published in {seeded:.0f} s." if seeded else " (seeded earlier)."),
        "",
        f"Each printout is built by `salon print DOCUMENT {slug_of(args)} -o FILE.pdf` with "
        f"SALON_PRINT_PROCESSES={args.processes} (the setting the background builds use), {args.runs} run(s) "
        "each; the time is the whole command (Python start, database, layout, PDF). The load average before "
        "each run shows how busy the shared 2-core machine was: a load of 2 means both cores were taken "
        "already. The CPU column is the same build in one process (PRINT_PROCESSES=1): the work itself.",
        "",
        *HOW,
        "## Results",
        "",
    ]
    rows = []
    for r in results.values():
        met = statistics.median(r.walls) <= TARGET_SECONDS
        rows.append([
            r.document, r.pages, r.items, "-" if r.meetings is None else r.meetings, f"{r.size_mb:.1f}",
            f"{statistics.median(r.walls):.1f}", f"{min(r.walls):.1f}–{max(r.walls):.1f}",
            f"{statistics.median(r.loads):.1f}", f"{r.cpu:.1f}", "**met**" if met else "not met",
        ])  # fmt: skip
    headers = ["printout", "pages", "sheets or badges", "meetings", "MB", "median s", "min–max s",
               "load before (median)", "CPU s, one process", f"≤ {TARGET_SECONDS:.0f} s"]  # fmt: skip
    lines += md_table(headers, rows)
    lines += [
        "",
        "Checks on each PDF (pypdf): " + "; ".join(c for r in results.values() for c in r.checks) + ".",
    ]
    if any(r.stages for r in results.values()):
        lines += ["", "## Where the time goes (cProfile, one process, share of the profiled time)", ""]
        lines += md_table(
            ["stage", *results],
            [
                [label, *(f"{r.stages.get(label, 0):.0%}" for r in results.values())]
                for label, _p, _f in STAGES
            ],
        )
    return "\n".join(lines) + "\n"


def slug_of(args: argparse.Namespace) -> str:
    return f"so-eko-demo-{args.participants}"


def command(args: argparse.Namespace) -> str:
    parts = ["python bench/printouts.py", f"--participants {args.participants}", f"--runs {args.runs}"]
    parts += [f"--processes {args.processes}"] + (["--profile"] if args.profile else [])
    return " ".join(parts + ([f"--report {args.report}"] if args.report else []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="profile the one-process builds by stage")
    parser.add_argument(
        "--db", type=Path, help="SQLite file (default: salon-bench-printouts-N.sqlite3 in TMPDIR)"
    )
    parser.add_argument("--out", type=Path, default=TMP / "salon-bench-printouts", help="PDF folder")
    parser.add_argument("--report", type=Path, help="write the Markdown report here")
    args = parser.parse_args(argv)
    database = f"sqlite:///{args.db or TMP / f'salon-bench-printouts-{args.participants}.sqlite3'}"
    # Badges carry signed check-in codes: without a key of the installation's, a throwaway one.
    key = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    env = {**os.environ, "DATABASE_URL": database, "SALON_PRINT_PROCESSES": str(args.processes)}
    env["SECRET_KEY"] = key
    seeded = seed(env, args.participants)
    args.out.mkdir(parents=True, exist_ok=True)
    results = {doc: Result(doc) for doc in DOCUMENTS}
    for _run in range(args.runs):  # documents interleaved: a burst of load on the machine hits all three
        for result in results.values():
            time_print(env, slug_of(args), result, args.out / f"{result.document}.pdf")
    counts = measure_in_process(database, key, slug_of(args), results, args.profile)
    for result in results.values():
        check_pdf(result, (args.out / f"{result.document}.pdf").read_bytes(), counts)
    text = report(args, results, seeded, counts)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
