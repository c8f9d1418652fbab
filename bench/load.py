"""Load test: 200 simulated participants browse, wish and download calendars (locust, headless, local only).

    .venv/bin/python bench/load.py [--users 200] [--duration 120] [--workers 3] [--threads 4] [--wait 1-3]
                                   [--report bench/reports/load.md]

Starts a throwaway PostgreSQL (scripts/pg_test_cluster.sh) and gunicorn on 127.0.0.1, seeds two fairs (one
taking wishes, one published with meetings and calendar feeds), runs locust headless with this file as the
locustfile, and writes bench/reports/load.md (p50/p95/p99 per page, error count). Nothing leaves 127.0.0.1.
Each simulated participant sends its own X-Forwarded-For through a trusted-proxy setting (as behind a
reverse proxy), so the per-address limits apply per person and not to the whole crowd.
"""

from __future__ import annotations

import json
import os
import random
import re
import socket
import sys
from pathlib import Path

from locust import HttpUser, between, task

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "load-test-password-2027"  # noqa: S105  (throwaway accounts in a throwaway database)
FEEDS = ("calendar feed (.ics)", "agenda download (.ics)")


class Participant(HttpUser):
    """A participant of both fairs: browses the catalogue, wishes, reads the agenda, downloads calendars."""

    wait_time = between(*(float(s) for s in os.environ.get("SALON_LOAD_WAIT", "1-3").split("-")))
    people: list[dict] = []

    def on_start(self) -> None:
        if not Participant.people:
            Participant.people = json.loads(Path(os.environ["SALON_LOAD_DATA"]).read_text())
        self.me = Participant.people.pop() if Participant.people else None
        if self.me is None:
            self.stop()
            return
        self.client.headers["X-Forwarded-For"] = self.me["address"]
        # One connection per request: a connection left idle 1-3 s raced the server closing it (resets on
        # the first request after a pause, an artefact of the client's pool, not an answer of the app).
        self.client.headers["Connection"] = "close"
        page = self.client.get("/login", name="login page")
        token = TOKEN.search(page.text).group(1)
        form = {"email": self.me["email"], "password": PASSWORD, "csrf_token": token}
        self.client.post("/login", data=form, name="sign in", allow_redirects=False)

    @task(3)
    def catalogue(self) -> None:
        self.client.get(f"/p/{self.me['wish_pid']}/catalogue", name="catalogue")

    @task(2)
    def counterpart_and_wish(self) -> None:
        target = random.choice(self.me["targets"])  # noqa: S311  (load pattern, not security)
        page = self.client.get(f"/p/{self.me['wish_pid']}/catalogue/{target}", name="counterpart page")
        found = TOKEN.search(page.text or "")
        if found:
            form = {
                "target_id": target,
                "choice": random.choice(["1", "2", "3"]),
                "csrf_token": found.group(1),
            }  # noqa: S311
            self.client.post(
                f"/p/{self.me['wish_pid']}/wishes", data=form, name="wish (POST)", allow_redirects=False
            )

    @task(2)
    def wishes(self) -> None:
        self.client.get(f"/p/{self.me['wish_pid']}/wishes", name="my wishes")

    @task(2)
    def agenda(self) -> None:
        self.client.get(f"/p/{self.me['agenda_pid']}/agenda", name="agenda")

    @task(1)
    def home(self) -> None:
        self.client.get("/p/", name="my fairs")
        self.client.get(f"/fairs/{self.me['slug']}", name="public fair page")

    @task(3)
    def calendars(self) -> None:
        self.client.get(f"/cal/{self.me['feed']}.ics", name=FEEDS[0])
        self.client.get(f"/p/{self.me['agenda_pid']}/agenda.ics", name=FEEDS[1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(database_url: str, users: int, out: Path) -> None:
    """Create the schema and the two fairs; write each simulated participant's data to `out`."""
    sys.path.insert(0, str(ROOT))
    from bench.load_seed import seed_fairs
    from salon import create_app
    from salon.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url}, for_requests=False)
    with app.app_context():
        db.create_all()
        people = seed_fairs(users, PASSWORD)
        db.session.commit()
    out.write_text(json.dumps(people))


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load, ramp-up included")
    parser.add_argument("--spawn-rate", type=int, default=5)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (gthread, sync)")
    parser.add_argument("--wait", default="1-3", help="seconds each user thinks between tasks, MIN-MAX")
    parser.add_argument("--report", default="bench/reports/load.md", help="where to write the report")
    args = parser.parse_args()
    from bench.load_run import run

    run(args, Path(__file__).resolve(), seed, free_port)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
