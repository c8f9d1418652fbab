"""The .ics DESCRIPTION links to the real profile pages, and those pages answer."""

from __future__ import annotations

import icalendar

from salon.services.calendar import fair_calendar, participant_calendar
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import make_meeting


def _profile_links(ics: bytes) -> list[str]:
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    lines = str(event["DESCRIPTION"]).splitlines()
    return [line.split(": ", 1)[1] for line in lines if line.startswith("Fiche : ")]


def test_participant_ics_links_counterpart_page_that_answers(db, client):
    user = make_user()
    fair = make_fair(slots_per_session=1)
    buyer = make_participant(fair, "buyer", name="Ville de Lyon", user=user)
    supplier = make_participant(fair, "supplier", name="Scop Bâtir")
    make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    db.session.commit()
    links = _profile_links(participant_calendar(buyer))
    assert links == [f"http://localhost/p/{buyer.id}/catalogue/{supplier.id}"]
    login(client, user)
    page = client.get(links[0].removeprefix("http://localhost"))
    assert page.status_code == 200
    assert "Scop Bâtir" in page.get_data(as_text=True)


def test_fair_ics_links_organiser_participant_pages_that_answer(db, client):
    organiser = make_user()
    fair = make_fair(slots_per_session=1, organiser=organiser)
    buyer = make_participant(fair, "buyer")
    supplier = make_participant(fair, "supplier")
    make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    db.session.commit()
    links = _profile_links(fair_calendar(fair))
    expected = [f"http://localhost/orga/fairs/{fair.id}/participants/{p.id}" for p in (buyer, supplier)]
    assert links == expected
    login(client, organiser)
    assert [client.get(u.removeprefix("http://localhost")).status_code for u in links] == [200, 200]
