"""Run the load test: PostgreSQL + gunicorn on 127.0.0.1, locust headless, then bench/reports/load.md."""

from __future__ import annotations

import csv
import datetime as dt
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from argparse import Namespace
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
PAGE_P95_MS, FEED_P95_MS = 300, 100
FEEDS = ("calendar feed (.ics)", "agenda download (.ics)")
PASSWORD = "load-test-password-2027"  # noqa: S105  (throwaway accounts, same as bench/load.py)
NO_TARGET = ("sign in", "login page")  # argon2id is slow on purpose; measured, not targeted


def _start_postgres(workdir: Path, port: int) -> str:
    script = ROOT / "scripts" / "pg_test_cluster.sh"
    out = subprocess.run(
        ["bash", str(script), "start", str(workdir), str(port)], check=True, capture_output=True, text=True
    ).stdout
    return out.strip().split("=", 1)[1]


def _start_gunicorn(database_url: str, port: int, args: Namespace) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "SESSION_COOKIE_SECURE": "0",
        "SALON_TRUSTED_PROXIES": "1",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    env.pop("REDIS_URL", None)
    command = [
        str(VENV / "gunicorn"),
        "-k",
        args.worker_class,
        "-w",
        str(args.workers),
        "--threads",
        str(args.threads),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "salon:create_app()",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2):  # noqa: S310 (loopback)
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def _baseline(port: int, data: Path, rounds: int = 30) -> list[tuple[str, float, float]]:
    """Time each page from one client, one request at a time (the service time without queueing)."""
    import json
    import re
    import statistics

    import requests

    me = json.loads(data.read_text())[-1]
    base, http = f"http://127.0.0.1:{port}", requests.Session()
    http.headers["X-Forwarded-For"] = "192.0.2.250"
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', http.get(f"{base}/login").text).group(1)
    http.post(f"{base}/login", data={"email": me["email"], "password": PASSWORD, "csrf_token": token})
    pages = {
        "catalogue": f"/p/{me['wish_pid']}/catalogue",
        "counterpart page": f"/p/{me['wish_pid']}/catalogue/{me['targets'][0]}",
        "my wishes": f"/p/{me['wish_pid']}/wishes",
        "agenda": f"/p/{me['agenda_pid']}/agenda",
        "my fairs": "/p/",
        "public fair page": f"/fairs/{me['slug']}",
        "calendar feed (.ics)": f"/cal/{me['feed']}.ics",
        "agenda download (.ics)": f"/p/{me['agenda_pid']}/agenda.ics",
    }
    timings = []
    for name, path in pages.items():
        samples = []
        for _ in range(rounds):
            start = time.perf_counter()
            http.get(base + path).raise_for_status()
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        timings.append((name, statistics.median(samples), samples[int(len(samples) * 0.95) - 1]))
    return timings


def _run_locust(locustfile: Path, port: int, args: Namespace, data: Path, prefix: Path) -> None:
    command = [
        str(VENV / "locust"),
        "-f",
        str(locustfile),
        "--headless",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "-t",
        f"{args.duration}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--reset-stats",
    ]
    env = {**os.environ, "SALON_LOAD_DATA": str(data), "SALON_LOAD_WAIT": args.wait}
    subprocess.run(command, cwd=ROOT, env=env, check=False)


