"""Organiser pages on a phone (390 px wide): nothing widens the page so that it scrolls sideways."""

from __future__ import annotations

import pytest

from salon.services import invitations
from tests.factories import PASSWORD, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import make_meeting

pytestmark = pytest.mark.e2e


@pytest.fixture()
def organised(app, db):
    organiser = make_user(full_name="Claire Organisatrice (CRESS Auvergne-Rhône-Alpes)")
    fair = make_fair(organiser=organiser, phase="published", name="Rencontres de l'achat solidaire")
    buyer = make_participant(fair, side="buyer", name="Métropole")
    supplier = make_participant(fair, side="supplier", name="Atelier")
    supplier.organisation.structure_types = ["aci"]  # the longest type label in the message page's list
    meeting = make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    with app.test_request_context():
        invitations.invite(fair, organiser, "julie.co-organisatrice@cress-auvergne-rhone-alpes.example")
    db.session.commit()
    return organiser, fair, meeting


def test_organiser_pages_fit_a_phone_screen(live_server, browser, organised):
    organiser, fair, meeting = organised
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", organiser.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit] >> text=Se connecter")
    page.wait_for_url("**/orga/")
    wide = {}
    for path in ("organisers", "day/message", "board", f"meetings/{meeting.id}"):
        page.goto(f"{live_server}/orga/fairs/{fair.id}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    context.close()
    assert wide == {}
