"""Organiser pages: fairs, dashboard, settings, phase, slots, tables, co-organisers."""

from __future__ import annotations

from salon.models import Fair, OrganiserMembership
from tests.factories import login, make_fair, make_participant, make_user


def organiser_client(client, db, **fair_fields):
    user = make_user(can_create_fairs=True)
    fair = make_fair(organiser=user, **fair_fields)
    db.session.commit()
    login(client, user)
    return user, fair


def test_create_fair_with_preset_redirects_to_dashboard(client, db):
    user = make_user(can_create_fairs=True)
    db.session.commit()
    login(client, user)
    response = client.post(
        "/orga/fairs/new",
        data={"name": "Coventis 2027", "preset": "coventis", "first_day": "2027-03-18", "days": "1"},
    )
    assert response.status_code == 302
    fair = db.session.scalar(db.select(Fair).where(Fair.name == "Coventis 2027"))
    assert (len(fair.tables), len(fair.slots)) == (60, 16)
    page = client.get(response.headers["Location"])
    assert "Tableau de bord" in page.get_data(as_text=True)


def test_fair_created_without_preset_keeps_its_days_for_the_slots(client, db):
    user = make_user(can_create_fairs=True)
    db.session.commit()
    login(client, user)
    data = {"name": "Rencontres Lyon", "preset": "", "first_day": "2027-03-25", "days": "2"}
    response = client.post("/orga/fairs/new", data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    fair = db.session.scalar(db.select(Fair).where(Fair.name == "Rencontres Lyon"))
    assert response.request.path == f"/orga/fairs/{fair.id}/slots"
    assert "Indiquez maintenant les horaires de ses demi-journées" in page
    assert '<textarea id="days" name="days" required>\r\n2027-03-25\n2027-03-26</textarea>' in page
    times = {"am_start": "09:00", "am_end": "12:30", "pm_start": "14:00", "pm_end": "17:30"}
    client.post(f"/orga/fairs/{fair.id}/slots", data={"days": "2027-03-25\n2027-03-26", **times})
    db.session.expire_all()
    assert sorted({s.day.isoformat() for s in fair.sessions}) == ["2027-03-25", "2027-03-26"]


def test_create_fair_refused_without_right(client, db):
    user = make_user()
    db.session.commit()
    login(client, user)
    response = client.post("/orga/fairs/new", data={"name": "Salon"})
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Fair.id))) == 0


def test_dashboard_of_other_fair_is_404(client, db):
    user, fair = organiser_client(client, db)
    other = make_fair()
    db.session.commit()
    assert client.get(f"/orga/fairs/{fair.id}/").status_code == 200
    for path in ("/", "/settings", "/slots", "/participants", "/schedule", "/meetings", "/organisers"):
        assert client.get(f"/orga/fairs/{other.id}{path}").status_code == 404


def test_dashboard_needs_login(client, db):
    fair = make_fair()
    db.session.commit()
    assert client.get(f"/orga/fairs/{fair.id}/").status_code == 302


def test_settings_saved_and_refused(client, db):
    user, fair = organiser_client(client, db)
    data = {
        "name": "Salon ESS",
        "timezone": "Europe/Paris",
        "meeting_minutes": "25",
        "pause_minutes": "5",
        "weight_high": "10",
        "weight_mid": "3",
        "weight_low": "1",
        "registration_deadline": "2027-03-01T18:00",
        "wishes_deadline": "2027-02-01T18:00",
    }
    response = client.post(f"/orga/fairs/{fair.id}/settings", data=data)
    assert response.status_code == 422
    assert "souhaits" in response.get_data(as_text=True)
    data["wishes_deadline"] = "2027-03-10T18:00"
    assert client.post(f"/orga/fairs/{fair.id}/settings", data=data).status_code == 302
    fair = db.session.get(Fair, fair.id)
    assert (fair.name, fair.meeting_minutes, fair.wishes_deadline.hour) == ("Salon ESS", 25, 17)


