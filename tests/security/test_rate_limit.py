"""Sign-in limits: per address, per account from one address, an account-wide slow-down that spares the owner.

Shared by every process: the database by default, Redis with REDIS_URL (the two-process test is
test_login_limits_processes.py).
"""

from __future__ import annotations

import redis
from sqlalchemy import select

from salon import create_app
from salon.extensions import db as _db
from salon.login_limits import DEVICE_COOKIE
from salon.models import LoginAttempt
from tests.factories import PASSWORD, STRONG_KEY, make_user

WRONG = "wrong password 123"


def _attempt(client, email: str, password: str = WRONG, addr: str = "192.0.2.1", **headers):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": addr},
        headers=headers,
    )


def _limits(app, monkeypatch, **values) -> None:
    for name, value in values.items():
        monkeypatch.setitem(app.config, f"SALON_LOGIN_{name}", value)


def test_login_limited_per_account_from_one_address(app, client, monkeypatch):
    _limits(app, monkeypatch, LIMIT_PAIR="3 per 15 minutes")
    user = make_user()
    _db.session.commit()
    for _ in range(3):
        assert _attempt(client, user.email).status_code == 400
    refused = _attempt(client, user.email.upper(), PASSWORD)  # the same account, spelt otherwise
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 900
    assert "Trop de tentatives" in refused.get_data(as_text=True)
    # Another address is not refused: guessing from one place does not lock the owner out elsewhere.
    assert _attempt(client, user.email, PASSWORD, addr="198.51.100.7").status_code == 302


def test_login_limited_per_address_across_accounts(app, client, monkeypatch):
    _limits(app, monkeypatch, LIMIT_ADDRESS="4 per 15 minutes")
    for i in range(4):
        assert _attempt(client, f"guess{i}@example.org").status_code == 400
    assert _attempt(client, "guess99@example.org").status_code == 429
    assert _attempt(client, "guess99@example.org", addr="192.0.2.2").status_code == 400


def test_account_slowdown_spares_the_owners_browser(app, client, monkeypatch):
    _limits(app, monkeypatch, SLOWDOWN_AFTER=3, SLOWDOWN_FIRST_DELAY=600)
    user = make_user()
    _db.session.commit()
    owner = app.test_client()
    assert _attempt(owner, user.email, PASSWORD, addr="203.0.113.5").status_code == 302
    assert owner.get_cookie(DEVICE_COOKIE, path="/login") is not None
    for i in range(3):  # a guesser spread over many addresses
        assert _attempt(client, user.email, addr=f"198.51.100.{i}").status_code == 400
    slowed = _attempt(client, user.email, PASSWORD, addr="198.51.100.50")
    assert slowed.status_code == 429
    assert 500 < int(slowed.headers["Retry-After"]) <= 600
    # The owner's browser signed in before: it goes through, even from an address never seen.
    assert _attempt(owner, user.email, PASSWORD, addr="198.51.100.51").status_code == 302


def test_device_cookie_only_vouches_for_its_account_and_wears_out(app, client, monkeypatch):
    _limits(app, monkeypatch, SLOWDOWN_AFTER=0, SLOWDOWN_FIRST_DELAY=600, LIMIT_DEVICE="2 per 15 minutes")
    user, other = make_user(), make_user()
    _db.session.commit()
    browser, elsewhere = app.test_client(), app.test_client()
    assert _attempt(browser, user.email, PASSWORD).status_code == 302  # a device of `user` from now on
    assert _attempt(elsewhere, other.email, PASSWORD).status_code == 302  # a device of `other` only
    assert _attempt(client, user.email, addr="198.51.100.9").status_code == 400  # a guess: `user` slows down
    assert _attempt(elsewhere, user.email, PASSWORD).status_code == 429
    assert _attempt(browser, user.email, PASSWORD).status_code == 302
    for _ in range(2):  # failures with the cookie count against the cookie
        assert _attempt(browser, user.email).status_code == 400
    assert _attempt(browser, user.email, PASSWORD).status_code == 429  # worn out: an unknown browser again
    browser.set_cookie(DEVICE_COOKIE, "forged.cookie", path="/login")
    assert _attempt(browser, user.email, PASSWORD).status_code == 429


