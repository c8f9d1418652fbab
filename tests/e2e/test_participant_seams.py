"""Seams a participant meets in a real browser, on a phone-sized screen.

The website field takes "www.example.org" as people type it: a type="url" field made the browser refuse it,
in the browser's own words, before the server could complete the address.
"""

from __future__ import annotations

import pytest

from salon.models import Organisation
from tests.e2e.test_participant_journey import phone  # noqa: F401  (the phone-sized page fixture)
from tests.factories import PASSWORD, make_fair, make_participant, make_user

pytestmark = pytest.mark.e2e


def _sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_website_typed_without_https_is_saved_completed(app, db, live_server, phone):  # noqa: F811
    with app.test_request_context("/"):
        fair = make_fair(phase="wishes")
        user = make_user(email="lea@mainsvertes.example")
        supplier = make_participant(fair, "supplier", user=user, name="ESAT Les Mains Vertes")
    db.session.commit()
    pid, org_id = supplier.id, supplier.organisation_id
    db.session.remove()
    _sign_in(phone, live_server, "lea@mainsvertes.example")
    phone.goto(f"{live_server}/p/{pid}/profile")
    phone.get_by_label("Site web").fill("www.mainsvertes.fr")
    phone.get_by_role("button", name="Enregistrer mon profil").click()
    phone.get_by_text("Votre profil est enregistré.").wait_for(timeout=5_000)
    assert phone.get_by_label("Site web").input_value() == "https://www.mainsvertes.fr"
    assert db.session.get(Organisation, org_id).website == "https://www.mainsvertes.fr"
