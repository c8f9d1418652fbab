"""In Chromium: the organiser invites imported participants, one sets a password from the e-mail, the
organiser enters a wish for another participant; every page passes axe."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from salon.extensions import db as _db
from salon.models import OutboxMessage, Wish
from salon.services.participants_admin import create_participant
from tests.factories import PASSWORD, make_fair, make_participant, make_user

pytestmark = pytest.mark.e2e
NEW_PASSWORD = "Brique7Sureau lagune"


def _scene():
    organiser = make_user("orga@cress.example", can_create_fairs=True, full_name="Orga CRESS")
    fair = make_fair(name="Salon ESS Occitanie", organiser=organiser, phase="wishes")
    buyer = make_participant(fair, side="buyer", name="Ville de Sète", user=make_user())
    entries = [
        create_participant(fair, "supplier", {"name": name, "contact_email": email}, contact_name=contact)
        for name, email, contact in (
            ("SCOP Bâtir", "contact@scop-batir.example", "Inès Martin"),
            ("ESAT du Lez", "esat@lez.example", "Paul Durand"),
        )
    ]
    _db.session.commit()
    return fair, buyer, entries


def test_invite_set_password_and_enter_wishes_for_a_participant(live_server, page, axe_check, db):
    fair, buyer, (scop, esat) = _scene()
    base = live_server
    page.goto(f"{base}/login")
    page.get_by_label("Adresse e-mail").fill("orga@cress.example")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Les salons que j'organise").wait_for()

    page.goto(f"{base}/orga/fairs/{fair.id}/participants")
    axe_check(page)
    page.get_by_label("Choisir SCOP Bâtir").check()
    page.get_by_role("button", name="Inviter les participants cochés").click()
    page.get_by_text("1 invitation mise en file d’envoi : elle partira au prochain passage").wait_for()
    axe_check(page)
    message = _db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.to_address == "contact@scop-batir.example")
    )
    link = re.search(r"http://localhost(/invitations/\S+)", message.body_text).group(1)

    invitee = page.context.browser.new_context(locale="fr-FR").new_page()
    invitee.goto(base + link)
    axe_check(invitee)
    invitee.get_by_label("Mot de passe", exact=True).fill(NEW_PASSWORD)
    invitee.get_by_label("Mot de passe, à nouveau").fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Créer mon compte").click()
    invitee.get_by_text("Bienvenue : vous agissez pour SCOP Bâtir").wait_for()
    assert invitee.url.endswith(f"/p/{scop.id}/profile")
    axe_check(invitee)

    page.goto(f"{base}/orga/fairs/{fair.id}/participants/{buyer.id}/wishes")
    axe_check(page)
    page.get_by_label("Participant à rencontrer").select_option(label="ESAT du Lez")
    page.get_by_label("Incontournable").check()
    page.get_by_role("button", name="Enregistrer le souhait").click()
    page.get_by_text("Souhait concernant ESAT du Lez enregistré.").wait_for()
    axe_check(page)
    wish = _db.session.scalar(select(Wish))
    assert (wish.source_id, wish.target_id, wish.priority, wish.by_organiser) == (buyer.id, esat.id, 3, True)
    for path in ("profile", "availability"):
        page.goto(f"{base}/orga/fairs/{fair.id}/participants/{buyer.id}/{path}")
        axe_check(page)
    page.goto(f"{base}/orga/fairs/{fair.id}/")
    axe_check(page)
    page.goto(f"{base}/password/forgot")
    axe_check(page)
