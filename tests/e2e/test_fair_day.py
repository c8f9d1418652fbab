"""A fair day in a real browser: check two people in, mark a no-show, accept the replacement, see the board.

Uses the shared fixtures of tests/e2e/conftest.py (`live_server`, `browser`, `axe_check`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from salon.services.board import board_token
from salon.services.checkin import make_checkin_token
from tests.e2e.conftest import watch_console
from tests.factories import PASSWORD
from tests.salon.services.dayof_world import book, make_world, wish

pytestmark = pytest.mark.e2e


@pytest.fixture()
def fair_day(app, db):
    """A fair whose first slot is under way: B1 meets S1 at table 1; B1 wishes to meet S2."""
    with app.test_request_context("/"):
        now = datetime.now(UTC)
        w = make_world(buyers=2, suppliers=3, day=now.date())
        for i, slot in enumerate(w.fair.slots):
            slot.starts_at = now - timedelta(minutes=5) + timedelta(minutes=25 * i)
            slot.ends_at = slot.starts_at + timedelta(minutes=20)
        meeting = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
        wish(w.buyers[0], w.suppliers[1], 3)
        tokens = {p.id: make_checkin_token(p.attendees[0]) for p in w.buyers + w.suppliers}
        board = board_token(w.fair)
    db.session.commit()
    return w, meeting, tokens, board


def test_fair_day_check_in_no_show_replacement_board(
    live_server, browser, axe_check, fair_day, console_errors
):
    w, meeting, tokens, board = fair_day
    base = live_server
    context = browser.new_context(locale="fr-FR")
    desk = context.new_page()
    watch_console(desk, console_errors)
    desk.goto(f"{base}/login")
    desk.fill("input[name=email]", w.organiser.email)
    desk.fill("input[name=password]", PASSWORD)
    desk.click("form button[type=submit] >> text=Se connecter")

    # 1. check two people in: one by badge code, one by name search
    desk.goto(f"{base}/orga/fairs/{w.fair.id}/day")
    desk.fill("#token", tokens[w.buyers[0].id])
    desk.click("text=Enregistrer l'arrivée >> nth=0")
    desk.wait_for_selector("text=Acheteuse 1 est enregistré")
    desk.fill("#q", "fournisseur 2")
    desk.click("button:has-text('Rechercher')")
    desk.click("text=Enregistrer l’arrivée : Fournisseur 2")
    desk.wait_for_selector("text=Fournisseur 2 est enregistré")
    axe_check(desk)

    # the board, opened on the entrance screen
    screen = context.new_page()
    watch_console(screen, console_errors)
    screen.goto(f"{base}/board/{board}")
    assert "Buyer 1 — Supplier 1" in screen.inner_text("#board")
    axe_check(screen)
    screen.evaluate("window.__noReload = true")

    # 2. mark the no-show (Supplier 1 did not come)
    desk.goto(f"{base}/orga/fairs/{w.fair.id}/day/slots/{meeting.slot_id}")
    desk.click("button:has-text('Supplier 1 absent')")
    desk.wait_for_selector("text=Rendez-vous marqué")

    # 3. accept the proposed replacement
    desk.wait_for_selector("button:has-text('Accepter : Buyer 1 — Supplier 2')")
    axe_check(desk)
    desk.click("button:has-text('Accepter : Buyer 1 — Supplier 2')")
    desk.wait_for_selector("text=Remplacement réservé")

    # 4. the board updates itself (htmx partial swap, no page reload)
    from playwright.sync_api import expect

    expect(screen.locator("#board")).to_contain_text("Buyer 1 — Supplier 2", timeout=20_000)
    assert screen.evaluate("window.__noReload") is True
    context.close()
    assert console_errors.problems() == []
