"""Time publishing through the organiser's pages at 180 and 1,100 participants: preview, confirm, e-mails.

Usage: .venv/bin/python -m bench.publish_scale [--sizes 180 1100] [--runs 3] [--database-url URL]
       [-o bench/reports/publish_scale.md]       (or .venv/bin/python bench/publish_scale.py ...)

Each run builds a fresh database (a SQLite file, or a new database on the PostgreSQL server of
--database-url), seeds the fair (bench/publish_seed.py), schedules it with the greedy first-fit baseline
and publishes it as its organiser does, through a test client: the preview page, then the confirmation.
The confirmation queues the e-mails as intents and starts the "prepare" job (this process's thread pool,
as without Redis); the run waits for the job and reports when the e-mails were in the outbox. Then a second
schedule without the wishes of every tenth participant is previewed and published (moves and
cancellations: one e-mail per change and recipient). Figures are medians over the runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

if not __package__:  # run as a file (python bench/publish_scale.py): import from the repository's root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import command_line, md_table, met, report_header  # noqa: E402
from bench.greedy import greedy_schedule  # noqa: E402

STEPS = ("first publication", "republication")
COLUMNS = (
    "preview s",
    "preview SQL",
    "confirm s",
    "confirm SQL",
    "e-mails",
    "ready after confirm s",
    "job SQL",
)
TIMES = ("preview s", "confirm s", "ready after confirm s")


def _schedule(fair_id: int, drop_every: int = 0) -> int:
    """Write a finished run from the greedy schedule (without the wishes of every n-th participant)."""
    from salon.extensions import db
    from salon.models import Fair, ScheduleRun
    from salon.services import scheduling

    fair = db.session.get(Fair, fair_id)
    maps = scheduling.load_maps(fair)
    instance = scheduling.build_instance(fair, locked=[], maps=maps)  # nothing kept in place: a fresh plan
    if drop_every:
        gone = {p.id for p in instance.participants[::drop_every]}
        kept = tuple(w for w in instance.wishes if w.source not in gone and w.target not in gone)
        instance = dataclasses.replace(instance, wishes=kept)
    run = ScheduleRun(fair_id=fair.id, status="done", solver_status="feasible")
    db.session.add(run)
    db.session.flush()
    scheduling.write_drafts(run, greedy_schedule(instance), [], maps)
    db.session.commit()
    return run.id


class Counter:
    """Count the SQL statements the engine runs (every thread)."""

    def __init__(self, engine) -> None:  # noqa: ANN001
        from sqlalchemy import event

        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:  # noqa: ANN002
        self.n += 1


def _publish(client, counter: Counter, fair_id: int, run_id: int) -> dict:  # noqa: ANN001
    """Preview, confirm and wait for the e-mails; return the step's figures."""
    from salon import jobs
    from salon.services.notice_rendering import pending_notices

    url = f"/orga/fairs/{fair_id}/runs/{run_id}/publish"
    sql, started = counter.n, time.perf_counter()
    page = client.get(url)
    preview_s, preview_q = time.perf_counter() - started, counter.n - sql
    html = page.get_data(as_text=True)
    assert page.status_code == 200, page.status_code
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', html).group(1)
    shown = [
        int(n)
        for n in re.findall(
            r"<strong>(\d+)</strong>", re.search(r'id="publish-summary">(.*?)</ul>', html, re.S).group(1)
        )
    ]
    before = _outbox()
    sql, started = counter.n, time.perf_counter()
    done = client.post(url, data={"digest": digest})
    confirm_s, confirm_q = time.perf_counter() - started, counter.n - sql
    assert done.status_code == 303, done.status_code
    sql, started = counter.n, time.perf_counter()
    jobs.wait_all(timeout=900)
    ready_s, job_q = time.perf_counter() - started, counter.n - sql
    mails = _outbox() - before
    assert mails == shown[-1] and pending_notices() == 0, (mails, shown)
    return {
        "changes": shown[:4],
        "preview s": preview_s, "preview SQL": preview_q, "confirm s": confirm_s, "confirm SQL": confirm_q,
        "e-mails": mails, "ready after confirm s": ready_s, "job SQL": job_q,
    }  # fmt: skip


def _outbox() -> int:
    from sqlalchemy import func, select

    from salon.extensions import db
    from salon.models import OutboxMessage

    count = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    db.session.commit()
    return count


