"""Calendar downloads and subscription feeds over HTTP: access, tokens, revocation."""

from __future__ import annotations

import re

import icalendar
from sqlalchemy import select

from salon.models import CalendarFeed
from salon.services.calendar_feeds import hash_token
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import make_meeting

FEED_URL = re.compile(r'value="(http://localhost/cal/([A-Za-z0-9_-]+)\.ics)"')


def _uids(body: bytes) -> list[str]:
    return [str(e["UID"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def _setup(db):
    user = make_user()
    fair = make_fair(slots_per_session=2)
    mine = make_participant(fair, "buyer", user=user, name="Département du Nord")
    supplier = make_participant(fair, "supplier", name="EA Les Ateliers")
    other_user = make_user()
    theirs = make_participant(fair, "buyer", user=other_user, name="Bailleur Habitat 59")
    my_meeting = make_meeting(mine, supplier, fair.slots[0], fair.tables[0])
    their_meeting = make_meeting(theirs, supplier, fair.slots[1], fair.tables[1])
    db.session.commit()
    return user, other_user, fair, mine, theirs, my_meeting, their_meeting


def _new_feed(client, participant_id: int) -> tuple[str, str]:
    response = client.post(f"/p/{participant_id}/calendar/token")
    assert response.status_code == 200
    url, token = FEED_URL.search(response.get_data(as_text=True)).groups()
    return url, token


def test_calendar_download_gives_own_meetings(client, db):
    user, _o, fair, mine, _t, my_meeting, _tm = _setup(db)
    login(client, user)
    response = client.get(f"/p/{mine.id}/agenda.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="agenda-{fair.slug}.ics"'
    assert "private" in response.headers["Cache-Control"]
    assert _uids(response.data) == [my_meeting.uid]


def test_calendar_download_refused_to_anonymous_and_to_others(client, db):
    user, _o, _f, _m, theirs, _mm, _tm = _setup(db)
    anonymous = client.get(f"/p/{theirs.id}/agenda.ics")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login(client, user)
    assert client.get(f"/p/{theirs.id}/agenda.ics").status_code == 404
    assert client.post(f"/p/{theirs.id}/calendar/token").status_code == 404
    assert client.get("/p/999999/agenda.ics").status_code == 404


def test_calendar_page_in_french(client, db):
    user, _o, _f, mine, _t, _mm, _tm = _setup(db)
    login(client, user)
    page = client.get(f"/p/{mine.id}/calendar").get_data(as_text=True)
    assert "Télécharger mon agenda (.ics)" in page
    assert "Aucun lien d’abonnement n’est actif." in page


def test_calendar_feed_token_shown_once_and_stored_as_hash(client, db):
    user, _o, _f, mine, _t, my_meeting, _tm = _setup(db)
    login(client, user)
    url, token = _new_feed(client, mine.id)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.participant_id == mine.id))
    assert feed.token_hash == hash_token(token) and token not in feed.token_hash
    page = client.get(f"/p/{mine.id}/calendar").get_data(as_text=True)
    assert token not in page
    client.post("/logout")
    response = client.get(url)  # no login: the token is the credential
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private")
    assert _uids(response.data) == [my_meeting.uid]


def test_calendar_feed_regenerated_revokes_old_token(client, db):
    user, _o, _f, mine, _t, my_meeting, _tm = _setup(db)
    login(client, user)
    old_url, _old = _new_feed(client, mine.id)
    new_url, _new = _new_feed(client, mine.id)
    assert client.get(old_url).status_code == 404
    assert _uids(client.get(new_url).data) == [my_meeting.uid]
    feeds = db.session.scalars(select(CalendarFeed).order_by(CalendarFeed.id)).all()
    assert [f.revoked_at is None for f in feeds] == [False, True]


def test_calendar_feed_revoked_answers_404(client, db):
    user, _o, _f, mine, _t, _mm, _tm = _setup(db)
    login(client, user)
    url, _token = _new_feed(client, mine.id)
    assert client.post(f"/p/{mine.id}/calendar/token/revoke").status_code == 200
    assert client.get(url).status_code == 404


def test_calendar_feed_unknown_or_malformed_token_answers_404(client, db):
    _setup(db)
    assert client.get("/cal/" + "A" * 43 + ".ics").status_code == 404
    assert client.get("/cal/short.ics").status_code == 404
    # A NUL character is refused as a bad request before any route runs (salon/security.py).
    assert client.get("/cal/" + "%00" * 50 + ".ics").status_code == 400


def test_calendar_feed_of_another_participant_never_shows_mine(client, db):
    user, other_user, _f, mine, theirs, my_meeting, their_meeting = _setup(db)
    login(client, other_user)
    their_url, _token = _new_feed(client, theirs.id)
    uids = _uids(client.get(their_url).data)
    assert uids == [their_meeting.uid]
    assert my_meeting.uid not in uids


def _organiser_setup(db):
    organiser = make_user()
    fair = make_fair(slots_per_session=2, tables=2, organiser=organiser)
    buyer = make_participant(fair, "buyer")
    supplier = make_participant(fair, "supplier")
    at_one = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    at_two = make_meeting(buyer, make_participant(fair, "supplier"), fair.slots[1], fair.tables[1])
    other_fair = make_fair(slots_per_session=1, organiser=make_user())
    db.session.commit()
    return organiser, fair, at_one, at_two, other_fair


def test_calendar_organiser_downloads_fair_and_table(client, db):
    organiser, fair, at_one, at_two, other_fair = _organiser_setup(db)
    login(client, organiser)
    assert _uids(client.get(f"/orga/fairs/{fair.id}/calendar.ics").data) == [at_one.uid, at_two.uid]
    table = fair.tables[1]
    table.name = "Stand B"
    db.session.commit()
    response = client.get(f"/orga/fairs/{fair.id}/tables/{table.id}/calendar.ics")
    assert _uids(response.data) == [at_two.uid]
    named = f'attachment; filename="{fair.slug}-stand-b.ics"'  # the table's name, not its id
    assert response.headers["Content-Disposition"] == named
    assert client.get(f"/orga/fairs/{other_fair.id}/calendar.ics").status_code == 404
    foreign_table = other_fair.tables[0]
    assert client.get(f"/orga/fairs/{fair.id}/tables/{foreign_table.id}/calendar.ics").status_code == 404
    page = client.get(f"/orga/fairs/{fair.id}/calendar").get_data(as_text=True)
    assert "Tous les rendez-vous du salon (.ics)" in page


def test_calendar_organiser_feed_created_and_revoked(client, db):
    organiser, fair, _one, at_two, other_fair = _organiser_setup(db)
    login(client, organiser)
    response = client.post(f"/orga/fairs/{fair.id}/calendar/feeds", data={"table_id": fair.tables[1].id})
    url, _token = FEED_URL.search(response.get_data(as_text=True)).groups()
    assert _uids(client.get(url).data) == [at_two.uid]
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.kind == "table"))
    revoke = client.post(f"/orga/fairs/{fair.id}/calendar/feeds/{feed.id}/revoke")
    assert revoke.status_code == 303
    assert client.get(url).status_code == 404
    assert db.session.get(CalendarFeed, feed.id).revoked_at is not None


