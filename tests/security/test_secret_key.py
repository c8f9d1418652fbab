"""The secret key: no start without a strong one; every signer, the session and CSRF honour the fallbacks."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from itsdangerous import URLSafeSerializer

from salon import create_app
from salon.extensions import db as _db
from salon.keys import InsecureSecretKey, key_problem
from salon.models import Attendee, OrganiserInvitation, User
from salon.services import board, checkin, invitations, outcomes, password_reset, registration
from tests.factories import PASSWORD, STRONG_KEY, make_fair, make_participant, make_user

OLD_DEFAULT = "dev-only-secret-change-me"
NEW_KEY = secrets.token_hex(32)
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _app(database_url: str, config: str = "config.TestConfig", **settings):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, **settings}, config_object=config)


WEAK = {"missing": None, "empty": "", "old-default": OLD_DEFAULT,
        "test-key": "test-secret-key-not-for-production", "short": "short", "one-letter": "a" * 64,
        "repeated": "abc" * 30, "16-bytes": secrets.token_hex(16), "digits": "0123456789" * 3}  # fmt: skip
STRONG = {"hex-32": secrets.token_hex(32), "urlsafe-32": secrets.token_urlsafe(32),
          "urlsafe-48": secrets.token_urlsafe(48)}  # fmt: skip


@pytest.mark.parametrize("key", WEAK.values(), ids=WEAK.keys())
def test_production_app_refuses_to_start_without_a_strong_key(database_url, key):
    with pytest.raises(InsecureSecretKey) as refused:
        _app(database_url, "config.Config", SECRET_KEY=key)
    assert "SECRET_KEY" in str(refused.value)
    assert "secrets.token_hex(32)" in str(refused.value)


@pytest.mark.parametrize("key", STRONG.values(), ids=STRONG.keys())
def test_production_app_starts_with_a_random_key(database_url, key):
    assert key_problem(key) is None
    assert _app(database_url, "config.Config", SECRET_KEY=key).config["SECRET_KEY"] == key


def test_production_app_refuses_a_weak_fallback_key(database_url):
    with pytest.raises(InsecureSecretKey, match="SECRET_KEY_FALLBACKS"):
        _app(database_url, "config.Config", SECRET_KEY=STRONG_KEY, SECRET_KEY_FALLBACKS=[OLD_DEFAULT])


def test_gunicorn_refuses_to_boot_without_a_key(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "HOME": str(tmp_path)}
    gunicorn = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", "127.0.0.1:0", "salon:create_app()"]
    result = subprocess.run(gunicorn, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "token_hex(32)" in result.stderr


def test_commands_that_serve_no_request_start_without_a_key(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "HOME": str(tmp_path)}
    salon = [sys.executable, "-c", "from salon.cli import main; main()"]
    for command in (["db", "upgrade"], ["mail", "send", "--limit", "0"], ["compile-translations"]):
        result = subprocess.run([*salon, *command], env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (command, result.stderr[-2000:])


def _forged(salt: str, payload: dict) -> str:
    return URLSafeSerializer(OLD_DEFAULT, salt=salt).dumps(payload)


def test_links_forged_with_the_old_default_are_refused(db, database_url):
    fair = make_fair()
    fair.board_key = "k"
    participant = make_participant(fair)
    db.session.commit()
    production = _app(database_url, "config.Config", SECRET_KEY=STRONG_KEY)
    client = production.test_client()
    with production.app_context():
        expires = int(datetime.now(UTC).timestamp()) + 400 * 86400
        assert client.get(f"/board/{_forged(board.SALT, {'f': fair.id, 'k': 'k'})}").status_code == 404
        outcome = _forged(outcomes.SALT, {"p": participant.id, "f": fair.id, "e": expires})
        assert client.get(f"/p/outcomes/{outcome}").status_code in (400, 404)
        assert board.fair_from_board_token(board.board_token(db.session.get(type(fair), fair.id))) is not None


def _tokens(fair, participant, user, invitation, attendee) -> dict[str, str]:  # noqa: ANN001
    now = datetime.now(UTC)
    return {
        "board": board.board_token(fair),
        "outcome": outcomes.make_outcome_token(participant, now),
        "invitation": invitations.invitation_token(invitation),
        "checkin": checkin.make_checkin_token(attendee),
        "confirm": registration.confirmation_token(user),
        "password_reset": password_reset.reset_token(user),
    }


def _readable(tokens: dict[str, str], fair) -> dict[str, bool]:  # noqa: ANN001
    """Tell, for each signer, whether the current app accepts the token."""
    checks = {
        "board": lambda t: board.fair_from_board_token(t) is not None,
        "outcome": outcomes.participant_from_outcome_token,
        "invitation": invitations.invitation_from_token,
        "checkin": lambda t: checkin.attendee_from_token(fair, t),
        "confirm": registration.confirm_email,
        "password_reset": password_reset.user_from_token,
    }
    seen = {}
    for name, token in tokens.items():
        try:
            seen[name] = bool(checks[name](token))
        except Exception:  # noqa: BLE001  (each service has its own refusal)
            seen[name] = False
        _db.session.rollback()
    return seen


def test_every_signer_accepts_a_fallback_key_and_refuses_an_unknown_one(db, database_url):
    fair = make_fair(name="Salon")
    fair.board_key = "k"
    participant = make_participant(fair)
    user = make_user(email_confirmed_at=None)
    attendee = Attendee(participant=participant, full_name="Lou", email="lou@example.org")
    invitation = OrganiserInvitation(
        fair_id=fair.id, email="new@example.org", invited_by=user, expires_at=datetime(2099, 1, 1, tzinfo=UTC)
    )
    db.session.add_all([attendee, invitation])
    db.session.commit()
    ids = (fair.id, participant.id, user.id, invitation.id, attendee.id)
    old_key = STRONG_KEY
    with _app(database_url, SECRET_KEY=old_key).app_context():
        tokens = _tokens(*_rows(*ids))
    with _app(database_url, SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[old_key]).app_context():
        assert _readable(tokens, _rows(*ids)[0]) == dict.fromkeys(tokens, True)
    with _app(database_url, SECRET_KEY=NEW_KEY).app_context():
        assert _readable(tokens, _rows(*ids)[0]) == dict.fromkeys(tokens, False)


def _rows(fair_id, participant_id, user_id, invitation_id, attendee_id):  # noqa: ANN001, ANN202
    from salon.models import Fair, Participant

    get = _db.session.get
    return (get(Fair, fair_id), get(Participant, participant_id), get(User, user_id),
            get(OrganiserInvitation, invitation_id), get(Attendee, attendee_id))  # fmt: skip


def test_session_and_csrf_signed_with_a_fallback_key_are_accepted(db, database_url):
    user = make_user()
    db.session.commit()
    csrf = {"WTF_CSRF_ENABLED": True}
    old = _app(database_url, SECRET_KEY=STRONG_KEY, **csrf)
    rotated = _app(database_url, SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[STRONG_KEY], **csrf)
    unknown = _app(database_url, SECRET_KEY=NEW_KEY, **csrf)
    browser = old.test_client()  # each request in an app context of its own, as in production
    token = TOKEN.search(browser.get("/login").get_data(as_text=True)).group(1)
    form = {"email": user.email, "password": PASSWORD, "csrf_token": token}
    assert browser.post("/login", data=form).status_code == 302
    token = TOKEN.search(browser.get("/p/").get_data(as_text=True)).group(1)
    cookie = browser.get_cookie("session").value
    for app, expected in ((unknown, (302, 400)), (rotated, (200, 302))):
        client = app.test_client()
        client.set_cookie("session", cookie)
        signed_in = client.get("/p/").status_code
        sign_out = client.post("/logout", data={"csrf_token": token}).status_code
        assert (signed_in, sign_out) == expected, app.config["SECRET_KEY_FALLBACKS"]
