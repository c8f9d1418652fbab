"""A cancellation e-mail says who cancelled: the other organisation, your own, or the organisers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from salon.models import OutboxMessage
from tests.factories import login
from tests.salon.services.dayof_world import book, make_world, paris_today, request_ctx  # noqa: F401


def _cancelled_mails(db) -> dict[str, str]:
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "meeting_cancelled"))
    return {row.to_address: row.body_text for row in rows}


def _world(app, db):
    with app.test_request_context("/"):
        w = make_world(day=paris_today() + timedelta(days=30))
        m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    db.session.commit()
    return w, m


def test_participant_cancels_the_other_side_reads_who_did(client, app, db):
    w, m = _world(app, db)
    buyer, supplier = w.buyers[0], w.suppliers[0]
    login(client, w.users[buyer.id])
    assert client.post(f"/p/{buyer.id}/meetings/{m.id}/cancel").status_code in (302, 303)
    mails = _cancelled_mails(db)
    buyer_name, supplier_name = buyer.organisation.name, supplier.organisation.name
    told = mails[w.users[supplier.id].email]
    assert f"{buyer_name} a annulé votre rendez-vous au salon {w.fair.name}." in told
    mine = mails[w.users[buyer.id].email]
    assert f"Votre structure a annulé son rendez-vous avec {supplier_name}" in mine
    assert f"{supplier_name} est prévenu." in mine


def test_organisers_cancel_both_sides_read_it_was_the_organisers(client, app, db):
    w, m = _world(app, db)
    login(client, w.organiser)
    assert client.post(f"/orga/fairs/{w.fair.id}/meetings/{m.id}/cancel").status_code in (302, 303)
    mails = _cancelled_mails(db)
    assert len(mails) == 2
    assert all("Les organisateurs ont annulé votre rendez-vous avec" in text for text in mails.values())