def test_a_deadline_after_the_fair_begins_is_refused(client, db):
    user, fair = organiser_client(client, db)  # the fair begins on Thursday 18 March 2027 at 09:00
    data = {"name": fair.name, "timezone": "Europe/Paris", "meeting_minutes": "20", "pause_minutes": "5",
            "weight_high": "10", "weight_mid": "3", "weight_low": "1",
            "registration_deadline": "2027-03-01T18:00", "wishes_deadline": "2027-04-10T18:00"}  # fmt: skip
    response = client.post(f"/orga/fairs/{fair.id}/settings", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Une date limite doit précéder le début du salon (jeudi 18 mars 2027, 09:00)." in page
    assert db.session.get(Fair, fair.id).wishes_deadline is None
    data["wishes_deadline"] = "2027-03-18T08:00"
    assert client.post(f"/orga/fairs/{fair.id}/settings", data=data).status_code == 302


def test_phase_change_and_refusal(client, db):
    user, fair = organiser_client(client, db)
    client.post(f"/orga/fairs/{fair.id}/phase", data={"phase": "registration"})
    assert db.session.get(Fair, fair.id).phase == "registration"
    response = client.post(f"/orga/fairs/{fair.id}/phase", data={"phase": "published"}, follow_redirects=True)
    assert "ne peut pas passer" in response.get_data(as_text=True)
    assert db.session.get(Fair, fair.id).phase == "registration"


def test_slots_generated_and_tables_named(client, db):
    user, fair = organiser_client(client, db)
    data = {"days": "2027-04-01\n2027-04-02", "am_start": "09:00", "am_end": "10:00"}
    response = client.post(f"/orga/fairs/{fair.id}/slots", data=data)
    assert (
        response.status_code == 303 and "/slots/regenerate?" in response.headers["Location"]
    )  # confirm first
    response = client.post(f"/orga/fairs/{fair.id}/slots", data={**data, "confirmed": "1"})
    assert response.status_code == 302
    assert len(db.session.get(Fair, fair.id).slots) == 4
    client.post(f"/orga/fairs/{fair.id}/tables", data={"names": "A\nB"})
    assert [t.name for t in db.session.get(Fair, fair.id).tables] == ["A", "B"]
    assert (
        client.post(
            f"/orga/fairs/{fair.id}/slots", data={"days": "hier", "am_start": "09:00", "am_end": "10:00"}
        ).status_code
        == 422
    )


def test_invite_co_organiser_and_refusals(client, db):
    user, fair = organiser_client(client, db)
    other = make_user()
    db.session.commit()
    assert (
        client.post(
            f"/orga/fairs/{fair.id}/organisers", data={"email": other.email, "role": "organiser"}
        ).status_code
        == 302
    )
    response = client.post(
        f"/orga/fairs/{fair.id}/organisers", data={"email": other.email, "role": "organiser"}
    )
    assert response.status_code == 422
    owner = db.session.scalar(db.select(OrganiserMembership).where(OrganiserMembership.user_id == user.id))
    client.post(f"/orga/fairs/{fair.id}/organisers/{owner.id}/remove")
    assert db.session.get(OrganiserMembership, owner.id) is not None


def test_half_days_are_named_in_the_readers_language(client, db):
    user = make_user(can_create_fairs=True)
    fair = make_fair(organiser=user)
    participant = make_participant(fair, "buyer")
    db.session.commit()
    login(client, user)
    times = {"am_start": "09:00", "am_end": "12:00", "pm_start": "14:00", "pm_end": "17:00"}
    client.post(f"/orga/fairs/{fair.id}/slots", data={"days": "2027-03-25", "confirmed": "1", **times})
    french = client.get(f"/orga/fairs/{fair.id}/slots").get_data(as_text=True)
    assert "<h3>jeudi 25 mars — matin</h3>" in french and "<h3>jeudi 25 mars — après-midi</h3>" in french
    with client.session_transaction() as session:
        session["lang"] = "en"
    english = client.get(f"/orga/fairs/{fair.id}/slots").get_data(as_text=True)
    assert "<h3>Thursday 25 March — morning</h3>" in english and "mars" not in english
    constraints = client.get(f"/orga/fairs/{fair.id}/participants/{participant.id}").get_data(as_text=True)
    assert "Thursday 25 March — afternoon 14:00" in constraints and "après-midi" not in constraints
