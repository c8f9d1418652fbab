"""Finding 4: day-of actions have a window per role, by dates in the fair's time zone, checked on the POST.

A participant marks held/no-show only on the fair's days and cancels until the end of the fair (the
counterpart is told); organisers (status, check-in desk, walk-ins, replacements) act from the first day to
seven days after the last. Anything else is refused with a French message and changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from salon.models import Attendee, Meeting, MeetingSeat, OutboxMessage
from salon.services import NotAllowed
from salon.services.meeting_status import mark_meeting
from tests.factories import login
from tests.salon.services.dayof_world import book, make_world, paris_today, request_ctx  # noqa: F401

MARK_REFUSED = "Un rendez-vous ne peut être marqué comme tenu ou manqué que le jour du salon"
ORGANISER_REFUSED = "Les actions du jour J sont ouvertes du premier jour du salon jusqu’à sept jours après"


def world_in(app, db, days_from_today: int):
    """A fair whose (single) day is today + days_from_today, with one booked meeting."""
    with app.test_request_context("/"):
        w = make_world(day=paris_today() + timedelta(days=days_from_today))
        m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
    db.session.commit()
    return w, m


def unchanged(db, m) -> bool:
    """The meeting is still scheduled, with both seats, and nobody was told anything."""
    row = db.session.get(Meeting, m.id)
    seats = db.session.scalar(select(func.count(MeetingSeat.id)).where(MeetingSeat.meeting_id == m.id))
    told = db.session.scalar(select(func.count(OutboxMessage.id)))
    return (row.status, row.absent_participant_id, seats, told) == ("scheduled", None, 2, 0)


def participant_post(client, w, m, **data):
    login(client, w.users[w.buyers[0].id])
    return client.post(f"/p/{w.buyers[0].id}/meetings/{m.id}/status", data=data, follow_redirects=True)


def participant_cancel(client, w, m):
    """Cancel through the confirmation page's form (the agenda links to it)."""
    login(client, w.users[w.buyers[0].id])
    return client.post(f"/p/{w.buyers[0].id}/meetings/{m.id}/cancel", follow_redirects=True)


@pytest.mark.parametrize("days", [90, 1, -1])
@pytest.mark.parametrize("status", ["held", "no_show"])
def test_participant_marking_outside_the_fair_days_is_refused(client, db, app, days, status):
    w, m = world_in(app, db, days)
    page = participant_post(client, w, m, status=status, absent="other").get_data(as_text=True)
    assert MARK_REFUSED in page
    assert unchanged(db, m)


@pytest.mark.parametrize("status", ["held", "no_show"])
def test_participant_marks_on_the_fair_day(client, db, app, status):
    w, m = world_in(app, db, 0)
    participant_post(client, w, m, status=status, absent="other")
    assert db.session.get(Meeting, m.id).status == status


def test_participant_cancels_before_the_fair_and_the_counterpart_is_told(client, db, app):
    w, m = world_in(app, db, 30)
    counterpart = w.suppliers[0].attendees[0].email
    participant_cancel(client, w, m)
    row = db.session.get(Meeting, m.id)
    assert (row.status, row.sequence) == ("cancelled", 1)
    told = db.session.scalars(select(OutboxMessage.to_address)).all()
    assert counterpart in told
    seats = db.session.scalar(select(func.count(MeetingSeat.id)).where(MeetingSeat.meeting_id == m.id))
    assert seats == 0


def test_participant_cancel_after_the_fair_is_refused(client, db, app):
    w, m = world_in(app, db, -1)
    page = participant_cancel(client, w, m).get_data(as_text=True)
    assert "Le salon est terminé : ce rendez-vous ne peut plus être annulé." in page
    assert unchanged(db, m)


def test_agenda_offers_only_cancel_before_the_fair(client, db, app):
    w, m = world_in(app, db, 30)
    login(client, w.users[w.buyers[0].id])
    page = client.get(f"/p/{w.buyers[0].id}/agenda").get_data(as_text=True)
    assert f"/p/{w.buyers[0].id}/meetings/{m.id}/cancel" in page
    assert 'value="held"' not in page and 'value="no_show"' not in page


def organiser_post(client, w, path: str, data: dict):
    login(client, w.organiser)
    return client.post(f"/orga/fairs/{w.fair.id}{path}", data=data, follow_redirects=True)


@pytest.mark.parametrize("days", [30, 1, -8])
def test_organiser_status_outside_the_window_is_refused(client, db, app, days):
    w, m = world_in(app, db, days)
    data = {"status": "no_show", "absent": w.suppliers[0].id}
    page = organiser_post(client, w, f"/day/meetings/{m.id}/status", data)
    assert ORGANISER_REFUSED in page.get_data(as_text=True)
    assert unchanged(db, m)


@pytest.mark.parametrize("days", [0, -7])
def test_organiser_marks_from_the_first_day_to_seven_days_after(client, db, app, days):
    w, m = world_in(app, db, days)
    organiser_post(client, w, f"/day/meetings/{m.id}/status", {"status": "held"})
    assert db.session.get(Meeting, m.id).status == "held"


@pytest.mark.parametrize(("days", "accepted"), [(2, False), (0, True), (-7, True), (-8, False)])
def test_check_in_desk_window(client, db, app, days, accepted):
    w, _m = world_in(app, db, days)
    attendee_id = w.buyers[1].attendees[0].id
    page = organiser_post(client, w, "/checkin", {"attendee_id": attendee_id}).get_data(as_text=True)
    checked = db.session.get(Attendee, attendee_id).checked_in_at is not None
    assert checked is accepted
    assert (ORGANISER_REFUSED in page) is not accepted


def test_walk_in_before_the_fair_is_refused(client, db, app):
    w, m = world_in(app, db, 10)
    data = {"a": w.buyers[1].id, "b": w.suppliers[1].id, "table": w.fair.tables[1].id}
    page = organiser_post(client, w, f"/day/slots/{m.slot_id}/walk-in", data).get_data(as_text=True)
    assert ORGANISER_REFUSED in page
    assert db.session.scalar(select(func.count(Meeting.id))) == 1


def test_the_fair_time_zone_decides_the_day(app, db, request_ctx):  # noqa: F811
    late_evening_utc = datetime(2027, 3, 17, 23, 30, tzinfo=UTC)  # already the 18th in Paris
    paris = make_world(day=datetime(2027, 3, 18).date())
    m = book(paris.fair, paris.buyers[0], paris.suppliers[0], 0, 0)
    mark_meeting(paris.fair, m.id, "held", by_participant=paris.buyers[0], now=late_evening_utc)
    new_york = make_world(day=datetime(2027, 3, 18).date(), tz="America/New_York")
    other = book(new_york.fair, new_york.buyers[0], new_york.suppliers[0], 0, 0)
    with pytest.raises(NotAllowed):  # still the 17th in New York
        mark_meeting(new_york.fair, other.id, "held", by_participant=new_york.buyers[0], now=late_evening_utc)
