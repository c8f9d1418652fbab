"""Forgotten password: same answer for any address, a one-hour single-use link, other sessions ended."""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from salon.models import OutboxMessage, User
from salon.services import password_reset
from tests.factories import PASSWORD, login, make_user
from tests.salon.mail_server import running_smtp_server

LINK = re.compile(r"http://localhost(/password/reset/\S+)")
NEW = "Brique7Sureau lagune"


@pytest.fixture()
def smtp_server(app, monkeypatch):
    yield from running_smtp_server(app, monkeypatch)


def _outbox(db) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _ask(client, db, email: str) -> str:
    response = client.post("/password/forgot", data={"email": email})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _link(db) -> str:
    return LINK.search(_outbox(db)[-1].body_text).group(1)


def test_login_page_offers_the_forgotten_password_link(client, db):
    page = client.get("/login").get_data(as_text=True)
    assert '<a href="/password/forgot">Mot de passe oublié ?</a>' in page


def test_same_answer_whether_or_not_the_address_has_an_account(client, db):
    make_user("known@example.org")
    known = _ask(client, db, "Known@Example.org")
    unknown = _ask(client, db, "nobody@example.org")
    assert known.replace("Known@Example.org", "X") == unknown.replace("nobody@example.org", "X")
    assert "Si un compte utilise" in known
    assert [m.to_address for m in _outbox(db)] == ["known@example.org"]
    assert _outbox(db)[0].subject == "Choisir un nouveau mot de passe"


def test_reset_sets_the_password_signs_in_and_ends_other_sessions(app, client, db):
    user = make_user("reset@example.org")
    db.session.commit()
    other_device = app.test_client()
    login(other_device, user)
    assert other_device.get("/p/").status_code == 200
    _ask(client, db, user.email)
    path = _link(db)
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW, "password_again": NEW})
    assert response.status_code == 303
    assert client.get("/p/").status_code == 200  # this browser is signed in
    assert other_device.get("/p/").status_code == 302  # the other session is over
    client.post("/logout")
    assert login(client, user, NEW).status_code == 302
    assert login(client, user, PASSWORD).status_code == 400


def test_used_link_is_refused_and_changes_nothing(client, db):
    user = make_user("once@example.org")
    _ask(client, db, user.email)
    path = _link(db)
    assert client.post(path, data={"password": NEW, "password_again": NEW}).status_code == 303
    client.post("/logout")
    hash_after = db.session.get(User, user.id).password_hash
    again = client.post(
        path, data={"password": "Autre mot2passe solide", "password_again": "Autre mot2passe solide"}
    )
    assert again.status_code == 400
    assert "Ce lien a déjà servi" in again.get_data(as_text=True)
    assert db.session.get(User, user.id).password_hash == hash_after


class _SignedAnHourAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 61 * 60


def test_expired_link_is_refused_and_changes_nothing(app, client, db):
    user = make_user("late@example.org")
    db.session.commit()
    before = user.password_hash
    # A token signed 61 minutes ago, as the service signs it.
    with app.test_request_context():
        serializer = URLSafeTimedSerializer(
            app.config["SECRET_KEY"], salt=password_reset.RESET_SALT, signer=_SignedAnHourAgo
        )
        token = serializer.dumps({"u": user.id, "f": password_reset._fingerprint(user)})
        assert password_reset.user_from_token(password_reset.reset_token(user)).id == user.id
    response = client.post(f"/password/reset/{token}", data={"password": NEW, "password_again": NEW})
    assert response.status_code == 400
    assert "Ce lien a expiré (il est valable une heure)" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).password_hash == before


def test_tampered_link_is_refused(client, db):
    user = make_user("tamper@example.org")
    _ask(client, db, user.email)
    path = _link(db)
    tampered = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
    response = client.get(tampered)
    assert response.status_code == 400
    assert "Ce lien n’est pas valide" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "password,message",
    [
        ("short pw", "Au moins 12 caractères."),
        ("azertyuiop123", "parmi les plus courants"),
        ("motdepasse2024", "parmi les plus courants"),
        ("Camille Dupont 1987", "construit à partir de votre nom"),
        ("dupont.camille@", "construit à partir de votre nom"),
        ("aaaaaaaaaaaaaaa", "trop facile à deviner"),
    ],
)
def test_weak_new_password_is_refused_and_the_link_still_works(client, db, password, message):
    user = make_user("camille.dupont@example.org", full_name="Camille Dupont")
    _ask(client, db, user.email)
    path = _link(db)
    before = db.session.get(User, user.id).password_hash
    response = client.post(path, data={"password": password, "password_again": password})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.get(User, user.id).password_hash == before
    assert client.get(path).status_code == 200


def test_reset_requests_are_rate_limited_per_address_asked(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "SALON_RESET_LIMIT_ACCOUNT", "2 per hour")
    make_user("limited@example.org")
    for addr in ("192.0.2.1", "192.0.2.2"):
        response = client.post(
            "/password/forgot", data={"email": "limited@example.org"}, environ_base={"REMOTE_ADDR": addr}
        )
        assert response.status_code == 200
    limited = client.post(
        "/password/forgot", data={"email": "limited@example.org"}, environ_base={"REMOTE_ADDR": "192.0.2.3"}
    )
    assert limited.status_code == 429
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    # An unknown address is limited the same way: the limit tells nothing either.
    for _ in range(2):
        client.post("/password/forgot", data={"email": "ghost@example.org"})
    assert client.post("/password/forgot", data={"email": "ghost@example.org"}).status_code == 429


def test_reset_mail_read_from_a_real_smtp_server(client, db, smtp_server):
    from salon.services.mail import send_pending

    user = make_user("smtp@example.org")
    _ask(client, db, user.email)
    assert send_pending().sent == 1
    [message] = smtp_server.inbox.messages
    path = LINK.search(message.get_body(preferencelist=("plain",)).get_content()).group(1)
    assert client.post(path, data={"password": NEW, "password_again": NEW}).status_code == 303


def test_password_change_needs_the_current_one_and_refuses_a_common_one(app, client, db):
    user = make_user("change@example.org", full_name="Lina Benali")
    db.session.commit()
    other_device = app.test_client()
    login(other_device, user)
    login(client, user)
    before = db.session.get(User, user.id).password_hash
    wrong = client.post(
        "/account/password", data={"current_password": "nope", "password": NEW, "password_again": NEW}
    )
    assert wrong.status_code == 422 and "Mot de passe incorrect." in wrong.get_data(as_text=True)
    common = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "password123456", "password_again": "password123456"},
    )
    assert common.status_code == 422 and "parmi les plus courants" in common.get_data(as_text=True)
    assert db.session.get(User, user.id).password_hash == before
    done = client.post(
        "/account/password", data={"current_password": PASSWORD, "password": NEW, "password_again": NEW}
    )
    assert done.status_code == 303
    assert client.get("/p/").status_code == 200
    assert other_device.get("/p/").status_code == 302
