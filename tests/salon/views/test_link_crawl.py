"""Follow every internal link as the organiser, a participant and a visitor: no 404, no server error.

The areas (organiser, participant, calendars, day-of, public) were built apart; this crawl catches the links
between them that point nowhere.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from salon.extensions import db
from salon.models import DraftMeeting, ScheduleRun
from tests.factories import login, make_fair, make_participant, make_user, make_wish
from tests.salon.calendar_helpers import add_attendee, make_meeting

BASE = "http://localhost"
MAX_PAGES = 300
SKIPPED_PREFIXES = ("/static/", "/logout", "/lang/")


class _Links(HTMLParser):
    """Collect the href of every <a> (not the action of forms: those are POSTs)."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _internal(href: str, page: str) -> str | None:
    """Return the path (and query) of an internal link; None for mail, phone, other sites, fragments."""
    if href.startswith(BASE + "/"):
        href = href[len(BASE) :]
    if href.startswith("#") or ":" in href.split("/", 1)[0] or href.startswith("//"):
        return None
    parts = urlsplit(urljoin(page, href))
    if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, start: str, visit=None) -> dict[str, tuple[int, str]]:  # noqa: ANN001
    """Visit pages breadth-first from start; return {path: (status, first page linking to it)}.

    `visit(path, response)`, when given, sees every response (pages and downloads).
    """
    seen: dict[str, tuple[int, str]] = {}
    queue = deque([(start, "(start)")])
    queued = {start}
    while queue and len(seen) < MAX_PAGES:
        path, origin = queue.popleft()
        response = client.get(path)
        seen[path] = (response.status_code, origin)
        if visit is not None:
            visit(path, response)
        targets = []
        if response.status_code in (301, 302, 303, 307, 308):
            targets = [response.headers["Location"]]
        elif response.mimetype == "text/html":
            parser = _Links()
            parser.feed(response.get_data(as_text=True))
            targets = parser.hrefs
        for href in targets:
            found = _internal(href, path)
            if found and found not in queued:
                queued.add(found)
                queue.append((found, path))
    return seen


def _broken(seen: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
    print(f"crawled {len(seen)} pages:", sorted({hit[0] for hit in seen.values()}))  # shown with -s
    return {path: hit for path, hit in seen.items() if hit[0] == 404 or hit[0] >= 500}


def _feed_answers(client, post_path: str) -> bool:
    """Create a calendar feed through its form and fetch the private address shown once."""
    page = client.post(post_path).get_data(as_text=True)
    found = re.search(r"http://localhost(/cal/[^\"<\s]+\.ics)", page)
    return found is not None and client.get(found.group(1)).status_code == 200


def _small_fair():
    """Build a published fair today: approved buyers/suppliers, wishes, meetings, a run, a check-in."""
    organiser = make_user(full_name="Orga Nisatrice")
    paris_today = datetime.now(ZoneInfo("Europe/Paris")).date()  # the fair's day, not the machine's
    fair = make_fair(organiser=organiser, day=paris_today, phase="published", slots_per_session=2)
    buyer_user = make_user(full_name="Ache Teuse")
    buyers = [make_participant(fair, "buyer", user=buyer_user, name="Métropole de Lyon")]
    buyers.append(make_participant(fair, "buyer", user=make_user(), name="Hôpital Nord"))
    names = ("Scop Bâtir", "ESAT Vert")
    suppliers = [make_participant(fair, "supplier", user=make_user(), name=n) for n in names]
    make_participant(fair, "supplier", user=make_user(), name="Asso en attente", status="pending")
    for b in buyers:
        for s in suppliers:
            make_wish(b, s, priority=1)
            make_wish(s, b, priority=2)
    meeting = make_meeting(buyers[0], suppliers[0], fair.slots[0], fair.tables[0])
    make_meeting(buyers[1], suppliers[1], fair.slots[1], fair.tables[1])
    run = ScheduleRun(fair_id=fair.id, created_by_id=organiser.id, status="done", solver_status="optimal")
    db.session.add(run)
    db.session.flush()
    db.session.add(
        DraftMeeting(
            run_id=run.id,
            participant_a_id=meeting.participant_a_id,
            participant_b_id=meeting.participant_b_id,
            slot_id=meeting.slot_id,
            table_id=meeting.table_id,
        )
    )
    add_attendee(buyers[0], "Ache Teuse", buyer_user.email, checked_in_at=datetime.now(UTC))
    add_attendee(suppliers[0], "Jeanne Scop", "jeanne@example.org")
    db.session.commit()
    return organiser, buyer_user, fair


def test_link_crawl_as_organiser_finds_no_broken_link(client, db):
    organiser, _buyer, fair = _small_fair()
    login(client, organiser)
    seen = crawl(client, "/orga/")
    assert _broken(seen) == {}
    assert f"/orga/fairs/{fair.id}/day" in seen
    assert "/p/" in seen
    assert len(seen) > 40
    assert _feed_answers(client, f"/orga/fairs/{fair.id}/calendar/feeds")


def test_link_crawl_as_participant_finds_no_broken_link(client, db):
    _organiser, buyer_user, fair = _small_fair()
    login(client, buyer_user)
    seen = crawl(client, "/p/")
    assert _broken(seen) == {}
    assert f"/fairs/{fair.slug}/legal/privacy" in seen
    assert len(seen) > 15
    calendar_page = next(path for path in seen if re.fullmatch(r"/p/\d+/calendar", path))
    assert _feed_answers(client, f"{calendar_page}/token")


def test_link_crawl_anonymous_finds_no_broken_link(client, db):
    _organiser, _buyer, fair = _small_fair()
    fair.phase = "registration"  # so that the fair page offers registration
    db.session.commit()
    seen = crawl(client, "/")
    assert _broken(seen) == {}
    assert f"/fairs/{fair.slug}/register" in seen
    assert f"/fairs/{fair.slug}/legal/accessibility" in seen
