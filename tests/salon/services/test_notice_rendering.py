"""Rendering notification intents into the outbox: once each, in order, as the change stated them.

A rendering job may run twice, run twice at once, or fail: every e-mail still reaches the outbox once.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from salon.extensions import db as _db
from salon.models import Fair, Meeting, NotificationIntent, OutboxMessage
from salon.preparing import prepare_all, render_fair
from salon.services import meetings as edits
from salon.services.notice_rendering import pending_notices, preparing
from salon.services.publishing import publish_run
from tests.factories import make_fair, make_participant
from tests.salon.calendar_helpers import add_attendee
from tests.salon.calendar_parsers import by_uid, parse_with
from tests.salon.services.test_publishing import make_run


@pytest.fixture(autouse=True)
def _request(app, db):
    """Services translate their messages: run each test inside a request."""
    with app.test_request_context():
        yield


def published_fair(name: str = "Salon ESS Lyon", pairs: int = 3) -> tuple[Fair, list]:
    """Publish a first schedule of `pairs` buyer-supplier meetings; return the fair and the people."""
    fair = make_fair(name=name, phase="scheduling", slots_per_session=3, tables=3)
    people = []
    for i in range(pairs):
        buyer, supplier = make_participant(fair, "buyer"), make_participant(fair, "supplier")
        add_attendee(buyer, f"Acheteuse {i}", f"acheteuse{i}@{fair.slug}.example")
        add_attendee(supplier, f"Fournisseur {i}", f"fournisseur{i}@{fair.slug}.example")
        people.append((buyer, supplier))
    publish_run(make_run(fair, [(b, s, i, i % 3) for i, (b, s) in enumerate(people)]))
    _db.session.commit()
    return fair, people


def _outbox(fair: Fair | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if fair is not None:
        query = query.where(OutboxMessage.fair_id == fair.id)
    return list(_db.session.scalars(query))


def _once_each(rows: list[OutboxMessage]) -> bool:
    return max(Counter((r.kind, r.to_address, r.subject) for r in rows).values()) == 1


def test_rendering_writes_each_email_once_and_a_second_run_adds_nothing(db):
    fair, _people = published_fair()
    assert (pending_notices(fair.id), len(_outbox())) == (6, 0)
    assert preparing(fair.id).count == 6 and not preparing(fair.id).late
    assert render_fair(fair.id) == 6
    assert render_fair(fair.id) == 0
    assert prepare_all() == "0 e-mail(s) prepared"
    rows = _outbox()
    assert (len(rows), pending_notices(), _once_each(rows)) == (6, 0, True)
    assert {r.kind for r in rows} == {"agenda_published"}


def test_a_fair_that_cannot_be_rendered_keeps_its_intents_and_holds_up_no_other(db):
    broken, _ = published_fair("Salon cassé")
    fine, _ = published_fair("Salon en état")
    broken.timezone = "Mars/Olympus_Mons"  # stored somehow: its calendars cannot be built
    db.session.commit()
    assert prepare_all() == "6 e-mail(s) prepared, 1 fair(s) to try again"
    assert (len(_outbox(fine)), len(_outbox(broken)), pending_notices(broken.id)) == (6, 0, 6)
    db.session.get(Fair, broken.id).timezone = "Europe/Paris"
    db.session.commit()
    assert prepare_all() == "6 e-mail(s) prepared"
    assert (len(_outbox(fine)), len(_outbox(broken)), pending_notices()) == (6, 6, 0)
    assert _once_each(_outbox())


def test_two_renderers_at_once_write_each_email_once(app, db):
    fairs = [published_fair(f"Salon {n}", pairs=4)[0] for n in range(3)]
    results: list[str] = []

    def job() -> None:
        with app.app_context():
            try:
                results.append(prepare_all())
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 2 and "to try again" not in "".join(results)
    rows = _outbox()
    assert (len(rows), pending_notices(), _once_each(rows)) == (24, 0, True)
    assert {r.fair_id for r in rows} == {f.id for f in fairs}


def test_emails_rendered_late_state_each_change_as_it_was_in_order(db):
    fair, [(buyer, supplier), *_rest] = published_fair(pairs=2)
    meeting = db.session.scalars(select(Meeting).where(Meeting.participant_a_id == buyer.id)).one()
    uid = meeting.uid
    edits.move_meeting(fair, meeting, fair.slots[4].id, fair.tables[2].id)
    edits.cancel_meeting(fair, db.session.get(Meeting, meeting.id))
    db.session.commit()
    render_fair(fair.id)
    mine = [r for r in _outbox() if r.to_address == f"acheteuse0@{fair.slug}.example"]
    assert [r.kind for r in mine] == ["agenda_published", "meeting_changed", "meeting_cancelled"]
    states = [by_uid(parse_with("icalendar", r.attachments[0]["text"].encode()))[uid] for r in mine]
    slots = [fair.slots[i].starts_at for i in (0, 4, 4)]
    assert [(e["sequence"], e["status"]) for e in states] == [
        (0, "CONFIRMED"),
        (1, "CONFIRMED"),
        (2, "CANCELLED"),
    ]
    assert [e["start_utc"] for e in states] == [s.strftime("%Y-%m-%dT%H:%M:%SZ") for s in slots]
    assert "déplacé" in mine[1].subject and "Table 3" in mine[1].body_text


def test_intents_are_written_with_the_change_and_vanish_with_its_rollback(db):
    fair, [(buyer, _supplier), *_rest] = published_fair(pairs=1)
    render_fair(fair.id)
    meeting = db.session.scalars(select(Meeting).where(Meeting.participant_a_id == buyer.id)).one()
    edits.move_meeting(fair, meeting, fair.slots[2].id, fair.tables[1].id)
    assert pending_notices(fair.id) == 2  # in the change's transaction
    db.session.rollback()
    assert pending_notices(fair.id) == 0
    assert db.session.scalar(select(func.count()).select_from(NotificationIntent)) == 0
    assert len(_outbox()) == 2  # the first publication's agendas only
