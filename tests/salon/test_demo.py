"""`salon demo`: the demo fairs are created once, the same every time, consistent, and answer in French."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from salon import create_app, demo_data, demo_data_sud
from salon.demo import ORGANISER_EMAIL, PASSWORD, SLUG
from salon.domain import DEPARTEMENTS
from salon.extensions import db
from salon.models import (
    Fair,
    Meeting,
    MeetingTable,
    NotificationIntent,
    Organisation,
    Participant,
    Slot,
    User,
    Wish,
)


def _counts() -> dict[str, int]:
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return {m.__name__: count(m) for m in (Fair, Participant, Wish, Slot, MeetingTable, User)}


def _demo_app(tmp_path):
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}, "config.TestConfig"
    )


def test_demo_creates_a_coventis_style_fair_idempotently(tmp_path):
    app = _demo_app(tmp_path)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert ORGANISER_EMAIL in first.output and PASSWORD in first.output
    with app.app_context():
        counts = _counts()
        fair = db.session.scalar(select(Fair).where(Fair.slug == SLUG))
        sides = dict(
            db.session.execute(
                select(Participant.side, func.count())
                .where(Participant.fair_id == fair.id)
                .group_by(Participant.side)
            ).all()
        )
        sessions = [s.label for s in fair.sessions]
    assert sides == {"buyer": 60, "supplier": 120}
    assert counts["MeetingTable"] == 40
    assert sessions == ["am", "pm"]
    assert counts["Wish"] > 500
    second = runner.invoke(args=["demo", "--no-serve"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        assert _counts() == counts


def test_demo_is_the_same_every_time(tmp_path):
    names = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        app = _demo_app(tmp_path / run)
        assert app.test_cli_runner().invoke(args=["demo", "--no-serve"]).exit_code == 0
        with app.app_context():
            names.append(
                db.session.execute(
                    select(Wish.source_id, Wish.target_id, Wish.priority, Wish.veto).order_by(Wish.id)
                ).all()
            )
    assert names[0] == names[1]


def test_demo_organiser_can_sign_in_and_sees_the_fair_in_french(tmp_path):
    app = _demo_app(tmp_path)
    assert app.test_cli_runner().invoke(args=["demo", "--no-serve"]).exit_code == 0
    client = app.test_client()
    response = client.post("/login", data={"email": ORGANISER_EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/orga/").get_data(as_text=True)
    assert "Les salons que j&#39;organise" in page or "Les salons que j'organise" in page
    assert "Coventis" in page


def _named(name: str, places: dict[str, str]) -> set[str]:
    """Return the values of the places a name mentions as whole words (the longest names first)."""
    found, rest = set(), name
    for place in sorted(places, key=len, reverse=True):
        pattern = re.compile(rf"\b{re.escape(place)}\b")
        if pattern.search(rest):
            found.add(places[place])
            rest = pattern.sub(" ", rest)
    return found


def test_demo_organisations_are_in_their_departement(tmp_path):
    app = _demo_app(tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "--no-serve"]).exit_code == 0
    assert runner.invoke(args=["demo", "--no-serve", "--participants", "220"]).exit_code == 0
    towns = {**demo_data.TOWN_INFO, **demo_data_sud.TOWN_INFO}
    town_names = {**{t: t for t in towns}, "Aix": "Aix-en-Provence"}
    departement_names = {name: code for code, name in DEPARTEMENTS.items()}
    with app.app_context():
        organisations = db.session.scalars(select(Organisation)).all()
        rows = [(o.name, o.city, o.departements, o.postcode) for o in organisations]
    assert len(rows) == 180 + 220
    wrong = []
    for name, city, departements, postcode in rows:
        dep, code = towns[city]
        named_towns, named_deps = _named(name, town_names), _named(name, departement_names)
        if departements != [dep] or postcode != code or (named_towns and city not in named_towns):
            wrong.append((name, city, departements))
        elif named_deps and named_deps != {dep}:
            wrong.append((name, city, departements))
    assert wrong == []
    by_name = {name: (city, departements) for name, city, departements, _code in rows}
    assert by_name["CHU de Nîmes"] == ("Nîmes", ["30"])
    assert by_name["Département du Gard"] == ("Nîmes", ["30"])
    assert by_name["Département des Bouches-du-Rhône"] == ("Marseille", ["13"])


def test_demo_participants_seeds_a_so_eko_shaped_fair_once(tmp_path):
    app = _demo_app(tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--no-serve", "--participants", "220"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        fair = db.session.scalar(select(Fair).where(Fair.slug == "so-eko-demo-220"))
        people = db.session.scalars(select(Participant).where(Participant.fair_id == fair.id)).all()
        buyers = [p for p in people if p.side == "buyer"]
        exhibitors = [p for p in people if p.side == "supplier"]
        assert (len(buyers), len(exhibitors), len(fair.tables)) == (200, 20, 20)
        assert sorted(p.home_table.name for p in exhibitors) == sorted(t.name for t in fair.tables)
        assert {len(p.attendees) for p in buyers} == {1} and {len(p.attendees) for p in exhibitors} == {2}
        assert all(p.home_table_id is None for p in buyers) and fair.phase == "wishes"
        counts = _counts()
    assert runner.invoke(args=["demo", "--no-serve", "--participants", "220"]).exit_code == 0
    with app.app_context():
        assert _counts() == counts
    assert runner.invoke(args=["demo", "--no-serve", "--participants", "3"]).exit_code == 2


def test_demo_publish_solves_and_publishes_the_fair(tmp_path):
    app = _demo_app(tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--no-serve", "--participants", "44", "--publish"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Schedule published: \d+ meetings", result.output)
    waiting = re.search(r"(\d+) e-mail\(s\) to prepare", result.output)
    with app.app_context():
        fair = db.session.scalar(select(Fair).where(Fair.slug == "so-eko-demo-44"))
        intents = select(func.count()).where(NotificationIntent.fair_id == fair.id)
        assert (
            waiting and int(waiting.group(1)) == db.session.scalar(intents) > 0
        )  # agendas, not yet rendered
        meetings = db.session.scalars(select(Meeting).where(Meeting.fair_id == fair.id)).all()
        assert fair.phase == "published" and len(meetings) >= 40
        assert all(
            m.table_id == (m.participant_a.home_table_id or m.participant_b.home_table_id) for m in meetings
        )
    again = runner.invoke(args=["demo", "--no-serve", "--participants", "44", "--publish"])
    assert again.exit_code == 0 and "Schedule already published" in again.output
