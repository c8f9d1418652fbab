"""Where signing in lands: the organiser's fairs, the participant's fair, or the page asked for."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_fair, make_participant, make_user


def _sign_in(client, user, next_: str | None = None):
    url = "/login" if next_ is None else "/login?next=" + next_
    response = client.post(url, data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response.headers["Location"]


def test_organiser_lands_on_their_fairs(client, db):
    organiser = make_user()
    make_fair(organiser=organiser)
    db.session.commit()
    assert _sign_in(client, organiser) == "/orga/"


def test_participant_of_one_fair_lands_on_its_profile_then_its_agenda_once_published(client, db):
    person = make_user()
    fair = make_fair(phase="wishes")
    participant = make_participant(fair, user=person)
    db.session.commit()
    assert _sign_in(client, person) == f"/p/{participant.id}/profile"
    client.post("/logout")
    fair.phase = "published"
    db.session.commit()
    assert _sign_in(client, person) == f"/p/{participant.id}/agenda"


def test_participant_of_several_fairs_lands_on_the_list(client, db):
    person = make_user()
    for _ in range(2):
        make_participant(make_fair(phase="wishes"), user=person)
    db.session.commit()
    assert _sign_in(client, person) == "/p/"


def test_person_who_organises_and_takes_part_lands_on_their_fairs_with_both(client, db):
    person = make_user()
    make_fair(name="Salon organisé", organiser=person)
    participant = make_participant(make_fair(name="Salon visité", phase="wishes"), user=person)
    db.session.commit()
    assert _sign_in(client, person) == "/orga/"
    page = client.get("/orga/").get_data(as_text=True)
    assert "Salon organisé" in page and "Salons auxquels je participe" in page
    assert f"/p/{participant.id}/profile" in page


def test_new_account_without_fair_lands_on_its_space(client, db):
    person = make_user()
    db.session.commit()
    assert _sign_in(client, person) == "/p/"


def test_next_is_kept(client, db):
    person = make_user()
    participant = make_participant(make_fair(phase="wishes"), user=person)
    db.session.commit()
    assert _sign_in(client, person, f"/p/{participant.id}/wishes") == f"/p/{participant.id}/wishes"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/%09/evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_leaving_the_site_is_ignored(client, db, target):
    person = make_user()
    participant = make_participant(make_fair(phase="wishes"), user=person)
    db.session.commit()
    assert _sign_in(client, person, target) == f"/p/{participant.id}/profile"
