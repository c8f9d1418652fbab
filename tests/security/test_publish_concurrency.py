"""Simultaneous publishes on a live server (issue 18, finding 6): one wins, the others get 409, never 500.

Real concurrent HTTP requests, on PostgreSQL and on a SQLite file: the same confirmation sent four times
at once, and two runs of the same fair confirmed at the same moment.
"""

from __future__ import annotations

import os
import re

import pytest
import requests
from sqlalchemy import func, select

from salon.extensions import db
from salon.models import Meeting, OutboxMessage, ScheduleRun
from tests.factories import PASSWORD, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import add_attendee
from tests.salon.services.test_publishing import make_run
from tests.security.conftest import skip_or_fail
from tests.security.live import at_once, live_server, post, scratch_database, sign_in

STALE = "rien n’a été publié"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def live(request, tmp_path):
    """A live Salon on a SQLite file, or on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        with live_server(f"sqlite:///{tmp_path / 'race.sqlite3'}") as server:
            yield server
        return
    url = os.environ.get("SALON_TEST_POSTGRES_URL")
    if not url:
        skip_or_fail("SALON_TEST_POSTGRES_URL is not set (start one with scripts/services.sh)")
    with scratch_database(url) as database_url, live_server(database_url) as server:
        yield server


def _fair_with_runs(app, runs: int) -> tuple[int, list[int], str]:  # noqa: ANN001
    """Create a fair in scheduling with finished runs (each a full schedule); return ids and the e-mail."""
    with app.app_context():
        organiser = make_user()
        fair = make_fair(phase="scheduling", slots_per_session=3, tables=3, organiser=organiser)
        buyers = [make_participant(fair, "buyer") for _ in range(3)]
        suppliers = [make_participant(fair, "supplier") for _ in range(3)]
        for i, p in enumerate(buyers + suppliers):
            add_attendee(p, f"Personne {i}", f"p{i}@example.org")
        ids = []
        for shift in range(runs):
            drafts = [
                (b, s, (i + j + shift) % 6, j) for i, b in enumerate(buyers) for j, s in enumerate(suppliers)
            ]
            ids.append(make_run(fair, drafts).id)
        db.session.commit()
        return fair.id, ids, organiser.email


def _digest(live, cookies: dict, fair_id: int, run_id: int) -> str:  # noqa: ANN001
    page = requests.get(f"{live.url}/orga/fairs/{fair_id}/runs/{run_id}/publish", cookies=cookies, timeout=60)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', page.text).group(1)


def _counts(app, fair_id: int) -> tuple[int, int, int]:  # noqa: ANN001
    with app.app_context():
        count = lambda model, col: db.session.scalar(  # noqa: E731
            select(func.count()).select_from(model).where(col == fair_id)
        )
        published = db.session.scalar(
            select(func.count()).where(ScheduleRun.fair_id == fair_id, ScheduleRun.published_at.is_not(None))
        )
        result = (count(Meeting, Meeting.fair_id), count(OutboxMessage, OutboxMessage.fair_id), published)
        db.session.remove()
        return result


def _statuses(results) -> list:  # noqa: ANN001
    return sorted(r.status_code if hasattr(r, "status_code") else repr(r) for r in results)


def test_same_confirmation_four_times_at_once_publishes_once(live):
    fair_id, (run_id,), email = _fair_with_runs(live.app, 1)
    cookies = sign_in(live, email, PASSWORD)
    digest = _digest(live, cookies, fair_id, run_id)
    path = f"/orga/fairs/{fair_id}/runs/{run_id}/publish"
    results = at_once([post(live, path, cookies, {"digest": digest}) for _ in range(4)])
    assert _statuses(results) == [303, 409, 409, 409]
    assert all(STALE in r.text for r in results if r.status_code == 409)
    # Nine meetings; the first publication e-mails each of the six participants their agenda, once.
    assert _counts(live.app, fair_id) == (9, 6, 1)


def test_two_runs_confirmed_at_once_one_wins(live):
    fair_id, runs, email = _fair_with_runs(live.app, 2)
    cookies = sign_in(live, email, PASSWORD)
    digests = [_digest(live, cookies, fair_id, run_id) for run_id in runs]
    calls = [
        post(live, f"/orga/fairs/{fair_id}/runs/{run_id}/publish", cookies, {"digest": digest})
        for run_id, digest in zip(runs, digests, strict=True)
    ]
    results = at_once(calls)
    assert _statuses(results) == [303, 409]
    assert STALE in next(r for r in results if r.status_code == 409).text
    assert _counts(live.app, fair_id) == (9, 6, 1)
