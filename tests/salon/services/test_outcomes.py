"""Outcomes after the fair: signed links with expiry, recording, the two e-mail rounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from salon.models import MeetingOutcome, OutboxMessage
from salon.services import DomainError, NotAllowed
from salon.services.outcomes import (
    make_outcome_token,
    parse_amount,
    participant_from_outcome_token,
    record_outcome,
    send_outcome_requests,
)
from tests.salon.services.dayof_world import book, make_world, request_ctx  # noqa: F401

pytestmark = pytest.mark.usefixtures("request_ctx")
NOW = datetime(2027, 3, 19, 9, tzinfo=UTC)


def test_link_names_the_participant(app, db):
    w = make_world()
    token = make_outcome_token(w.buyers[0], NOW)
    assert participant_from_outcome_token(token, NOW + timedelta(days=1)) == w.buyers[0]


def test_link_used_after_expiry_refused(app, db):
    w = make_world()
    token = make_outcome_token(w.buyers[0], NOW, days=10)
    with pytest.raises(NotAllowed):
        participant_from_outcome_token(token, NOW + timedelta(days=11))


def test_link_forged_refused(app, db):
    w = make_world()
    token = make_outcome_token(w.buyers[0], NOW)
    with pytest.raises(DomainError):
        participant_from_outcome_token(token[:-3] + "xyz", NOW)


def test_record_outcome_on_held_meeting_then_correct_it(app, db):
    w = make_world()
    m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0, status="held")
    record_outcome(w.buyers[0], m.id, "quote_requested")
    record_outcome(w.buyers[0], m.id, "contract_signed", Decimal("1200.50"))
    rows = db.session.scalars(select(MeetingOutcome)).all()
    assert [(r.outcome, r.amount_eur) for r in rows] == [("contract_signed", Decimal("1200.50"))]


def test_record_outcome_refused_for_meeting_not_held_or_not_mine(app, db):
    w = make_world()
    m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    with pytest.raises(NotAllowed):
        record_outcome(w.buyers[0], m.id, "no_follow_up")
    held = book(w.fair, w.buyers[1], w.suppliers[1], 1, 0, status="held")
    with pytest.raises(DomainError):
        record_outcome(w.buyers[0], held.id, "no_follow_up")
    with pytest.raises(DomainError):
        record_outcome(w.buyers[1], held.id, "great")


@pytest.mark.parametrize("text", ["-5", "abc", "1e20"])
def test_parse_amount_refused(app, db, text):
    with pytest.raises(DomainError):
        parse_amount(text)


def test_parse_amount_french_format(app, db):
    assert parse_amount("1 200,5 €") == Decimal("1200.50")
    assert parse_amount("") is None


def test_outcome_requests_after_fair_and_three_months_later(app, db):
    w = make_world()
    book(w.fair, w.buyers[0], w.suppliers[0], 0, 0, status="held")
    assert send_outcome_requests(w.fair, datetime(2027, 3, 18, 20, tzinfo=UTC)) == 0
    assert send_outcome_requests(w.fair, NOW) == 2
    assert send_outcome_requests(w.fair, NOW + timedelta(days=2)) == 0
    assert send_outcome_requests(w.fair, NOW + timedelta(days=92)) == 2
    kinds = sorted(m.kind for m in db.session.scalars(select(OutboxMessage)))
    assert kinds == ["outcome_after", "outcome_after", "outcome_three_months", "outcome_three_months"]
    assert "/p/outcomes/" in db.session.scalars(select(OutboxMessage)).first().body_text
