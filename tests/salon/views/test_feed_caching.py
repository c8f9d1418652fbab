"""Calendar feeds and downloads carry ETag and Last-Modified, answer 304 while unchanged, never go stale."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar

from salon.extensions import db as _db
from salon.models import CalendarFeed, Meeting, Organisation
from salon.services.calendar_feeds import hash_token, regenerate_participant_feed
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import add_attendee, make_meeting, move_meeting


def _setup(db):
    user = make_user()
    fair = make_fair(slots_per_session=2, phase="published")
    mine = make_participant(fair, "buyer", user=user, name="Département du Nord")
    supplier = make_participant(fair, "supplier", name="EA Les Ateliers")
    meeting = make_meeting(mine, supplier, fair.slots[0], fair.tables[0])
    token = regenerate_participant_feed(mine, user)
    db.session.commit()
    return user, fair, mine, supplier, meeting, token


def _starts(body: bytes) -> list:
    return [e.decoded("DTSTART") for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def test_feed_caching_sends_etag_and_last_modified(client, db):
    _u, _f, _m, _s, meeting, token = _setup(db)
    response = client.get(f"/cal/{token}.ics")
    assert response.status_code == 200
    assert response.headers["ETag"].startswith('W/"')
    assert response.last_modified == meeting.updated_at.replace(microsecond=0)
    again = client.get(f"/cal/{token}.ics")
    assert again.headers["ETag"] == response.headers["ETag"]
    assert again.data == response.data  # kept rendered: the same bytes, DTSTAMP included


def test_feed_caching_answers_304_on_matching_if_none_match(client, db):
    _u, _f, _m, _s, _mt, token = _setup(db)
    etag = client.get(f"/cal/{token}.ics").headers["ETag"]
    response = client.get(f"/cal/{token}.ics", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    other = client.get(f"/cal/{token}.ics", headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200 and other.data


def test_feed_caching_moved_meeting_changes_etag_and_body(client, db):
    _u, fair, _m, _s, meeting, token = _setup(db)
    first = client.get(f"/cal/{token}.ics")
    meeting = db.session.get(Meeting, meeting.id)
    move_meeting(meeting, fair.slots[1], fair.tables[1])
    db.session.commit()
    response = client.get(f"/cal/{token}.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert response.status_code == 200
    assert response.headers["ETag"] != first.headers["ETag"]
    assert _starts(response.data) == [fair.slots[1].starts_at]
    assert _starts(first.data) == [fair.slots[0].starts_at]


def test_feed_caching_counterpart_changes_without_timestamp_change_the_body(client, db):
    _u, _f, _m, supplier, _mt, token = _setup(db)
    first = client.get(f"/cal/{token}.ics")
    add_attendee(_db.session.merge(supplier), "Camille Martin", "camille@example.org")
    db.session.commit()
    second = client.get(f"/cal/{token}.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and b"Camille Martin" in second.data
    org = db.session.get(Organisation, supplier.organisation_id)
    org.name = "EA Les Nouveaux Ateliers"
    db.session.commit()
    third = client.get(f"/cal/{token}.ics", headers={"If-None-Match": second.headers["ETag"]})
    assert third.status_code == 200 and b"Nouveaux Ateliers" in third.data


def test_feed_caching_revoked_token_404_even_with_cached_etag(client, db):
    _u, _f, _m, _s, _mt, token = _setup(db)
    etag = client.get(f"/cal/{token}.ics").headers["ETag"]
    feed = _db.session.query(CalendarFeed).filter_by(token_hash=hash_token(token)).one()
    feed.revoked_at = datetime.now(UTC)
    db.session.commit()
    response = client.get(f"/cal/{token}.ics", headers={"If-None-Match": etag})
    assert response.status_code == 404
    assert "ETag" not in response.headers


def test_feed_caching_download_304_and_refused_to_others(client, db):
    user, _f, mine, _s, _mt, _t = _setup(db)
    intruder = make_user()
    db.session.commit()
    login(client, user)
    first = client.get(f"/p/{mine.id}/agenda.ics")
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.headers["Content-Disposition"].startswith("attachment;")
    again = client.get(f"/p/{mine.id}/agenda.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    client.post("/logout")
    login(client, intruder)
    refused = client.get(f"/p/{mine.id}/agenda.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert refused.status_code == 404
