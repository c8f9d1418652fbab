"""The application factory and the home page in both languages."""

from __future__ import annotations

from salon import create_app


def test_factory_applies_overrides():
    from tests.factories import STRONG_KEY

    overrides = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SALON_TIMEZONE": "America/Cayenne"}
    app = create_app({**overrides, "SECRET_KEY": STRONG_KEY})
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


def test_home_page_links_open_fairs_but_not_drafts(client, db):
    from tests.factories import make_fair

    make_fair(name="Coventis 2027", slug="coventis-2027", phase="registration")
    make_fair(name="Brouillon secret", slug="brouillon", phase="draft")
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert 'href="/fairs/coventis-2027"' in page
    assert "Brouillon secret" not in page


def test_organiser_menu_only_for_organisers(client, db):
    from tests.factories import login, make_fair, make_user

    participant, organiser = make_user(), make_user()
    make_fair(organiser=organiser)
    db.session.commit()
    login(client, participant)
    assert 'href="/orga/"' not in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(client, organiser)
    assert 'href="/orga/"' in client.get("/").get_data(as_text=True)


def test_url_ids_beyond_an_integer_column_answer_404(client):
    assert client.get("/orga/fairs/2147483648/").status_code == 404
    assert client.get("/p/99999999999999999999/agenda").status_code == 404
