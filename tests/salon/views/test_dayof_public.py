"""The live table board (signed URL) and the participant's outcome form and own-meeting marking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from salon.extensions import db
from salon.models import Fair, Meeting, MeetingOutcome
from salon.services.board import board_token
from salon.services.outcomes import make_outcome_token
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.services.dayof_world import book, make_day_world, make_world


@pytest.fixture()
def live(app, db):
    """A fair whose first slot is under way now."""
    with app.test_request_context("/"):
        now = datetime.now(UTC)
        w = make_world(day=now.date())
        for i, slot in enumerate(w.fair.slots):  # put the slots around now, 25 min apart
            slot.starts_at = now - timedelta(minutes=5) + timedelta(minutes=25 * i)
            slot.ends_at = slot.starts_at + timedelta(minutes=20)
        m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
        book(w.fair, w.buyers[1], w.suppliers[1], 1, 0)
        token = board_token(w.fair)
    db.session.commit()
    return w, m, token


def test_board_shows_current_and_next_meeting_in_french(client, live):
    w, _m, token = live
    page = client.get(f"/board/{token}").get_data(as_text=True)
    assert "Buyer 1 — Supplier 1" in page or "Supplier 1 — Buyer 1" in page
    assert "Buyer 2" in page
    assert "encore" in page and "hx-get" in page


def test_board_names_the_buyer_first_whichever_registered_first(client, db, live):
    w, _m, token = live
    late_buyer = make_participant(w.fair, "buyer", name="Mairie tardive")  # a higher id than the suppliers
    book(w.fair, late_buyer, w.suppliers[2], 0, 1)
    db.session.commit()
    page = client.get(f"/board/{token}").get_data(as_text=True)
    assert "Mairie tardive — " in page and "— Mairie tardive" not in page


def test_board_live_partial_has_no_layout(client, live):
    _w, _m, token = live
    part = client.get(f"/board/{token}/live").get_data(as_text=True)
    assert "<html" not in part and "<table" in part


def test_board_reflects_no_show(client, db, live):
    w, m, token = live
    login(client, w.organiser)
    client.post(
        f"/orga/fairs/{w.fair.id}/day/meetings/{m.id}/status",
        data={"status": "no_show", "absent": m.participant_b_id},
    )
    assert "Absence" in client.get(f"/board/{token}/live").get_data(as_text=True)


def test_board_with_bad_token_is_404(client, live):
    _w, _m, token = live
    assert client.get(f"/board/{token[:-2]}xx").status_code == 404


def test_board_link_page_for_organiser_only(client, db, live):
    w, _m, token = live
    login(client, w.organiser)
    assert token in client.get(f"/orga/fairs/{w.fair.id}/board").get_data(as_text=True)
    stranger = make_user()
    make_fair(organiser=stranger)
    db.session.commit()
    client.post("/logout")
    login(client, stranger)
    assert client.get(f"/orga/fairs/{w.fair.id}/board").status_code == 404


def test_outcome_form_records_answers(client, db, app):
    with app.test_request_context("/"):
        w = make_world()
        m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0, status="held")
        token = make_outcome_token(w.buyers[0], datetime.now(UTC))
    db.session.commit()
    page = client.get(f"/p/outcomes/{token}").get_data(as_text=True)
    assert "Quelles suites" in page and "Supplier 1" in page
    r = client.post(
        f"/p/outcomes/{token}", data={f"outcome-{m.id}": "contract_signed", f"amount-{m.id}": "2 500,00"}
    )
    assert r.status_code == 303
    row = db.session.scalar(select(MeetingOutcome))
    assert (row.outcome, str(row.amount_eur)) == ("contract_signed", "2500.00")
    r = client.post(
        f"/p/outcomes/{token}", data={f"outcome-{m.id}": "contract_signed", f"amount-{m.id}": "beaucoup"}
    )
    assert r.status_code == 422


def test_outcome_form_link_after_expiry_refused(client, db, app):
    with app.test_request_context("/"):
        w = make_world()
        token = make_outcome_token(w.buyers[0], datetime.now(UTC) - timedelta(days=100), days=30)
    db.session.commit()
    r = client.get(f"/p/outcomes/{token}")
    assert r.status_code == 410
    assert "expiré" in r.get_data(as_text=True)
    assert client.get(f"/p/outcomes/{token[:-3]}abc").status_code == 404


def test_participant_marks_own_meeting_held(client, db, app):
    with app.test_request_context("/"):
        w = make_day_world()
        m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
        other = book(w.fair, w.buyers[1], w.suppliers[1], 0, 1)
    db.session.commit()
    login(client, w.users[w.buyers[0].id])
    r = client.post(f"/p/{w.buyers[0].id}/meetings/{m.id}/status", data={"status": "held"})
    assert r.status_code == 303
    assert db.session.get(Meeting, m.id).status == "held"
    r = client.post(f"/p/{w.buyers[0].id}/meetings/{other.id}/status", data={"status": "held"})
    assert db.session.get(Meeting, other.id).status == "scheduled"
    r = client.post(f"/p/{w.buyers[1].id}/meetings/{other.id}/status", data={"status": "held"})
    assert r.status_code == 404
    r = client.post(
        f"/p/{w.buyers[0].id}/meetings/{m.id}/status", data={"status": "held", "next": "//evil.example"}
    )
    assert r.headers["Location"].startswith("/p")


def test_participant_marks_other_party_absent(client, db, app):
    with app.test_request_context("/"):
        w = make_day_world()
        m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    db.session.commit()
    login(client, w.users[w.buyers[0].id])
    client.post(f"/p/{w.buyers[0].id}/meetings/{m.id}/status", data={"status": "no_show", "absent": "other"})
    row = db.session.get(Meeting, m.id)
    assert (row.status, row.absent_participant_id) == ("no_show", w.suppliers[0].id)


def test_participant_accepts_replacement_only_when_fair_allows(client, db, app):
    from salon.services.checkin import check_in
    from tests.salon.services.dayof_world import wish

    with app.test_request_context("/"):
        w = make_day_world()
        wish(w.buyers[0], w.suppliers[1], 3)
        for p in (w.buyers[0], w.suppliers[1]):
            check_in(p.attendees[0])
    db.session.commit()
    login(client, w.users[w.buyers[0].id])
    data = {"other": w.suppliers[1].id, "slot": w.fair.slots[0].id, "table": w.fair.tables[0].id}
    client.post(f"/p/{w.buyers[0].id}/replacements/accept", data=data)
    assert db.session.scalar(select(Meeting).where(Meeting.source == "replacement")) is None
    w.fair.participants_can_accept_replacements = True
    db.session.commit()
    client.post(f"/p/{w.buyers[0].id}/replacements/accept", data=data)
    assert db.session.scalar(select(Meeting).where(Meeting.source == "replacement")) is not None


def test_organiser_replaces_the_board_address_and_the_old_one_stops_working(client, live, app):
    w, _m, old = live
    login(client, w.organiser)
    page = client.get(f"/orga/fairs/{w.fair.id}/board").get_data(as_text=True)
    assert "Remplacer l" in page and old in page
    response = client.post(f"/orga/fairs/{w.fair.id}/board/renew")
    assert response.status_code == 303
    page = client.get(f"/orga/fairs/{w.fair.id}/board").get_data(as_text=True)
    assert "ne fonctionne plus" in page
    assert client.get(f"/board/{old}").status_code == 404
    with app.test_request_context("/"):
        new = board_token(db.session.get(Fair, w.fair.id))
    assert new != old and new in page
    assert client.get(f"/board/{new}").status_code == 200


def test_board_of_a_fair_months_away_shows_its_date_not_minutes(client, db, app):
    with app.test_request_context("/"):
        w = make_world()  # Thursday 18 March 2027, from 09:00 Paris time
        token = board_token(w.fair)
    db.session.commit()
    part = client.get(f"/board/{token}/live").get_data(as_text=True)
    assert "Prochains rendez-vous le jeudi 18 mars 2027 à 09:00" in part
    assert "min" not in part and "data-countdown" not in part


def test_board_counts_down_when_the_next_slot_is_near(client, db, live):
    w, _m, token = live
    for slot in w.fair.slots:
        slot.starts_at += timedelta(minutes=30)  # nothing under way; the first slot starts in 25 min
        slot.ends_at += timedelta(minutes=30)
    db.session.commit()
    part = client.get(f"/board/{token}/live").get_data(as_text=True)
    assert "Prochains rendez-vous à " in part and "data-countdown" in part