@contextmanager
def _database(server_url: str | None):
    """Yield the URL of a fresh database: a SQLite file, or a new database on the PostgreSQL server."""
    if not server_url:
        with tempfile.TemporaryDirectory(prefix="salon-bench-publish-") as folder:  # deleted after the run
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return
    from sqlalchemy import create_engine, make_url, text

    name = f"salon_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def one_run(size: int, server_url: str | None) -> dict[str, dict]:
    """Seed a fair of `size` in a fresh database and publish it twice; return each step's figures."""
    from bench.publish_seed import seed_fair
    from salon import create_app
    from salon.extensions import db

    with _database(server_url) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url}, "config.TestConfig")
        with app.app_context():
            db.create_all()
            fair_id, email, password = seed_fair(size)
            first = _schedule(fair_id)
            client = app.test_client()
            client.post("/login", data={"email": email, "password": password})
            counter = Counter(db.engine)
            figures = {"first publication": _publish(client, counter, fair_id, first)}
            second = _schedule(fair_id, drop_every=10)
            figures["republication"] = _publish(client, counter, fair_id, second)
            db.session.remove()
            db.engine.dispose()
    return figures


BEFORE = (
    "Before this change (bench/publish_preview.py at commit 9375723, SQLite, one run on the demo fair): the "
    "confirmation rendered every e-mail in the request, 16.70 s and 3,152 SQL statements for the first "
    "publication (180 e-mails), 32.54 s and 3,925 statements for the republication (1,360 e-mails)."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[180, 1100], choices=[180, 1100])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="a PostgreSQL server URL (a database is created per run)")
    parser.add_argument("-o", "--output", type=Path, help="write the Markdown report here")
    args = parser.parse_args(argv)
    loads, rows, spread = [os.getloadavg()[0]], [], []
    for size in args.sizes:
        runs = [one_run(size, args.database_url) for _ in range(args.runs)]
        for step in STEPS:
            figures = [r[step] for r in runs]
            medians = [statistics.median(f[c] for f in figures) for c in COLUMNS]
            rows.append([size, step, *figures[0]["changes"], *medians])
            spread.append([size, step, *(" / ".join(f"{f[c]:.2f}" for f in figures) for c in TIMES)])
            print(rows[-1], spread[-1], flush=True)
    loads.append(os.getloadavg()[0])
    text = "\n".join(_report(args, rows, spread, loads))
    print(text)
    if args.output:
        args.output.write_text(text)
    return 0


def _report(args: argparse.Namespace, rows: list, spread: list, loads: list[float]) -> list[str]:
    """Return the Markdown report: medians, every run's times, the targets, and the figures before."""
    database = "PostgreSQL" if args.database_url else "SQLite file"
    large = {row[1]: dict(zip(COLUMNS, row[6:], strict=True)) for row in rows if row[0] == 1100}
    lines = report_header(f"Publishing at 180 and 1,100 participants ({database})", command_line())
    lines += [
        f"Median of {args.runs} runs per size, each on a fresh database ({database}); Flask test client "
        "signed in as the organiser; without Redis, so the e-mails are prepared by this process's thread "
        "pool. "
        f"Load average of the machine (2 cores, shared): {loads[0]:.1f} at the start, {loads[-1]:.1f} at the "
        "end. Columns: the changes the preview shows (new, moved, cancelled, unchanged meetings), the "
        "seconds and SQL statements of the preview page and of the confirmation, the e-mails it queued, and "
        "how long after the confirmation answered they were all in the outbox (with the job's statements).",
        "",
        *md_table(["participants", "step", "new", "moved", "cancelled", "unchanged", *COLUMNS], rows),
        "",
        "Every run (in order):",
        "",
        *md_table(["participants", "step", *TIMES], spread),
        "",
    ]
    if large:
        confirm = max(step["confirm s"] for step in large.values())
        ready = max(step["ready after confirm s"] for step in large.values())
        lines += [
            f"- Target: the confirmation under 5 s at 1,100 participants: {met(confirm < 5)} "
            f"(median {confirm:.2f} s for the slower step).",
            f"- Target: the e-mails in the outbox within a minute: {met(ready < 60)} (median {ready:.2f} s).",
            "",
        ]
    return [*lines, BEFORE, ""]


if __name__ == "__main__":
    sys.exit(main())