def test_calendar_organiser_feed_refused_for_other_fair_or_table(client, db):
    organiser, fair, _one, _two, other_fair = _organiser_setup(db)
    login(client, organiser)
    assert client.post(f"/orga/fairs/{other_fair.id}/calendar/feeds").status_code == 404
    bad = client.post(f"/orga/fairs/{fair.id}/calendar/feeds", data={"table_id": other_fair.tables[0].id})
    assert bad.status_code == 422
    assert "Choisissez une table de ce salon." in bad.get_data(as_text=True)
    assert client.post(f"/orga/fairs/{fair.id}/calendar/feeds", data={"table_id": "x"}).status_code == 422
    assert db.session.scalars(select(CalendarFeed)).all() == []


def test_calendar_organiser_cannot_revoke_a_participant_feed(client, db):
    organiser, fair, _one, _two, _other = _organiser_setup(db)
    participant_feed = CalendarFeed(
        token_hash="0" * 64, kind="participant", fair_id=fair.id, participant_id=_one.participant_a_id
    )
    db.session.add(participant_feed)
    db.session.commit()
    login(client, organiser)
    response = client.post(f"/orga/fairs/{fair.id}/calendar/feeds/{participant_feed.id}/revoke")
    assert response.status_code == 404
    assert db.session.get(CalendarFeed, participant_feed.id).revoked_at is None
