"""CSRF: every state-changing route refuses a request without a token (400) and changes nothing."""

from __future__ import annotations

import re

import pytest

from tests.security.matrix import (
    ACT,
    OK,
    STATE_CHANGING,
    entry_for,
    request_as,
    snapshot,
    url_for_rule,
    url_values,
)
from tests.security.permission_table import MATRIX
from tests.security.test_permission_matrix import RULES
from tests.security.world import ROLES, sign_in

CHANGING = [(rule, method) for rule, method in RULES if method in STATE_CHANGING]
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture()
def csrf_on(app, monkeypatch):
    """Switch CSRF protection on for this test (TestConfig leaves it off)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return app


def _allowed_role(entry) -> str:  # noqa: ANN001
    return next((r for r in ROLES if entry.expect[r] in (OK, ACT)), "anonymous")


def test_every_state_changing_route_is_checked():
    assert len(CHANGING) >= 1
    assert {m for _, m in CHANGING} <= set(STATE_CHANGING)


@pytest.mark.parametrize("rule,method", CHANGING, ids=[f"{r.endpoint}-{m}" for r, m in CHANGING])
def test_state_changing_route_refused_without_csrf_token(csrf_on, world, rule, method):
    # A route not yet in the matrix (the matrix test fails for it) is tried as its blueprint's audience.
    entry = entry_for(MATRIX, rule, method)
    url = url_for_rule(csrf_on, rule, url_values(rule, entry, world))
    user = world.users[_allowed_role(entry)]
    data = entry.data(world) if entry.data else {"name": "x"}
    before = snapshot()
    form = request_as(csrf_on, user, method, url, data)
    as_json = request_as(csrf_on, user, method, url, json=data)
    assert form.status_code == 400, f"{method} {url}: {form.status_code}"
    assert as_json.status_code == 400, f"{method} {url} (JSON): {as_json.status_code}"
    assert snapshot() == before


def test_state_changing_route_refused_with_forged_token(csrf_on, world):
    data = {"csrf_token": "forged", "target_id": world.target.id, "choice": 3}
    url = f"/p/{world.participant.id}/wishes"
    before = snapshot()
    assert request_as(csrf_on, world.users["participant"], "POST", url, data).status_code == 400
    assert snapshot() == before


def test_login_accepted_with_token_from_form(csrf_on, world):
    client = csrf_on.test_client()
    with csrf_on.app_context():
        token = TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
        user = world.users["participant"]
        refused = client.post(
            "/login", data={"email": user.email, "password": "correct horse battery staple"}
        )
        accepted = client.post(
            "/login",
            data={"email": user.email, "password": "correct horse battery staple", "csrf_token": token},
        )
    assert refused.status_code == 400
    assert accepted.status_code == 302


def test_logout_needs_token_from_page(csrf_on, world):
    client = csrf_on.test_client()
    with csrf_on.app_context():
        sign_in(client, world.users["participant"])
        assert client.post("/logout").status_code == 400
        page = client.get("/p/").get_data(as_text=True)
        token = TOKEN.search(page).group(1)
        assert client.post("/logout", data={"csrf_token": token}).status_code == 302
