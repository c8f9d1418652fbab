"""Menus that join the areas: organiser fair menu, participant hub, day-of buttons, legal links."""

from __future__ import annotations

import re
from datetime import date

from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import make_meeting
from tests.salon.views.test_link_crawl import _small_fair

GROUPS = [
    "1. Préparer",
    "2. Participants",
    "3. Planifier",
    "4. Calendriers et e-mails",
    "5. Le jour J",
    "6. Après",
]


def _current(html: str) -> list[str]:
    return re.findall(r'aria-current="page">([^<]+)<', html)


def test_fair_menu_groups_in_order_with_current_page(client, db):
    organiser, _buyer, fair = _small_fair()
    login(client, organiser)
    html = client.get(f"/orga/fairs/{fair.id}/").get_data(as_text=True)
    titles = re.findall(r'class="fair-menu__title"[^>]*>([^<]+)<', html)
    assert titles == GROUPS
    assert _current(html) == ["Tableau de bord"]
    suffixes = ["/settings", "/mandatory", "/meetings", "/calendar", "/day", "/board", "/report"]
    for suffix in [*suffixes, "/print#badges", "/legal/legal_notice", "/print#agendas", "/print#tables"]:
        assert f'href="/orga/fairs/{fair.id}{suffix}"' in html
    assert re.search(rf'href="/orga/fairs/{fair.id}/runs/\d+/grid"', html)
    assert re.search(rf'href="/orga/fairs/{fair.id}/day/slots/\d+"', html)
    day = client.get(f"/orga/fairs/{fair.id}/day").get_data(as_text=True)
    assert _current(day) == ["Accueil des participants"]
    assert client.get(f"/orga/fairs/{fair.id}/calendar").get_data(as_text=True).count('class="fair-menu') >= 1


def test_fair_menu_refused_for_another_fair(client, db):
    organiser, _buyer, fair = _small_fair()
    other = make_fair(organiser=make_user())
    db.session.commit()
    login(client, organiser)
    assert client.get(f"/orga/fairs/{other.id}/").status_code == 404


def test_participant_hub_links_every_page_of_a_participation(client, db):
    _organiser, buyer_user, fair = _small_fair()
    login(client, buyer_user)
    html = client.get("/p/").get_data(as_text=True)
    pid = re.search(r"/p/(\d+)/profile", html).group(1)
    for page in ("profile", "catalogue", "wishes", "availability", "agenda", "calendar"):
        assert f'href="/p/{pid}/{page}"' in html
    calendar = client.get(f"/p/{pid}/calendar").get_data(as_text=True)
    assert _current(calendar) == ["Calendrier"]


def test_agenda_shows_mark_buttons_on_the_fair_day_only(client, db):
    _organiser, buyer_user, fair = _small_fair()
    login(client, buyer_user)
    pid = re.search(r"/p/(\d+)/profile", client.get("/p/").get_data(as_text=True)).group(1)
    today = client.get(f"/p/{pid}/agenda").get_data(as_text=True)
    assert "Il a eu lieu" in today
    assert f"/p/{pid}/meetings/" in today
    later = make_fair(organiser=make_user(), day=date(2031, 5, 6), phase="published")
    me = make_participant(later, "buyer", user=buyer_user)
    make_meeting(me, make_participant(later, "supplier"), later.slots[0], later.tables[0])
    db.session.commit()
    assert "Il a eu lieu" not in client.get(f"/p/{me.id}/agenda").get_data(as_text=True)


def test_fair_page_and_footer_link_legal_pages_sign_in_and_registration(client, db):
    _organiser, _buyer, fair = _small_fair()
    fair.phase = "registration"
    db.session.commit()
    html = client.get(f"/fairs/{fair.slug}").get_data(as_text=True)
    for kind in ("legal_notice", "privacy", "accessibility"):
        assert html.count(f'href="/fairs/{fair.slug}/legal/{kind}"') == 2  # in the page and in the footer
    assert f'href="/fairs/{fair.slug}/register"' in html
    assert "Déjà inscrit ? Se connecter" in html
    register = client.get(f"/fairs/{fair.slug}/register").get_data(as_text=True)
    assert f'href="/fairs/{fair.slug}/legal/privacy"' in register


def test_footer_has_no_legal_links_for_a_draft_fair(client, db):
    organiser = make_user()
    fair = make_fair(organiser=organiser, phase="draft")
    db.session.commit()
    login(client, organiser)
    html = client.get(f"/orga/fairs/{fair.id}/").get_data(as_text=True)
    assert "/legal/privacy" not in html.split('class="site-footer"')[1]
    assert client.get(f"/fairs/{fair.slug}/legal/privacy").status_code == 404
