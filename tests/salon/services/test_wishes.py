"""Wishes: priorities and vetoes, caps, deadline, phases, sides, answers, concurrency."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from salon.extensions import db as _db
from salon.models import Participant, Wish
from salon.services import DomainError, NotAllowed, wishes
from tests.factories import make_fair, make_participant, make_wish


@pytest.fixture(autouse=True)
def _request(app, db):
    with app.test_request_context():
        yield


@pytest.fixture()
def trio(db):
    fair = make_fair(phase="wishes", max_wishes_buyer=2, max_wishes_supplier=1)
    buyer = make_participant(fair, "buyer")
    s1 = make_participant(fair, "supplier")
    s2 = make_participant(fair, "supplier")
    s3 = make_participant(fair, "supplier")
    return fair, buyer, s1, s2, s3


def _count(db):
    return db.session.scalar(select(func.count(Wish.id)))


def test_set_wish_creates_then_updates_one_row(trio, db):
    _, buyer, s1, *_ = trio
    first = wishes.set_wish(buyer, s1, priority=3)
    again = wishes.set_wish(buyer, s1, priority=3)
    changed = wishes.set_wish(buyer, s1, priority=1)
    assert first.id == again.id == changed.id
    assert (changed.priority, changed.veto, _count(db)) == (1, False, 1)


def test_set_wish_veto_clears_priority(trio):
    _, buyer, s1, *_ = trio
    wish = wishes.set_wish(buyer, s1, veto=True)
    assert (wish.priority, wish.veto) == (None, True)


def test_set_wish_refuses_same_side(trio, db):
    _, _, s1, s2, _ = trio
    with pytest.raises(DomainError) as err:
        wishes.set_wish(s1, s2, priority=2)
    assert err.value.field == "target"
    assert _count(db) == 0


def test_set_wish_refuses_other_fair_and_unapproved(trio, db):
    _, buyer, *_ = trio
    elsewhere = make_participant(make_fair(phase="wishes"), "supplier")
    pending = make_participant(buyer.fair, "supplier", status="pending")
    for target in (elsewhere, pending, buyer):
        with pytest.raises(DomainError):
            wishes.set_wish(buyer, target, priority=2)
    assert _count(db) == 0


def test_set_wish_refuses_pending_source(trio, db):
    fair, _, s1, *_ = trio
    pending = make_participant(fair, "buyer", status="pending")
    with pytest.raises(NotAllowed):
        wishes.set_wish(pending, s1, priority=2)


def test_set_wish_refuses_unknown_priority(trio, db):
    _, buyer, s1, *_ = trio
    for bad in (None, 0, 4):
        with pytest.raises(DomainError) as err:
            wishes.set_wish(buyer, s1, priority=bad)
        assert err.value.field == "priority"
    assert _count(db) == 0


def test_set_wish_respects_cap_but_not_for_vetoes(trio, db):
    _, buyer, s1, s2, s3 = trio
    wishes.set_wish(buyer, s1, priority=3)
    wishes.set_wish(buyer, s2, priority=2)
    with pytest.raises(DomainError, match="2"):
        wishes.set_wish(buyer, s3, priority=1)
    wishes.set_wish(buyer, s3, veto=True)  # vetoes are not capped
    wishes.set_wish(buyer, s2, priority=1)  # changing an existing wish is fine at the cap
    assert _count(db) == 3


def test_supplier_cap_is_its_own(trio):
    fair, buyer, s1, *_ = trio
    buyer2 = make_participant(fair, "buyer")
    wishes.set_wish(s1, buyer, priority=2)
    with pytest.raises(DomainError):
        wishes.set_wish(s1, buyer2, priority=2)


def test_set_wish_refused_after_deadline(trio, db):
    fair, buyer, s1, *_ = trio
    fair.wishes_deadline = datetime.now(UTC) - timedelta(minutes=1)
    with pytest.raises(NotAllowed):
        wishes.set_wish(buyer, s1, priority=2)
    assert _count(db) == 0


@pytest.mark.parametrize("phase", ["draft", "scheduling", "published", "closed"])
def test_set_wish_refused_outside_wish_phases(trio, db, phase):
    fair, buyer, s1, *_ = trio
    fair.phase = phase
    with pytest.raises(NotAllowed):
        wishes.set_wish(buyer, s1, priority=2)


def test_wishes_received_hide_vetoes_and_show_answers(trio):
    _, buyer, s1, s2, _ = trio
    make_wish(s1, buyer, priority=3)
    make_wish(s2, buyer, veto=True)
    wishes.set_wish(buyer, s1, priority=1)
    [received] = wishes.wishes_received(buyer)
    assert (received.wish.source_id, received.answer.priority) == (s1.id, 1)


def test_remove_wish(trio, db):
    _, buyer, s1, *_ = trio
    wishes.set_wish(buyer, s1, priority=2)
    wishes.remove_wish(buyer, s1)
    wishes.remove_wish(buyer, s1)
    assert _count(db) == 0


def test_set_wish_concurrent_submissions_keep_one_row(app, trio, db):
    _, buyer, s1, *_ = trio
    db.session.commit()
    ids = (buyer.id, s1.id)
    errors, barrier = [], threading.Barrier(4)

    def submit(priority):
        with app.test_request_context():
            try:
                source, target = (_db.session.get(Participant, i) for i in ids)
                barrier.wait(timeout=5)
                wishes.set_wish(source, target, priority=priority)
                _db.session.commit()
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=submit, args=(p,)) for p in (1, 2, 3, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.session.scalar(select(func.count(Wish.id)).where(Wish.source_id == ids[0])) == 1


def test_create_falls_back_to_the_row_another_request_inserted(trio, db):
    _, buyer, s1, *_ = trio
    db.session.commit()
    with db.engine.begin() as conn:  # another request's transaction, committed first
        conn.execute(
            Wish.__table__.insert().values(
                fair_id=buyer.fair_id, source_id=buyer.id, target_id=s1.id, priority=2, veto=False
            )
        )
    wish = wishes._create(buyer, s1)
    assert (wish.priority, _count(db)) == (2, 1)
    updated = wishes.set_wish(buyer, s1, priority=3)
    db.session.commit()
    assert (updated.id, updated.priority) == (wish.id, 3)
