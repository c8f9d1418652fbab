"""Printouts in a real browser: the organiser builds the badges, follows the progress, downloads the PDF."""

from __future__ import annotations

import pytest

from salon.models import Attendee
from tests.factories import PASSWORD, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import make_meeting
from tests.salon.pdf_reading import page_texts, qr_codes

pytestmark = pytest.mark.e2e


@pytest.fixture()
def organised(db):
    organiser = make_user()
    fair = make_fair(organiser=organiser, phase="published", name="Salon navigateur")
    buyer = make_participant(fair, side="buyer", name="Lima Hôpital")
    supplier = make_participant(fair, side="supplier", name="Mike Recyclerie")
    for i in range(9):  # nine people: two sheets of labels
        db.session.add(
            Attendee(participant=buyer if i % 2 else supplier, full_name=f"Nora {i}", email="n@x.org")
        )
    make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    db.session.commit()
    return organiser, fair


def test_organiser_builds_and_downloads_the_badges(live_server, page, axe_check, organised):
    organiser, fair = organised
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", organiser.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit] >> text=Se connecter")
    page.goto(f"{live_server}/orga/fairs/{fair.id}/print")
    assert page.locator("#badges").inner_text().count("9 personnes · 2 planches d'étiquettes") == 1
    axe_check(page)
    page.click("#badges button[type=submit]")
    download_link = page.locator("#badges a", has_text="Télécharger le PDF")
    download_link.wait_for(timeout=60_000)  # the progress fragment is polled until the build is ready
    assert "2 pages" in page.locator("#badges").inner_text()
    axe_check(page)
    with page.expect_download() as download:
        download_link.click()
    pdf = download.value.path().read_bytes()
    texts = page_texts(pdf)
    assert len(texts) == 2 and "Nora 0" in "".join(texts)
    assert len(qr_codes(pdf, page=1)) == 8 and len(qr_codes(pdf, page=2)) == 1
