"""Everything people read is in French: every page the link crawl reaches, for every role, the files it links
to (CSV, XLSX, PDF, calendars), every GET route of the permission matrix, and the e-mails. Each fails on any
English message id found in it (tests/salon/french.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from salon.extensions import db as _db
from salon.models import (
    Fair,
    LegalPage,
    MandatoryMeeting,
    Meeting,
    OrganiserMembership,
    OutboxMessage,
    ScheduleRun,
)
from salon.preparing import prepare_all
from tests.factories import login, make_fair, make_participant, make_user, make_wish
from tests.salon.calendar_helpers import add_attendee, make_meeting
from tests.salon.french import english_in, english_patterns, readable_text, visible_text
from tests.salon.views.test_link_crawl import crawl
from tests.security.crawl import forms_of

ZONE = "Pacific/Noumea"
STAGES = [
    {"term": "coverage", "status": "optimal", "value": 4, "bound": 4, "seconds": 0.1},
    {"term": "weight", "status": "optimal", "value": 13, "bound": 13, "seconds": 0.1},
    {"term": "breaks", "status": "feasible", "value": 1, "bound": 0, "seconds": 0.1},
]


def french_world():
    """A published fair today, with every role, statuses of every kind, runs, outcomes and legal pages."""
    names = {
        "organiser": "Claire Martin",
        "co_organiser": "Louis Petit",
        "buyer": "Ache Teuse",
        "supplier": "Jean Dupont",
    }
    users = {role: make_user(full_name=name) for role, name in names.items()}
    # Nouméa (UTC+11): the fair's 09:00 is 22:00 UTC the day before, so a UTC time on a page cannot pass for
    # a local one.
    local_today = datetime.now(ZoneInfo(ZONE)).date()
    fair = make_fair(
        name="Coventis 2027",
        organiser=users["organiser"],
        day=local_today,
        tz=ZONE,
        phase="published",
        slots_per_session=3,
        venue="Nouméa",
        contact_email="c@a.nc",
    )
    _db.session.add(OrganiserMembership(fair=fair, user=users["co_organiser"], role="organiser"))
    lyon = make_participant(fair, "buyer", user=users["buyer"], name="Métropole de Lyon")
    chu = make_participant(fair, "buyer", user=make_user(), name="CHU de Nîmes")
    scop = make_participant(fair, "supplier", user=users["supplier"], name="Scop Bâtir")
    esat = make_participant(fair, "supplier", user=make_user(), name="ESAT Vert")
    make_participant(fair, "supplier", user=make_user(), name="Asso en attente", status="pending")
    lyon.organisation.buyer_kind, chu.organisation.buyer_kind = "intercommunalite", "hopital"
    scop.organisation.structure_types, scop.organisation.sectors = ["scop", "qpv"], ["btp"]
    esat.organisation.structure_types, esat.organisation.postcode = ["esat"], "30000"
    for b in (lyon, chu):
        for s in (scop, esat):
            make_wish(b, s, priority=3)
            make_wish(s, b, priority=1)
    held = make_meeting(lyon, scop, fair.slots[0], fair.tables[0])
    held.status = "held"
    make_meeting(chu, esat, fair.slots[1], fair.tables[1])
    make_meeting(lyon, esat, fair.slots[2], fair.tables[2]).status = "no_show"
    make_meeting(chu, scop, fair.slots[3], fair.tables[0])
    _db.session.add(MandatoryMeeting(fair_id=fair.id, participant_a_id=lyon.id, participant_b_id=scop.id))
    _runs(fair, users["organiser"], lyon, scop)
    for p, name in ((lyon, "Ache Teuse"), (scop, "Jeanne Scop"), (chu, "Paul Roux"), (esat, "Karim Benali")):
        add_attendee(
            p,
            name,
            f"{name.split()[0].lower()}@example.org",
            checked_in_at=datetime.now(UTC) if p is lyon else None,
        )
    _db.session.add(LegalPage(fair_id=fair.id, kind="privacy", body="Vos données restent les vôtres."))
    _db.session.flush()
    from salon.services.outcomes import record_outcome

    record_outcome(lyon, held.id, "contract_signed", Decimal("1200"))
    _db.session.commit()
    return fair, users


def _built_printouts(fair) -> None:  # noqa: ANN001
    """Build the badges, every agenda and the table sheets in French, as the printouts page would."""
    from flask_babel import force_locale

    from salon.models import PrintBuild
    from salon.services import print_builds, printouts

    for document in ("badges", "agendas", "tables"):
        build = PrintBuild(fair_id=fair.id, document=document, include_empty=document == "agendas")
        _db.session.add(build)
        with force_locale("fr"):
            print_builds.store_result(build, printouts.render_document(fair, document, build.include_empty))
    _db.session.commit()


def _runs(fair, organiser, a, b) -> None:  # noqa: ANN001
    """A finished run with its draft, and an infeasible one with its reasons."""
    from salon.models import DraftMeeting

    done = ScheduleRun(
        fair_id=fair.id,
        created_by_id=organiser.id,
        status="done",
        solver_status="feasible",
        objective={"coverage": 4, "weight": 13, "breaks": 1},
        stats={"stages": STAGES},
        bounds={"coverage": 4},
        progress={"elapsed": 2.0, "done": True},
    )
    reasons = [{"rule": "unavailable", "ids": [0, f"p{a.id}", f"p{b.id}"], "message": "…"}]
    impossible = ScheduleRun(
        fair_id=fair.id,
        created_by_id=organiser.id,
        status="done",
        solver_status="infeasible",
        reasons=reasons,
    )
    _db.session.add_all([done, impossible])
    _db.session.flush()
    lo, hi = sorted((a.id, b.id))
    _db.session.add(
        DraftMeeting(
            run_id=done.id,
            participant_a_id=lo,
            participant_b_id=hi,
            slot_id=fair.slots[4].id,
            table_id=fair.tables[1].id,
        )
    )


ROLES = {
    "public": (None, "/"),
    "participant buyer": ("buyer", "/p/"),
    "participant supplier": ("supplier", "/p/"),
    "organiser": ("organiser", "/orga/"),
    "co-organiser": ("co_organiser", "/orga/"),
}


def utc_times(fair) -> set[str]:  # noqa: ANN001
    """Return the fair's slot times written in UTC (22:00...), which no page, file or e-mail may show."""
    return {t.astimezone(UTC).strftime("%H:%M") for s in fair.slots for t in (s.starts_at, s.ends_at)}


