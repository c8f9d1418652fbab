"""A participant's journey in a real browser on a phone-sized screen.

Register, confirm the e-mail through the link in the outbox, fill the profile, search the catalogue, set a
wish, then see the agenda once the schedule is published; axe finds no serious or critical violation on any
page visited (fixtures `live_server`, `browser` and the axe check from tests/e2e/conftest.py).
"""

from __future__ import annotations

import os
import re
import uuid

import pytest
from sqlalchemy import select

from salon.models import Meeting, MeetingSeat, OutboxMessage, Participant, User, Wish
from salon.services import profiles
from tests.e2e.conftest import assert_accessible as check
from tests.e2e.conftest import watch_console
from tests.factories import PASSWORD, make_fair, make_participant

pytestmark = pytest.mark.e2e


@pytest.fixture()
def phone(browser, console_errors):
    """Yield a page on a phone-sized screen (390x844), in French (the shared `page` is desktop-sized); fail on
    any console error."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR", is_mobile=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch_console(page, console_errors)
    yield page
    context.close()
    assert console_errors.problems() == [], "console errors (a CSP violation, a failed load, a script error)"


@pytest.fixture()
def market(app, db):
    """A fair open for registration, with two approved ESS suppliers."""
    with app.test_request_context("/"):
        fair = make_fair(name="Coventis 2027", phase="registration", slug="coventis", venue="Montpellier")
        lez = make_participant(fair, "supplier", name="Recyclerie du Lez")
        profiles.update_profile(
            lez.organisation,
            offer="Réemploi de mobilier de bureau",
            sectors=["reemploi"],
            structure_types=["aci"],
            departements=["34"],
            contact_email="bonjour@recyclerie.example",
        )
        iris = make_participant(fair, "supplier", name="ESAT Les Iris")
        profiles.update_profile(
            iris.organisation,
            offer="Nettoyage de locaux",
            sectors=["nettoyage"],
            structure_types=["esat"],
            departements=["30"],
        )
    db.session.commit()
    ids = fair.id, lez.id
    db.session.remove()
    return ids


def _register(page, base):
    page.goto(f"{base}/fairs/coventis")
    check(page)
    page.get_by_role("link", name="S'inscrire").click()
    page.get_by_label("Acheteur : acheteur public ou privé").check()
    page.get_by_label("Nom de l'organisation").fill("Ville de Montpellier")
    page.get_by_label("Numéro SIRET (facultatif)").fill("732 829 320 00074")
    page.get_by_label("Votre nom").fill("Bea Acheteuse")
    page.get_by_label("Adresse e-mail").fill("bea@ville.example")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe, à nouveau").fill(PASSWORD)
    check(page)
    page.get_by_role("button", name="Créer mon compte").click()
    # Forgot the consent: refused next to the field, in French.
    assert page.locator("#consent-error").inner_text().startswith("Acceptez")
    check(page)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe, à nouveau").fill(PASSWORD)
    page.get_by_label("J'accepte que l'organisateur").check()
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_role("heading", name="Consultez votre messagerie").wait_for()
    check(page)


def _confirmation_link(db, base) -> str:
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "bea@ville.example"))
    link = re.search(r"https?://\S+/register/confirm/\S+", message.body_text).group(0)
    db.session.remove()
    return base + link[link.index("/register/confirm/") :]


def _approve(db) -> int:
    user = db.session.scalar(select(User).where(User.email == "bea@ville.example"))
    participant = db.session.scalar(select(Participant).where(Participant.side == "buyer"))
    assert user.email_confirmed_at is not None
    participant.status = "approved"
    db.session.commit()
    pid = participant.id
    db.session.remove()
    return pid


def _fill_profile(page):
    page.get_by_label("Type d'acheteur").select_option("commune")
    page.get_by_label("Nettoyage, propreté").check()
    page.get_by_text("Occitanie").click()
    page.get_by_label("34 – Hérault").check()
    page.get_by_label("Vos besoins").fill("Réemploi du mobilier des écoles")
    page.get_by_role("button", name="Enregistrer mon profil").click()
    page.get_by_text("Votre profil est enregistré.").wait_for()
    check(page)


def _search_and_wish(page, base, pid, lez_id):
    page.goto(f"{base}/p/{pid}/catalogue")
    check(page)
    page.get_by_label("Rechercher", exact=True).fill("reemploi")
    page.get_by_role("button", name="Rechercher").click()
    results = page.locator("section[aria-labelledby=results-title]")
    results.get_by_role("heading", name="Recyclerie du Lez").wait_for()
    assert results.get_by_role("heading", name="ESAT Les Iris").count() == 0
    card = results.locator(f"#org-{lez_id}").locator("xpath=ancestor::article")
    card.get_by_label("Mon souhait").select_option("3")
    card.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Votre souhait pour Recyclerie du Lez est enregistré.").wait_for()
    check(page)
    page.goto(f"{base}/p/{pid}/wishes")
    page.get_by_text("Incontournable", exact=False).first.wait_for()
    check(page)


def _publish(db, fair_id, pid, lez_id):
    from salon.models import Fair

    fair = db.session.get(Fair, fair_id)
    fair.phase = "published"
    slot, table = fair.slots[1], fair.tables[1]
    a, b = sorted((pid, lez_id))
    meeting = Meeting(
        fair_id=fair_id,
        participant_a_id=a,
        participant_b_id=b,
        slot_id=slot.id,
        table_id=table.id,
        uid=f"{uuid.uuid4()}@salon",
    )
    db.session.add(meeting)
    db.session.flush()
    for p in (a, b):
        db.session.add(MeetingSeat(meeting_id=meeting.id, participant_id=p, slot_id=slot.id))
    db.session.commit()
    db.session.remove()


def test_participant_journey_on_a_phone(app, db, live_server, phone, market):
    fair_id, lez_id = market
    base = live_server
    page = phone
    _register(page, base)
    link = _confirmation_link(db, base)
    page.goto(link)
    page.get_by_text("Votre adresse e-mail est confirmée.").wait_for()
    check(page)
    pid = _approve(db)
    page.reload()
    _fill_profile(page)
    _search_and_wish(page, base, pid, lez_id)
    wish = db.session.scalar(select(Wish).where(Wish.source_id == pid))
    assert (wish.target_id, wish.priority) == (lez_id, 3)
    db.session.remove()
    _publish(db, fair_id, pid, lez_id)
    page.goto(f"{base}/p/{pid}/agenda")
    agenda = page.locator("ol.agenda")
    agenda.get_by_text("Recyclerie du Lez").wait_for()
    assert "Table 2" in agenda.inner_text()
    assert "09:25–09:45" in agenda.inner_text()
    assert "bonjour@recyclerie.example" in agenda.inner_text()
    check(page)
    for path in (f"/p/{pid}/catalogue/{lez_id}", f"/p/{pid}/availability", "/p/", "/p/account/delete"):
        page.goto(base + path)
        check(page)
    if os.environ.get("SALON_SCREENSHOTS"):
        for name, path in (("catalogue", f"/p/{pid}/catalogue"), ("agenda", f"/p/{pid}/agenda"),
                           ("profile", f"/p/{pid}/profile")):  # fmt: skip
            page.goto(base + path)
            page.screenshot(path=f"{os.environ['SALON_SCREENSHOTS']}/{name}.png", full_page=True)
    page.goto(f"{base}/p/{pid}/agenda")
    page.emulate_media(media="print")
    assert page.locator("nav.pnav").is_hidden()
