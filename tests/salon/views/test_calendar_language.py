"""A participant's .ics in the language they read the site in (download, agenda link, feed); webcal link."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import icalendar

from salon.models import Attendee, User
from salon.services.agenda_links import agenda_link
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import make_meeting

FEED_URL = re.compile(r'value="http://localhost(/cal/[A-Za-z0-9_-]+\.ics)"')


def _scene(db):
    user = make_user(email="lea@mainsvertes.example")
    fair = make_fair(slots_per_session=2, venue="Parc des expositions", phase="published")
    mine = make_participant(fair, "supplier", user=user, name="ESAT Les Mains Vertes")
    buyer = make_participant(fair, "buyer", name="Ville de Sète")
    mine.attendees.append(Attendee(full_name="Léa Martin", email="lea@mainsvertes.example", user_id=user.id))
    make_meeting(mine, buyer, fair.slots[0], fair.tables[0])
    db.session.commit()
    return user, mine


def _event(body: bytes) -> tuple[str, str, str, str]:
    cal = icalendar.Calendar.from_ical(body)
    [event] = cal.walk("VEVENT")
    return str(cal["X-WR-CALNAME"]), str(event["SUMMARY"]), str(event["LOCATION"]), str(event["DESCRIPTION"])


def test_download_follows_the_language_chosen_on_the_site(client, db):
    user, mine = _scene(db)
    login(client, user)
    name, summary, location, description = _event(client.get(f"/p/{mine.id}/agenda.ics").data)
    assert (summary, location) == ("Rendez-vous avec Ville de Sète", "Parc des expositions, Table 1")
    assert "Vous rencontrez :" in description and name.endswith("mes rendez-vous")
    client.get("/lang/en")
    name, summary, location, description = _event(client.get(f"/p/{mine.id}/agenda.ics").data)
    assert (summary, location) == ("Meeting with Ville de Sète", "Parc des expositions, Table 1")
    assert "You meet:" in description and name.endswith("my meetings")


def test_feed_follows_the_language_its_maker_chose_without_a_session(client, db, app):
    user, mine = _scene(db)
    login(client, user)
    client.get("/lang/en")
    path = FEED_URL.search(client.post(f"/p/{mine.id}/calendar/token").get_data(as_text=True)).group(1)
    assert db.session.get(User, user.id).locale == "en"
    stranger = app.test_client()  # a calendar application: no session, no cookie
    assert _event(stranger.get(path).data)[1] == "Meeting with Ville de Sète"
    client.get("/lang/fr")
    assert _event(stranger.get(path).data)[1] == "Rendez-vous avec Ville de Sète"


def test_a_link_from_another_site_changes_the_page_language_but_not_the_account(client, db):
    user, _mine = _scene(db)
    login(client, user)
    client.get("/lang/en", headers={"Sec-Fetch-Site": "cross-site"})
    db.session.expire_all()
    assert db.session.get(User, user.id).locale != "en"
    client.get("/lang/en", headers={"Sec-Fetch-Site": "same-origin"})
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "en"


def test_agenda_link_calendar_follows_the_page_language(client, db, app):
    _user, mine = _scene(db)
    with app.test_request_context("/"):
        path = urlsplit(agenda_link(mine.id, "lea@mainsvertes.example")).path
    reader = app.test_client()
    assert _event(reader.get(f"{path}.ics").data)[1] == "Rendez-vous avec Ville de Sète"
    reader.get("/lang/en")
    assert _event(reader.get(f"{path}.ics").data)[1] == "Meeting with Ville de Sète"


def test_new_feed_offers_a_webcal_link_to_the_same_feed(client, db):
    user, mine = _scene(db)
    login(client, user)
    page = client.post(f"/p/{mine.id}/calendar/token").get_data(as_text=True)
    path = FEED_URL.search(page).group(1)
    assert f'href="webcal://localhost{path}"' in page
    assert "M’abonner dans mon application d’agenda" in page
