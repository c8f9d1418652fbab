"""Helpers shared by the benchmark scripts: paths, machine description and Markdown tables."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import platform
import shlex
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
REPORTS_DIR = REPO_ROOT / "bench" / "reports"
SHARED_CAVEAT = (
    "Caveat: the machine is shared with other engineers' test runs, so wall-clock times are noisy "
    "(treat them as upper bounds)."
)


def shared_dir() -> Path:
    """Return the read-only shared material directory (env SALON_SHARED_DIR, default ../shared)."""
    return Path(os.environ.get("SALON_SHARED_DIR", REPO_ROOT.parent / "shared")).resolve()


def command_line() -> str:
    """Return the command that started this process, as it could be typed again."""
    module = sys.modules["__main__"].__spec__
    head = ["python", "-m", module.name] if module is not None else ["python", sys.argv[0]]
    return shlex.join(head + sys.argv[1:])


def ram_gib() -> float:
    """Return the machine's physical memory in GiB (0 when unknown)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return 0.0


def git_commit() -> str:
    """Return the current git commit (short), with '+dirty' when tracked files changed."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def solver_digest() -> str:
    """Return a short SHA-256 of solver/*.py and how many of them differ from the commit (or are new)."""
    digest = hashlib.sha256()
    for path in sorted((REPO_ROOT / "solver").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    try:
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "solver"], cwd=REPO_ROOT, capture_output=True, text=True
        ).stdout.splitlines()
    except OSError:
        changed = []
    return f"{digest.hexdigest()[:12]} ({len(changed)} solver files uncommitted)"


def ortools_version() -> str:
    """Return the installed OR-Tools version."""
    try:
        import ortools

        return ortools.__version__
    except ImportError:
        return "not installed"


def report_header(title: str, command: str) -> list[str]:
    """Return the Markdown header lines: title, exact command, date and machine."""
    now = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    return [
        f"# {title}",
        "",
        "Command (from the repository root, with the project's virtualenv):",
        "",
        "```",
        command,
        "```",
        "",
        f"- Date: {now}",
        f"- Machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {ram_gib():.1f} GiB RAM",
        f"- OR-Tools {ortools_version()}, git commit {git_commit()}, solver/*.py digest {solver_digest()}",
        f"- {SHARED_CAVEAT}",
        "",
    ]


def md_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """Return a Markdown table as lines."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(fmt(c) for c in row) + " |" for row in rows]
    return lines


def fmt(value: object) -> str:
    """Format one table cell."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def met(flag: bool) -> str:
    """Return the verdict word of a target."""
    return "**met**" if flag else "**not met**"