def local_minutes_since(since: datetime) -> set[str]:
    """Return the fair's local clock times (HH:MM) from since to a minute from now, left out of the UTC times.

    Pages rightly show, in the fair's time, when something happened during the test (a run, a check-in, a
    printout built). At 17:10 UTC, Nouméa's 04:10 reads like the UTC time of a slot ending at 15:10: a CI run
    of 2026-12-06 failed on it.
    """
    minutes = int((datetime.now(UTC) - since).total_seconds() // 60) + 2
    zone = ZoneInfo(ZONE)
    return {(since + timedelta(minutes=k)).astimezone(zone).strftime("%H:%M") for k in range(minutes)}


def leaks(text: str, mimetype: str, utc: set[str]) -> list[str]:
    """Return the English ids, stored codes and UTC times found in what people read.

    A UTC time counts as an hour and minutes of its own, never the minutes and seconds of another time
    ("7 déc. 2026, 05:03:25", when a run was launched, holds no 03:25).
    """
    if mimetype == "text/calendar":
        return english_in(text)
    times = [f"UTC time {t}" for t in sorted(utc) if re.search(rf"(?<![\d:]){t}", text)]
    return english_in(text) + times


def test_the_finder_sees_a_page_in_english(client, db):
    _fair, users = french_world()
    login(client, users["organiser"])
    client.get("/lang/en")
    english = english_in(readable_text("text/html", client.get("/orga/").get_data()))
    assert {"Sign out", "My fairs"} <= set(english) and len(english) > 10


def test_the_finder_sees_english_and_not_french():
    assert len(english_patterns()) > 500
    assert english_in("Alerte : The form has errors: please correct the fields marked below.") == [
        "The form has errors: please correct the fields marked below."
    ]
    assert {"Run #%(id)d", "%(num)d meetings"} <= set(english_in("Run #12: 12 meetings"))
    assert english_in("Le formulaire contient des erreurs : corrigez les champs signalés ci-dessous.") == []
    text = visible_text(
        '<p>Bonjour <code>table-double-booked</code><a lang="en" title="Sign in">Sign in</a></p>'
    )
    assert text == "Bonjour"


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_and_file_a_role_reaches_is_in_french(client, db, role):
    since = datetime.now(UTC)
    fair, users = french_world()
    account, start = ROLES[role]
    if account is not None:
        login(client, users[account])
    if role == "public":
        fair.phase = "registration"  # the fair page then offers registration
        db.session.commit()
    if role.startswith("organiser"):
        _built_printouts(fair)
    found: dict[str, list[str]] = {}
    kinds: set[str] = set()

    forms: dict[str, str] = {}  # form action -> page it is on
    utc = utc_times(fair)

    def visit(path: str, response) -> None:  # noqa: ANN001
        if response.mimetype == "text/html":
            for form in forms_of(response.get_data(as_text=True), path):
                forms.setdefault(form.action, path)
        text = readable_text(response.mimetype, response.get_data())
        if text is not None:
            kinds.add(response.mimetype)
            if english := leaks(text, response.mimetype, utc - local_minutes_since(since)):
                found[path] = english

    seen = crawl(client, start, visit)
    assert found == {}
    assert _posted_forms_in_french(client, forms) == {}
    assert len(seen) > (40 if role.startswith("organiser") else 8)
    if role == "organiser":  # the crawl really reached the files
        assert {"text/csv", "application/pdf", "text/calendar"} <= kinds and any("sheet" in k for k in kinds)
        assert sum("/print/builds/" in path and path.endswith(".pdf") for path in seen) == 3


def _posted_forms_in_french(client, forms: dict[str, str]) -> dict[str, list[str]]:  # noqa: ANN001
    """Send every form empty (its errors, or the page it leads to with its message) and scan the answer."""
    found = {}
    for action in sorted(forms):
        if action.rstrip("/").endswith("/logout"):
            continue
        response = client.post(action, data={}, follow_redirects=True)
        text = readable_text(response.mimetype, response.get_data())
        if text is not None and (english := english_in(text)):
            found[f"POST {action} (from {forms[action]})"] = english
    return found


def test_every_get_route_of_every_role_is_in_french(app, db):
    from tests.security.crawl import crawl as crawl_routes
    from tests.security.world import build_world

    result = crawl_routes(app, build_world(), roles=("anonymous", "participant", "organiser"))
    found = {}
    for (role, url), response in result.pages.items():
        text = readable_text(response.mimetype, response.get_data())
        if text is not None and (english := english_in(text)):
            found[f"{role} {url}"] = english
    assert found == {}
    assert len(result.pages) > 80


def _exercise_every_mail(fair, users) -> None:  # noqa: ANN001
    """Queue every kind of e-mail the app sends, in the fair's language."""
    from salon.services import invitations, meetings, notifications, outcomes, registration, reminders

    registration.send_confirmation(users["buyer"], fair)
    invitations.invite(fair, users["organiser"], "nouvelle@cress.example")
    moved, cancelled = _db.session.scalars(
        select(Meeting).where(Meeting.fair_id == fair.id, Meeting.status == "scheduled").order_by(Meeting.id)
    ).all()[:2]
    notifications.meeting_published(moved.participant_a)
    meetings.move_meeting(fair, moved, fair.slots[5].id, fair.tables[2].id)
    meetings.cancel_meeting(fair, cancelled)
    fair.wishes_deadline = datetime.now(UTC) + timedelta(days=1)
    reminders.send_deadline_reminders(fair, datetime.now(UTC))
    reminders.send_agenda_tomorrow(fair, fair.slots[0].starts_at - timedelta(days=1))
    reminders.send_organiser_message(fair, "Plan d'accès", "Le parking est ouvert dès 8 h.")
    outcomes.send_outcome_requests(fair, fair.slots[-1].ends_at + timedelta(days=1))
    _db.session.flush()


def test_every_email_is_in_french(app, db):
    since = datetime.now(UTC)
    with app.test_request_context("/"):
        fair, users = french_world()
        _exercise_every_mail(fair, users)
        _db.session.commit()
    prepare_all()  # the e-mails about meetings are rendered outside any request, as the job does
    messages = _db.session.scalars(select(OutboxMessage)).all()
    utc = utc_times(_db.session.get(Fair, fair.id)) - local_minutes_since(since)
    found = {}
    for m in messages:
        text = " ".join([m.subject, m.body_text, visible_text(m.body_html or "")])
        calendars = [readable_text("text/calendar", a["text"].encode()) or "" for a in m.attachments]
        if english := leaks(text, "text/plain", utc) + english_in(" ".join(calendars)):
            found[f"{m.kind} {m.subject}"] = english
    assert found == {}
    kinds = {m.kind for m in messages}
    assert len(kinds) >= 7, kinds


def test_a_utc_time_is_found_on_its_own_not_inside_another_time():
    assert leaks("Rendez-vous à 03:25", "text/html", {"03:25"}) == ["UTC time 03:25"]
    assert leaks("Début 03:25:00", "text/plain", {"03:25"}) == ["UTC time 03:25"]
    assert leaks("Lancé le 7 déc. 2026, 05:03:25", "text/html", {"03:25"}) == []
    assert leaks("salle 103:25", "text/html", {"03:25"}) == []