def test_login_successes_do_not_count(app, client, monkeypatch):
    _limits(
        app, monkeypatch, LIMIT_PAIR="2 per 15 minutes", LIMIT_ADDRESS="2 per 15 minutes", SLOWDOWN_AFTER=1
    )
    user = make_user()
    _db.session.commit()
    for _ in range(5):
        assert _attempt(client, user.email, PASSWORD).status_code == 302
    assert _db.session.scalars(select(LoginAttempt)).all() == []


def test_login_attempts_stored_without_address_or_email(app, client):
    user = make_user()
    _db.session.commit()
    _attempt(client, user.email, addr="192.0.2.77")
    stored = " ".join(a.key for a in _db.session.scalars(select(LoginAttempt)))
    assert len(stored.split()) == 3  # address, account from the address, account
    assert "192.0.2.77" not in stored and user.email not in stored


def test_login_limit_not_reset_by_forged_forwarded_for(app, client, monkeypatch):
    _limits(app, monkeypatch, LIMIT_ADDRESS="3 per 15 minutes")
    for i in range(3):
        _attempt(client, f"a{i}@example.org", **{"X-Forwarded-For": f"203.0.113.{i}"})
    forged = _attempt(client, "b@example.org", **{"X-Forwarded-For": "203.0.113.200"})
    assert forged.status_code == 429


def test_login_limit_behind_trusted_proxy_uses_proxy_address(db, database_url):
    proxied = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SALON_TRUSTED_PROXIES": 1,
         "SALON_LOGIN_LIMIT_ADDRESS": "3 per 15 minutes"},
        config_object="config.TestConfig",
    )  # fmt: skip
    client = proxied.test_client()
    proxy = "10.0.0.1"
    for i in range(3):
        # The client forges the left part; the proxy appends the address it saw (the right part).
        hops = f"203.0.113.{i}, 198.51.100.7"
        assert (
            _attempt(client, f"a{i}@example.org", addr=proxy, **{"X-Forwarded-For": hops}).status_code == 400
        )
    again = _attempt(client, "z@example.org", addr=proxy, **{"X-Forwarded-For": "1.2.3.4, 198.51.100.7"})
    assert again.status_code == 429
    other = _attempt(client, "z@example.org", addr=proxy, **{"X-Forwarded-For": "198.51.100.8"})
    assert other.status_code == 400


def test_login_limit_stored_in_redis_when_configured(db, database_url, redis_url):
    redis_app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": redis_url,
         "SALON_LOGIN_LIMIT_PAIR": "2 per 15 minutes"},
        config_object="config.TestConfig",
    )  # fmt: skip
    client = redis_app.test_client()
    assert _attempt(client, "r@example.org").status_code == 400
    assert _attempt(client, "r@example.org").status_code == 400
    assert _attempt(client, "r@example.org").status_code == 429
    assert len(redis.Redis.from_url(redis_url).keys("salon:login:*")) == 3
    assert _db.session.scalars(select(LoginAttempt)).all() == []


def test_production_limits_are_the_documented_ones(database_url):
    production = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": STRONG_KEY}, config_object="config.Config"
    )
    config = production.config
    assert config["SALON_LOGIN_LIMIT_PAIR"] == "10 per 15 minutes"
    assert config["SALON_LOGIN_LIMIT_ADDRESS"] == "30 per 15 minutes; 200 per day"
    assert config["SALON_LOGIN_LIMIT_DEVICE"] == "10 per 15 minutes"
    assert (config["SALON_LOGIN_SLOWDOWN_AFTER"], config["SALON_LOGIN_SLOWDOWN_FIRST_DELAY"]) == (10, 15)
    assert config["SALON_LOGIN_SLOWDOWN_MAX_DELAY"] == 900
