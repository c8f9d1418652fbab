"""Registration pages: create an account, confirm it by a signed link, refusals next to the field."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from salon.models import Organisation, OutboxMessage, Participant, User
from salon.services import registration
from tests.factories import PASSWORD, login, make_fair, make_organisation, make_user

GOOD = {
    "side": "supplier",
    "organisation_name": "Recyclerie du Lez",
    "siret": "732 829 320 00074",
    "full_name": "Alice Martin",
    "email": "alice@example.org",
    "phone": "",
    "password": PASSWORD,
    "password_again": PASSWORD,
    "consent": "y",
}


@pytest.fixture()
def fair(db):
    fair = make_fair(phase="registration", slug="coventis")
    db.session.commit()
    return fair


def _counts(db):
    return tuple(
        db.session.scalar(select(func.count()).select_from(m)) for m in (User, Organisation, Participant)
    )


def _error_next_to(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert match, f"no error next to {field}"
    return html.unescape(match.group(1))


def test_register_page_is_french(client, fair):
    page = client.get("/fairs/coventis/register").get_data(as_text=True)
    assert "Créer mon compte" in page
    assert "Numéro SIRET" in page


def test_register_creates_account_and_queues_confirmation(client, fair, db):
    response = client.post("/fairs/coventis/register", data=GOOD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/fairs/coventis/register/sent")
    user = db.session.scalar(select(User).where(User.email == "alice@example.org"))
    assert user.email_confirmed_at is None and user.consent_at is not None
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "alice@example.org"))
    assert message.kind == "confirm"
    assert "/register/confirm/" in message.body_text


def test_confirm_link_confirms_and_signs_in(client, fair, db):
    client.post("/fairs/coventis/register", data=GOOD)
    user = db.session.scalar(select(User).where(User.email == "alice@example.org"))
    token = registration.confirmation_token(user)
    response = client.get(f"/register/confirm/{token}")
    participant = db.session.scalar(select(Participant))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/p/{participant.id}/profile")
    assert db.session.get(User, user.id).email_confirmed_at is not None
    assert client.get(f"/p/{participant.id}/profile").status_code == 200


def test_confirm_link_reused_does_not_sign_in(client, fair, db):
    client.post("/fairs/coventis/register", data=GOOD)
    user = db.session.scalar(select(User).where(User.email == "alice@example.org"))
    token = registration.confirmation_token(user)
    client.get(f"/register/confirm/{token}")
    other = client.application.test_client()
    response = other.get(f"/register/confirm/{token}")
    assert response.headers["Location"].endswith("/login"), response.headers["Location"]


def test_confirm_link_altered_is_refused_in_french(client, fair, db):
    response = client.get("/register/confirm/not-a-token")
    assert response.status_code == 400
    assert "Ce lien de confirmation n'est pas valide." in html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "73282932000075", "SIRET"),
        ("siret", "1234", "14 chiffres"),
        ("email", "pas-une-adresse", "adresse e-mail valide"),
        ("organisation_name", "", "nom de l’organisation"),
        ("full_name", "", "votre nom"),
        ("password", "court", "12 caractères"),
        ("password_again", "autre chose encore", "différents"),
        ("consent", "", "Acceptez"),
        ("side", "visiteur", "acheteur ou comme fournisseur"),
    ],
)
def test_register_refuses_bad_input_next_to_field_and_changes_nothing(
    client, fair, db, field, value, message
):
    data = dict(GOOD, **{field: value})
    if field == "consent":
        data.pop("consent")
    response = client.post("/fairs/coventis/register", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in _error_next_to(page, field).replace("'", "’")
    assert _counts(db) == (0, 0, 0)


def test_register_refuses_email_already_used(client, fair, db):
    make_user(email="alice@example.org")
    db.session.commit()
    before = _counts(db)
    response = client.post("/fairs/coventis/register", data=GOOD)
    assert response.status_code == 422
    assert "Un compte utilise déjà cette adresse e-mail." in _error_next_to(
        response.get_data(as_text=True), "email"
    )
    assert _counts(db) == before


def test_register_closed_fair_shows_closed_page(client, db):
    make_fair(phase="scheduling", slug="ferme")
    db.session.commit()
    response = client.post("/fairs/ferme/register", data=GOOD)
    assert "Les inscriptions à ce salon sont closes." in response.get_data(as_text=True)
    assert _counts(db) == (0, 0, 0)


def test_signed_in_user_joins_with_existing_organisation(client, fair, db):
    user = make_user()
    org = make_organisation(name="Ma SCOP", user=user)
    db.session.commit()
    login(client, user)
    response = client.post("/fairs/coventis/register", data={"organisation": str(org.id), "side": "supplier"})
    assert response.status_code == 302
    participant = db.session.scalar(select(Participant))
    assert participant.organisation_id == org.id and participant.status == "pending"


def test_signed_in_user_cannot_join_with_someone_elses_organisation(client, fair, db):
    user = make_user()
    theirs = make_organisation(name="Pas à moi", user=make_user())
    db.session.commit()
    login(client, user)
    response = client.post(
        "/fairs/coventis/register",
        data={"organisation": str(theirs.id), "side": "buyer", "organisation_name": ""},
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Participant.id))) == 0


def test_signed_in_user_new_organisation_needs_a_name(client, fair, db):
    user = make_user()
    db.session.commit()
    login(client, user)
    response = client.post("/fairs/coventis/register", data={"organisation": "new", "side": "buyer"})
    assert response.status_code == 422
    assert "nom de l’organisation" in _error_next_to(
        response.get_data(as_text=True), "organisation_name"
    ).replace("'", "’")
    assert _counts(db)[1:] == (0, 0)


def test_register_is_rate_limited_per_address(client, fair, db, app):
    from salon.extensions import limiter

    app.config["SALON_REGISTER_LIMIT"] = "2 per hour"
    limiter.reset()
    try:
        for n in range(2):
            data = dict(GOOD, email=f"person{n}@example.org")
            assert client.post("/fairs/coventis/register", data=data).status_code == 302
        response = client.post("/fairs/coventis/register", data=dict(GOOD, email="third@example.org"))
        assert response.status_code == 429
    finally:
        app.config.pop("SALON_REGISTER_LIMIT")
        limiter.reset()
    assert db.session.scalar(select(func.count(User.id))) == 2
