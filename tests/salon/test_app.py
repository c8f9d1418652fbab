"""The application factory and the home page in both languages."""

from __future__ import annotations

from salon import create_app


def test_factory_applies_overrides():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SALON_TIMEZONE": "America/Cayenne"})
    assert app.config["SALON_TIMEZONE"] == "America/Cayenne"
    assert app.config["TESTING"] is False


def test_factory_registers_audience_blueprints(app):
    assert {"public", "participant", "organiser", "auth"} <= set(app.blueprints)
    assert app.blueprints["organiser"].url_prefix == "/orga"
    assert app.blueprints["participant"].url_prefix == "/p"


def test_home_page_is_french_by_default(client):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="fr">' in page
    assert "Rendez-vous d'affaires de l'économie sociale et solidaire" in page
    assert "Se connecter" in page


def test_home_page_switches_to_english(client):
    response = client.get("/lang/en?next=/", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Business meetings for the social and solidarity economy" in page
    assert "Sign in" in page


def test_language_switch_refuses_external_redirect(client):
    response = client.get("/lang/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_unknown_page_answers_404_in_french(client):
    response = client.get("/nope")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)
