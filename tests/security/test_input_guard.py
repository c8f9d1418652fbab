"""Input no form needs is refused at the edge: NUL characters (PostgreSQL text cannot hold them)."""

from __future__ import annotations

from salon.extensions import db as _db
from salon.models import User
from tests.factories import login, make_user


def test_nul_in_form_refused_with_400(client):
    response = client.post("/login", data={"email": "a\x00@example.org", "password": "x" * 12})
    assert response.status_code == 400


def test_nul_in_query_and_path_refused_with_400(client):
    assert client.get("/?q=a%00b").status_code == 400
    assert client.get("/fairs/a%00b").status_code == 400


def test_nul_in_json_refused_with_400(client):
    response = client.post("/login", data='{"email": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 400


def test_ordinary_control_characters_still_reach_the_form(client):
    user = make_user()
    _db.session.commit()
    assert client.post("/login", data={"email": user.email, "password": "tab\there"}).status_code == 400
    assert login(client, user).status_code == 302
    assert _db.session.get(User, user.id) is not None
