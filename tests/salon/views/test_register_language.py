"""Registering on the English page: the confirmation reads as English, and later e-mails stay in English."""

from __future__ import annotations

from sqlalchemy import select

from salon.models import OutboxMessage, User
from tests.factories import make_fair

PASSWORD = "Seaside-harbour-2027!"


def _register(client, fair):
    data = {"side": "buyer", "organisation_name": "City of Sète", "full_name": "John Smith",
            "email": "john@sete.example", "password": PASSWORD, "password_again": PASSWORD,
            "consent": "y"}  # fmt: skip
    assert client.post(f"/fairs/{fair.slug}/register", data=data).status_code == 302


def test_english_registration_confirmation_and_account_language(client, db):
    fair = make_fair(name="Coventis 2027", phase="registration", slug="coventis")
    db.session.commit()
    client.get("/lang/en")
    _register(client, fair)
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "confirm"))
    assert "finish your registration for “Coventis 2027”, open this link:" in mail.body_text
    assert db.session.scalar(select(User)).locale == "en"


def test_french_registration_confirmation_unchosen_language_not_kept(client, db):
    fair = make_fair(name="Coventis 2027", phase="registration", slug="coventis")
    db.session.commit()
    _register(client, fair)
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "confirm"))
    assert "terminer votre inscription à « Coventis 2027 », ouvrez ce lien" in mail.body_text
    assert db.session.scalar(select(User)).locale is None
