"""Sign-in rate limits: per account and per address, not reset by a forged X-Forwarded-For, Redis-backed."""

from __future__ import annotations

import redis

from salon import create_app
from salon.extensions import db as _db
from salon.extensions import limiter
from tests.factories import PASSWORD, STRONG_KEY, make_user

WRONG = "wrong password 123"


def _attempt(client, email: str, password: str = WRONG, addr: str = "192.0.2.1", **headers):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": addr},
        headers=headers,
    )


def test_login_limited_per_account_across_addresses(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SALON_LOGIN_LIMIT_ACCOUNT", "3 per 15 minutes")
    user = make_user()
    _db.session.commit()
    for i in range(3):
        assert _attempt(client, user.email, addr=f"198.51.100.{i}").status_code == 400
    # The right password from yet another address is refused now: the account is protected.
    response = _attempt(client, " " + user.email.upper(), PASSWORD, addr="198.51.100.99")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)
    assert _attempt(client, "someone.else@example.org", addr="198.51.100.99").status_code == 400


def test_login_limited_per_address_across_accounts(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SALON_LOGIN_LIMIT_ADDRESS", "4 per 15 minutes")
    for i in range(4):
        assert _attempt(client, f"guess{i}@example.org").status_code == 400
    assert _attempt(client, "guess99@example.org").status_code == 429
    assert _attempt(client, "guess99@example.org", addr="192.0.2.2").status_code == 400


def test_login_successes_do_not_count(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SALON_LOGIN_LIMIT_ACCOUNT", "2 per 15 minutes")
    monkeypatch.setitem(app.config, "SALON_LOGIN_LIMIT_ADDRESS", "2 per 15 minutes")
    user = make_user()
    _db.session.commit()
    for _ in range(5):
        assert _attempt(client, user.email, PASSWORD).status_code == 302


def test_login_limit_not_reset_by_forged_forwarded_for(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SALON_LOGIN_LIMIT_ADDRESS", "3 per 15 minutes")
    for i in range(3):
        _attempt(client, f"a{i}@example.org", **{"X-Forwarded-For": f"203.0.113.{i}"})
    forged = _attempt(client, "b@example.org", **{"X-Forwarded-For": "203.0.113.200"})
    assert forged.status_code == 429


def test_login_limit_behind_trusted_proxy_uses_proxy_address(database_url):
    proxied = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SALON_TRUSTED_PROXIES": 1,
         "SALON_LOGIN_LIMIT_ADDRESS": "3 per 15 minutes"},
        config_object="config.TestConfig",
    )  # fmt: skip
    limiter.reset()
    client = proxied.test_client()
    proxy = "10.0.0.1"
    with proxied.app_context():
        for i in range(3):
            # The client forges the left part; the proxy appends the address it saw (the right part).
            hops = f"203.0.113.{i}, 198.51.100.7"
            refused = _attempt(client, f"a{i}@example.org", addr=proxy, **{"X-Forwarded-For": hops})
            assert refused.status_code == 400
        again = _attempt(client, "z@example.org", addr=proxy, **{"X-Forwarded-For": "1.2.3.4, 198.51.100.7"})
        assert again.status_code == 429
        other = _attempt(client, "z@example.org", addr=proxy, **{"X-Forwarded-For": "198.51.100.8"})
        assert other.status_code == 400
    limiter.reset()


def test_login_limit_stored_in_redis_when_configured(database_url, redis_url):
    saved = (limiter._storage, limiter._limiter)
    try:
        redis_app = create_app(
            {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_STORAGE_URI": redis_url,
             "SALON_LOGIN_LIMIT_ACCOUNT": "2 per 15 minutes"},
            config_object="config.TestConfig",
        )  # fmt: skip
        client = redis_app.test_client()
        with redis_app.app_context():
            assert _attempt(client, "r@example.org", addr="192.0.2.10").status_code == 400
            assert _attempt(client, "r@example.org", addr="192.0.2.11").status_code == 400
            assert _attempt(client, "r@example.org", addr="192.0.2.12").status_code == 429
        keys = [k.decode() for k in redis.Redis.from_url(redis_url).keys("*")]
        assert any("r@example.org" in k for k in keys)
    finally:
        limiter._storage, limiter._limiter = saved


def test_production_limits_are_the_strict_ones(database_url):
    production = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": STRONG_KEY}, config_object="config.Config"
    )
    assert production.config["SALON_LOGIN_LIMIT_ACCOUNT"] == "10 per 15 minutes"
    assert production.config["SALON_LOGIN_LIMIT_ADDRESS"] == "30 per 15 minutes; 200 per day"
