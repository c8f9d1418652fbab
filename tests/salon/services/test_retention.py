"""`salon purge`: personal data of closed fairs goes after the retention period, figures stay."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from salon.models import Attendee, Fair, FairAggregate, Meeting, OutboxMessage
from salon.services import NotAllowed
from salon.services.mail import queue_email
from salon.services.retention import purge_fair
from tests.salon.services.dayof_world import book, make_world, request_ctx  # noqa: F401


def _closed_fair(retention_days=30):
    w = make_world(retention_days=retention_days)
    w.fair.phase = "closed"
    book(w.fair, w.buyers[0], w.suppliers[0], 0, 0, status="held")
    queue_email("x@example.org", "Hello", "Dear Acheteuse 1", fair=w.fair)
    return w


def test_purge_command_purges_only_due_fairs(app, db, runner):
    due = _closed_fair(retention_days=30)
    kept = _closed_fair(retention_days=365)
    open_fair = make_world(retention_days=1)
    ids = (due.fair.id, kept.fair.id, open_fair.fair.id)
    db.session.commit()
    result = runner.invoke(args=["purge", "--now", "2027-05-01T00:00:00+00:00"])
    assert result.exit_code == 0, result.output
    assert "1 fair(s) purged" in result.output
    db.session.expire_all()
    fair = db.session.get(Fair, ids[0])
    assert fair.purged_at is not None
    people = select(func.count(Attendee.id)).join(Attendee.participant)
    assert db.session.scalar(people.filter_by(fair_id=ids[0])) == 0
    assert db.session.scalar(people.filter_by(fair_id=ids[1])) == 5
    assert db.session.scalar(people.filter_by(fair_id=ids[2])) == 5
    assert db.session.scalar(select(func.count(OutboxMessage.id)).filter_by(fair_id=ids[0])) == 0
    aggregate = db.session.scalar(select(FairAggregate).filter_by(fair_id=ids[0]))
    assert aggregate.figures["totals"]["held"] == 1
    assert aggregate.figures["breakdowns"]["side"]["buyer"]["participants"] == 2
    assert db.session.scalar(select(func.count(Meeting.id)).filter_by(fair_id=ids[0])) == 1


def test_purge_command_twice_purges_nothing_more(app, db, runner):
    _closed_fair(retention_days=30)
    db.session.commit()
    runner.invoke(args=["purge", "--now", "2027-05-01T00:00:00+00:00"])
    result = runner.invoke(args=["purge", "--now", "2027-06-01T00:00:00+00:00"])
    assert "0 fair(s) purged" in result.output


def test_purge_dry_run_lists_without_purging(app, db, runner):
    w = _closed_fair(retention_days=30)
    fair_id = w.fair.id
    db.session.commit()
    result = runner.invoke(args=["purge", "--dry-run", "--now", "2027-05-01T00:00:00+00:00"])
    assert f"due: {fair_id}" in result.output
    db.session.expire_all()
    assert db.session.get(Fair, fair_id).purged_at is None


def test_purge_refused_for_open_fair(app, db):
    w = make_world()
    with app.test_request_context("/"), pytest.raises(NotAllowed):
        from datetime import UTC, datetime

        purge_fair(w.fair, datetime.now(UTC))
