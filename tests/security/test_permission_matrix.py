"""Every route, every role: the permission matrix holds, and another fair's objects answer 404."""

from __future__ import annotations

import pytest

from salon import create_app
from tests.security.matrix import (
    ACT,
    OK,
    STATE_CHANGING,
    app_rules,
    request_as,
    rule_key,
    snapshot,
    url_for_rule,
    url_values,
    verdict,
)
from tests.security.permission_table import MATRIX
from tests.security.test_headers_cookies import inline_code
from tests.security.world import ROLES

_APP = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, config_object="config.TestConfig")
RULES = app_rules(_APP)


def test_matrix_lists_every_route_and_no_stale_one(app):
    served = {rule_key(rule, method) for rule, method in app_rules(app)}
    missing = sorted(served - set(MATRIX))
    stale = sorted(set(MATRIX) - served)
    assert missing == [], f"new route not in the permission matrix: {missing}"
    assert stale == [], f"the permission matrix lists routes that no longer exist: {stale}"


def _check(app, world, user, method, url, expected, problems, role, data=None):  # noqa: ANN001
    response = request_as(app, user, method, url, data)
    if not verdict(response, expected):
        where = response.headers.get("Location", "")
        problems.append(f"{method} {url} as {role}: expected {expected}, got {response.status_code} {where}")
    elif response.status_code == 200 and response.mimetype == "text/html":
        found = inline_code(response.get_data(as_text=True))
        if found:
            problems.append(f"{method} {url} as {role}: inline code a strict CSP blocks: {found[:3]}")
    return response


@pytest.mark.parametrize("rule,method", RULES, ids=[f"{r.endpoint}-{m}" for r, m in RULES])
def test_permission_matrix(app, world, rule, method):
    entry = MATRIX.get(rule_key(rule, method))
    if entry is None:
        pytest.fail(f"new route not in the permission matrix: {rule.endpoint} {method} {rule.rule}")
    url = url_for_rule(app, rule, url_values(rule, entry, world))
    allowed = [r for r in ROLES if entry.expect[r] in (OK, ACT)]
    denied = [r for r in ROLES if r not in allowed]
    problems: list[str] = []
    data = entry.data(world) if entry.data else None
    changing = method in STATE_CHANGING
    before = snapshot() if changing else None
    for role in denied:
        _check(app, world, world.users[role], method, url, entry.expect[role], problems, role, data)
    for name in (n for n in rule.arguments if n not in entry.no_swap):
        if name not in entry.swaps and name not in _swappable():
            continue
        swapped = url_for_rule(app, rule, url_values(rule, entry, world, swap=name))
        expected = (entry.swaps.get(name) or _swappable()[name])[1]
        for role in allowed:
            label = f"{role} ({name} swapped)"
            _check(app, world, world.users[role], method, swapped, expected, problems, label, data)
    if changing:
        assert snapshot() == before, f"a refused {method} {url} changed the database"
    for role in allowed:
        _check(app, world, world.users[role], method, url, entry.expect[role], problems, role, data)
    assert problems == []


def _swappable():  # noqa: ANN202
    from tests.security.matrix import SWAPS

    return SWAPS
