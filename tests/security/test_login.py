"""Accounts: argon2id with rehash, password length, session renewal at login, real logout."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from salon.extensions import db as _db
from salon.models import User
from salon.services import DomainError
from salon.services.accounts import authenticate, create_user
from tests.factories import PASSWORD, login, make_user

PRIVATE_PAGE = "/p/"


def _session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def _is_signed_in(app, cookie_value: str) -> bool:
    """Replay a session cookie in a fresh client and tell whether it reaches a private page."""
    fresh = app.test_client()
    fresh.set_cookie("session", cookie_value)
    # A fresh app context: the db fixture's context would share `g` (Flask-Login caches the user there).
    with app.app_context():
        response = fresh.get(PRIVATE_PAGE)
    return response.status_code == 200


def test_password_hash_is_argon2id(db):
    user = create_user("Hash@Example.org", "a long enough password")
    assert user.password_hash.startswith("$argon2id$")
    assert user.email == "hash@example.org"


def test_create_user_refused_when_password_shorter_than_12(app, db):
    with app.test_request_context(), pytest.raises(DomainError) as refused:
        create_user("short@example.org", "x" * 11)
    assert refused.value.field == "password"
    assert "12" in refused.value.message
    assert create_user("ok@example.org", "Brique7Sureau").id is not None


def test_login_rehashes_when_argon2_parameters_change(app, client, monkeypatch):
    user = make_user()
    _db.session.commit()
    old_hash = user.password_hash
    monkeypatch.setitem(app.config, "ARGON2_TIME_COST", app.config["ARGON2_TIME_COST"] + 1)
    monkeypatch.setitem(app.config, "ARGON2_MEMORY_COST", 2048)
    assert login(client, user).status_code == 302
    new_hash = _db.session.get(User, user.id).password_hash
    assert new_hash != old_hash
    assert new_hash.startswith("$argon2id$")
    assert f"m=2048,t={app.config['ARGON2_TIME_COST']}" in new_hash
    PasswordHasher().verify(new_hash, PASSWORD)


def test_login_keeps_hash_when_parameters_unchanged(client):
    user = make_user()
    _db.session.commit()
    old_hash = user.password_hash
    assert login(client, user).status_code == 302
    assert _db.session.get(User, user.id).password_hash == old_hash


def test_authenticate_refuses_wrong_password_and_unknown_account(db):
    user = make_user()
    assert authenticate(user.email, "wrong password!!") is None
    assert authenticate("nobody@example.org", PASSWORD) is None
    assert authenticate(user.email.upper(), PASSWORD) == user


def test_login_refused_with_wrong_password_stays_anonymous(app, client):
    user = make_user()
    _db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": "not the password"})
    assert response.status_code == 400
    assert "Adresse e-mail ou mot de passe incorrect" in response.get_data(as_text=True)
    assert client.get(PRIVATE_PAGE).status_code == 302


def test_login_replaces_planted_session(app, client):
    user = make_user()
    _db.session.commit()
    with client.session_transaction() as session:
        session["planted"] = "attacker"
    planted = _session_cookie(client)
    login(client, user)
    after = _session_cookie(client)
    assert after != planted
    with client.session_transaction() as session:
        assert "planted" not in session


def test_login_again_kills_previous_session_cookie(app, client):
    user = make_user()
    _db.session.commit()
    login(client, user)
    first = _session_cookie(client)
    assert _is_signed_in(app, first)
    second_client = app.test_client()
    login(second_client, user)
    second = _session_cookie(second_client)
    assert second != first
    assert _is_signed_in(app, second)
    assert not _is_signed_in(app, first)


def test_logout_makes_replayed_cookie_anonymous(app, client):
    user = make_user()
    _db.session.commit()
    login(client, user)
    cookie = _session_cookie(client)
    assert client.get(PRIVATE_PAGE).status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get(PRIVATE_PAGE).status_code == 302
    assert not _is_signed_in(app, cookie)


def test_logout_refused_by_get(client):
    assert client.get("/logout").status_code == 405


def test_inactive_account_cannot_sign_in(client):
    user = make_user(is_active_account=False)
    _db.session.commit()
    assert login(client, user).status_code == 400
    assert client.get(PRIVATE_PAGE).status_code == 302