def _rows(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def _failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _worker_label(args: Namespace) -> str:
    """Describe the gunicorn workers as they run (gunicorn turns sync into gthread when threads > 1)."""
    kind = "gthread" if args.threads > 1 else args.worker_class
    return f"{kind}, {args.workers} workers x {args.threads} threads, one connection per request"


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def _cpu_lines(cpu: dict[str, float], rows: list[dict]) -> list[str]:
    """Describe the CPU each part used per request in the steady state."""
    if not cpu:
        return []
    total = next((r for r in rows if r["Name"] == "Aggregated"), {})
    requests = float(total.get("Requests/s") or 0) * cpu["elapsed"]
    if not requests:
        return []
    parts = ", ".join(
        f"{name} {1000 * seconds / requests:.1f} ms" for name, seconds in cpu.items() if name != "elapsed"
    )
    return [
        "",
        f"CPU per request in the steady state (from 20 s after the last spawn to 3 s before the end, "
        f"{cpu['elapsed']:.0f} s, about {requests:.0f} requests): {parts}. Unlike the latencies, this "
        "depends little on the other engineers' load.",
    ]


def _verdict(name: str, p95: float) -> str:
    if name in NO_TARGET:
        return "no target (argon2id)"
    limit = FEED_P95_MS if name in FEEDS else PAGE_P95_MS
    return f"{'met' if p95 < limit else 'MISSED'} (< {limit} ms)"


def _tree_cpu(pid: int) -> float:
    """Return the CPU seconds (user + system) used so far by a process and its descendants."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(_tree_cpu(int(child)) for child in children)


def _cpu(server_pid: int, pg_dir: Path) -> dict[str, float]:
    """Return the CPU seconds used so far by gunicorn, PostgreSQL and locust (our other child)."""
    postmaster = int((pg_dir / "data" / "postmaster.pid").read_text().split()[0])
    me = os.getpid()
    others = Path(f"/proc/{me}/task/{me}/children").read_text().split()  # locust while it runs
    return {
        "gunicorn": _tree_cpu(server_pid),
        "postgres": _tree_cpu(postmaster),
        "locust": sum(_tree_cpu(int(pid)) for pid in others if int(pid) != server_pid),
    }


def _cpu_delta(start: tuple[float, dict], end: tuple[float, dict]) -> dict[str, float]:
    """Return the CPU seconds each part used between two samples, and the seconds elapsed."""
    used = {name: end[1][name] - start[1][name] for name in start[1]}
    return {**used, "elapsed": end[0] - start[0]}


def _uptime() -> str:
    done = subprocess.run(["uptime"], capture_output=True, text=True, check=False)
    one, five, fifteen = os.getloadavg()
    return done.stdout.strip() or f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def write_report(
    prefix: Path,
    args: Namespace,
    command: str,
    baseline: list[tuple[str, float, float]],
    loads: tuple[str, str] = ("?", "?"),
    cpu: dict[str, float] | None = None,
) -> str:
    """Write bench/reports/load.md from locust's CSV statistics; return its text."""
    rows, failures = _rows(prefix), _failures(prefix)
    lines = [
        "# Load test: 200 simulated participants (locust, gunicorn, PostgreSQL, 127.0.0.1)",
        "",
        f"Command: `{command}`",
        "",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; commit {_commit()}; {os.cpu_count()} CPUs.",
        f"Setup: {args.users} users (spawn {args.spawn_rate}/s), {args.duration} s in all, "
        f"wait {args.wait} s between tasks; statistics reset once every user has spawned and signed in "
        "(steady state: sign-ins are argon2id, deliberately slow, and happen during the ramp-up); "
        f"gunicorn {_worker_label(args)}; "
        "PostgreSQL 15 (fsync off) on 127.0.0.1; production Config (CSRF on, argon2id 64 MiB). "
        f"Two fairs of {args.users} participants each (16 slots, 40 tables); in the published one every "
        "table holds a meeting in every slot.",
        "",
        f"Machine load (`uptime`) before the load: {loads[0]}; after: {loads[1]}.",
        "",
        "| Request | Requests | Failures | p50 ms | p95 ms | p99 ms | Target p95 |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        name = row["Name"]
        p95 = float(row["95%"] or 0)
        target = "" if name == "Aggregated" else _verdict(name, p95)
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | {row['95%']} "
            f"| {row['99%']} | {target} |"
        )
    total = next((r for r in rows if r["Name"] == "Aggregated"), {"Failure Count": "?"})
    rate = float(total.get("Requests/s") or 0)
    lines += ["", f"Errors: {total['Failure Count']}. Throughput: {rate:.0f} requests/s after the ramp-up."]
    lines += _cpu_lines(cpu or {}, rows)
    for failure in failures:
        lines.append(
            f"- {failure['Method']} {failure['Name']}: {failure['Error']} ({failure['Occurrences']}x)"
        )
    lines += ["", "Single client, one request at a time (service time without queueing; 30 requests a page):"]
    lines += ["", "| Page | p50 ms | p95 ms |", "|---|---:|---:|"]
    lines += [f"| {name} | {p50:.1f} | {p95:.1f} |" for name, p50, p95 in baseline]
    lines += [
        "",
        "Caveat: the machine (2 cores) is shared with other engineers' test runs and runs locust, "
        "gunicorn and PostgreSQL at once, so the figures are upper bounds and vary between runs.",
        "",
    ]
    text = "\n".join(lines)
    report = ROOT / args.report
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text)
    return text


def run(args: Namespace, locustfile: Path, seed: Callable, free_port: Callable[[], int]) -> None:
    """Start the services, seed, load, report, and stop what was started."""
    command = shlex.join([".venv/bin/python", "bench/load.py", *sys.argv[1:]])
    workdir = Path(tempfile.mkdtemp(prefix="salon-load-"))
    pg_dir = Path(tempfile.mkdtemp(prefix="salon-load-pg-", dir="/tmp"))
    pg_port, web_port = free_port(), free_port()
    database_url = _start_postgres(pg_dir, pg_port)
    server = None
    try:
        seed(database_url, args.users, workdir / "people.json")
        server = _start_gunicorn(database_url, web_port, args)
        baseline = _baseline(web_port, workdir / "people.json")
        before = _uptime()
        # CPU counted from 20 s after the last user spawned (sign-ins done) to 3 s before the end.
        samples: list = []
        timers = [
            threading.Timer(delay, lambda: samples.append((time.monotonic(), _cpu(server.pid, pg_dir))))
            for delay in (args.users / args.spawn_rate + 20, args.duration - 3)
        ]
        for timer in timers:
            timer.start()
        _run_locust(locustfile, web_port, args, workdir / "people.json", workdir / "load")
        for timer in timers:
            timer.cancel()
        loads = (before, _uptime())
        cpu = _cpu_delta(*samples) if len(samples) == 2 else None
        print(write_report(workdir / "load", args, command, baseline, loads, cpu))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
        subprocess.run(
            ["bash", str(ROOT / "scripts" / "pg_test_cluster.sh"), "stop", str(pg_dir), str(pg_port)],
            check=False,
        )
