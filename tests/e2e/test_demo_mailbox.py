"""A newcomer reads the demo's e-mails in Chromium: no SMTP server, links that open the demo itself."""

from __future__ import annotations

import re

import pytest

from salon.demo import ORGANISER_EMAIL, PASSWORD
from tests.salon.demo_process import running_demo

pytestmark = pytest.mark.e2e


def test_newcomer_reads_invitation_in_demo_mailbox_and_follows_its_link(tmp_path, page, axe_check):
    with running_demo(tmp_path) as base:
        page.goto(f"{base}/login")
        page.get_by_label("Adresse e-mail").fill(ORGANISER_EMAIL)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.goto(f"{base}/orga/")
        page.get_by_role("link", name=re.compile("Coventis")).first.click()
        page.get_by_role("navigation", name="Menu du salon").get_by_role(
            "link", name="Co-organisateurs"
        ).click()
        page.get_by_label("E-mail du co-organisateur").fill("camille@demo.example.org")
        page.get_by_role("button", name="Inviter").click()

        page.goto(f"{base}/demo/mailbox")
        page.get_by_role("heading", name="Boîte aux lettres de la démo").wait_for()
        for _ in range(30):  # the demo drains the outbox every two seconds
            if page.get_by_role("link", name=re.compile("invitation")).count():
                break
            page.wait_for_timeout(1000)
            page.reload()
        axe_check(page)
        page.get_by_role("link", name=re.compile("invitation")).first.click()
        page.get_by_text("camille@demo.example.org").first.wait_for()
        axe_check(page)
        link = page.locator("#demo-message-body a").first
        assert link.get_attribute("href").startswith(f"{base}/invitations/")
        link.click()
        page.get_by_text(re.compile("Coventis")).first.wait_for()
        assert page.url.startswith(f"{base}/invitations/")
        # The page's own requests (the favicon is fetched after the page shows) end before the demo stops:
        # else Chromium logs the favicon's empty response as a console error (a CI run, 2026-12-06).
        page.wait_for_load_state("networkidle")
