"""Time the publication preview and its confirmation on the demo fair (180 participants), SQLite file.

Usage: .venv/bin/python -m bench.publish_preview [-o bench/reports/publish_preview.md]

The demo fair (salon demo's data) is scheduled with the greedy first-fit baseline and published through the
organiser's pages (a test client signed in as its organiser): the preview page, then the confirmation.
Then a second schedule without the wishes of every tenth participant is previewed and published (moves and
cancellations, one e-mail per change). Each step reports its wall time, SQL statements and e-mails queued.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import tempfile
import time
from pathlib import Path

from bench.common import command_line, md_table, report_header
from bench.greedy import greedy_schedule


def _schedule(fair, drop_every: int = 0) -> int:  # noqa: ANN001
    """Write a finished run from the greedy schedule (without the wishes of every n-th participant)."""
    from salon.extensions import db
    from salon.models import ScheduleRun
    from salon.services import scheduling

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
    """Count the SQL statements the engine runs."""

    def __init__(self, engine) -> None:  # noqa: ANN001
        from sqlalchemy import event

        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:  # noqa: ANN002
        self.n += 1


def _step(client, counter: Counter, method: str, url: str, **kwargs) -> tuple[object, float, int]:  # noqa: ANN001
    before, started = counter.n, time.perf_counter()
    response = client.open(url, method=method, **kwargs)
    return response, time.perf_counter() - started, counter.n - before


def _publish(client, counter: Counter, fair_id: int, run_id: int, outbox) -> list[list[object]]:  # noqa: ANN001
    url = f"/orga/fairs/{fair_id}/runs/{run_id}/publish"
    page, preview_s, preview_q = _step(client, counter, "GET", url)
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', html).group(1)
    figures = re.search(r'id="publish-summary">(.*?)</ul>', html, re.S).group(1)
    shown = [int(n) for n in re.findall(r"<strong>(\d+)</strong>", figures)]
    mails = outbox()
    done, confirm_s, confirm_q = _step(client, counter, "POST", url, data={"digest": digest})
    assert done.status_code == 303, done.status_code
    queued = outbox() - mails
    assert queued == shown[-1], (queued, shown)
    return [
        ["preview page", *shown[:4], shown[-1], preview_s, preview_q],
        ["confirm (publish)", *shown[:4], queued, confirm_s, confirm_q],
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, help="write the Markdown report here")
    args = parser.parse_args(argv)
    from sqlalchemy import func, select

    from salon import create_app
    from salon.demo import ORGANISER_EMAIL, PASSWORD, create_demo_fair
    from salon.extensions import db
    from salon.models import OutboxMessage

    folder = Path(tempfile.mkdtemp(prefix="salon-bench-publish-"))
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}"}, "config.TestConfig"
    )
    rows = []
    with app.app_context():
        db.create_all()
        fair, _ = create_demo_fair()
        fair.phase = "scheduling"
        db.session.commit()
        fair_id, first = fair.id, _schedule(fair)
        client = app.test_client()
        client.post("/login", data={"email": ORGANISER_EMAIL, "password": PASSWORD})
        counter = Counter(db.engine)
        outbox = lambda: db.session.scalar(select(func.count()).select_from(OutboxMessage))  # noqa: E731
        rows += [
            ["first publication: " + r[0], *r[1:]] for r in _publish(client, counter, fair_id, first, outbox)
        ]
        second = _schedule(db.session.get(type(fair), fair_id), drop_every=10)
        rows += [
            ["republication: " + r[0], *r[1:]] for r in _publish(client, counter, fair_id, second, outbox)
        ]
    lines = report_header("Publication preview and confirmation on the demo fair", command_line())
    lines += [
        "Fair: `salon demo`'s (60 buyers, 120 suppliers, 16 slots x 40 tables), scheduled with the greedy "
        "first-fit baseline (bench/greedy.py); the republication drops the wishes of every tenth "
        "participant. SQLite file, Flask test client signed in as the organiser.",
        "",
        *md_table(
            ["step", "new", "moved", "cancelled", "unchanged", "e-mails", "seconds", "SQL statements"], rows
        ),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.output:
        args.output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
