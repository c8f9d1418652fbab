"""Input no form needs is refused: NUL characters anywhere, control characters in one-line text fields."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField
from wtforms.widgets import TextInput

from salon.extensions import db as _db
from salon.forms import auth as forms_auth
from salon.forms import organiser as forms_organiser
from salon.forms import participant as forms_participant
from salon.forms import registration as forms_registration
from salon.models import Fair, OutboxMessage, Participant, User
from salon.text import has_control_characters, single_line
from tests.factories import login, make_fair, make_user
from tests.salon.views.test_organiser_import import columns as import_columns
from tests.salon.views.test_organiser_import import step_url


def test_nul_in_form_refused_with_400(client):
    response = client.post("/login", data={"email": "a\x00@example.org", "password": "x" * 12})
    assert response.status_code == 400


def test_nul_in_query_and_path_refused_with_400(client):
    assert client.get("/?q=a%00b").status_code == 400
    assert client.get("/fairs/a%00b").status_code == 400


def test_nul_in_json_refused_with_400(client):
    response = client.post("/login", data='{"email": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 400


def test_ordinary_control_characters_still_reach_the_form(client):
    user = make_user()
    _db.session.commit()
    assert client.post("/login", data={"email": user.email, "password": "tab\there"}).status_code == 400
    assert login(client, user).status_code == 302
    assert _db.session.get(User, user.id) is not None


# --- one-line text fields: no line break, tab or control character (they end up in mail headers)

HOSTILE_NAMES = ["Fair Two\r\nBcc: attacker@evil.example", "Fair\nTwo", "Fair\tTwo", "Fair\x1bTwo",
                 "A\u2028B", "Acme \u202egnp.exe"]  # fmt: skip
SINGLE_LINE_WIDGETS = (TextInput,)  # e-mail, tel, URL and search inputs derive from it


def _all_forms() -> list[type]:
    forms = []
    for module in (forms_auth, forms_organiser, forms_participant, forms_registration):
        forms += [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, FlaskForm)]
    return [f for f in set(forms) if f is not FlaskForm]


def test_text_helpers_find_and_flatten_control_characters():
    assert [has_control_characters(n) for n in HOSTILE_NAMES] == [True] * len(HOSTILE_NAMES)
    assert not has_control_characters("Œuvre d’art — « ESS » 👩‍👩‍👧 2027")
    assert single_line("Fair Two\r\nBcc: attacker@evil.example") == "Fair Two Bcc: attacker@evil.example"
    assert single_line(None) == ""


def test_every_single_line_text_field_refuses_control_characters(app):
    missing = []
    with app.test_request_context():
        for form_class in _all_forms():
            for field in form_class(meta={"csrf": False}):
                one_line = isinstance(field.widget, SINGLE_LINE_WIDGETS) and not isinstance(
                    field, PasswordField
                )
                if one_line and not field.flags.single_line:
                    missing.append(f"{form_class.__name__}.{field.name}")
    assert len(_all_forms()) > 15
    assert missing == []


def _organiser_with_fair(client):
    user = make_user(can_create_fairs=True)
    fair = make_fair(name="Salon ESS", organiser=user)
    _db.session.commit()
    login(client, user)
    return fair


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_fair_name_with_control_characters_refused(client, name):
    fair = _organiser_with_fair(client)
    data = {"name": name, "timezone": "Europe/Paris", "meeting_minutes": "20", "weight_high": "10",
            "weight_mid": "3", "weight_low": "1"}  # fmt: skip
    response = client.post(f"/orga/fairs/{fair.id}/settings", data=data)
    assert response.status_code == 422
    assert "sur une seule ligne, sans retour à la ligne" in response.get_data(as_text=True)
    assert _db.session.get(Fair, fair.id).name == "Salon ESS"


def test_registration_with_line_break_in_names_refused(client):
    fair = make_fair(phase="registration")
    _db.session.commit()
    password = "long enough password"
    data = {"side": "supplier", "organisation_name": "ESAT\r\nBcc: x@evil.example", "full_name": "Lou\nBcc",
            "email": "lou@example.org", "password": password, "password_again": password,
            "consent": "y"}  # fmt: skip
    response = client.post(f"/fairs/{fair.slug}/register", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count("sur une seule ligne, sans retour à la ligne") == 2
    assert _db.session.scalar(select(User).where(User.email == "lou@example.org")) is None


def test_organiser_message_subject_with_line_break_refused(client):
    fair = _organiser_with_fair(client)
    data = {"subject": "Café\r\nBcc: x@evil.example", "body": "Servi."}
    response = client.post(f"/orga/fairs/{fair.id}/day/message", data=data)
    assert response.status_code == 422
    assert "sur une seule ligne" in response.get_data(as_text=True)
    assert _db.session.scalars(select(OutboxMessage)).all() == []


def test_table_name_with_control_character_refused(client):
    fair = _organiser_with_fair(client)
    before = sorted(t.name for t in fair.tables)
    response = client.post(f"/orga/fairs/{fair.id}/tables", data={"names": "A\nB\x1bC"})
    assert response.status_code == 422
    assert "sur une seule ligne" in response.get_data(as_text=True)
    _db.session.expire_all()
    assert sorted(t.name for t in _db.session.get(Fair, fair.id).tables) == before


def test_import_row_puts_a_multi_line_name_on_one_line_and_refuses_control_characters(client):
    """A line break in a spreadsheet cell is layout: the name goes on one line; an escape is refused."""
    fair = _organiser_with_fair(client)
    csv = (
        "Nom de la structure;Profil;E-mail\r\n"
        '"Ville\r\nBcc: x@evil.example";acheteur;achats@lyon.example\r\n'
        '"Régie\x1b[31m";acheteur;regie@lyon.example\r\n'
    )
    response, upload_id = import_columns(client, fair, csv.encode())
    assert client.post(step_url(fair, upload_id, "values")).status_code == 303
    response = client.post(step_url(fair, upload_id, "check"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        "<td>3</td><td>Nom de la structure</td><td>Les caractères de contrôle ne sont pas acceptés." in page
    )
    assert _db.session.scalars(select(Participant)).all() == []
    csv = (
        'Nom de la structure;Profil;E-mail\r\n"Ville\r\nBcc: x@evil.example";acheteur;achats@lyon.example\r\n'
    )
    response, upload_id = import_columns(client, fair, csv.encode())
    assert client.post(step_url(fair, upload_id, "values")).status_code == 303
    assert client.post(step_url(fair, upload_id, "check")).status_code == 303
    names = [p.organisation.name for p in _db.session.scalars(select(Participant))]
    assert names == ["Ville Bcc: x@evil.example"]
