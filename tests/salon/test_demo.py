"""`salon demo`: the demo fair is created once, the same every time, and its pages answer in French."""

from __future__ import annotations

from sqlalchemy import func, select

from salon import create_app
from salon.demo import ORGANISER_EMAIL, PASSWORD, SLUG
from salon.extensions import db
from salon.models import Fair, MeetingTable, Participant, Slot, User, Wish


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
