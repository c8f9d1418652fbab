"""Organiser pages for participants: approve/refuse, add/edit, constraints, mandatory, exports.

The import pages: test_organiser_import.py.
"""

from __future__ import annotations

from salon.models import MandatoryMeeting, Participant
from tests.factories import login, make_fair, make_participant, make_user, make_wish


def setup(client, db):
    user = make_user()
    fair = make_fair(organiser=user)
    db.session.commit()
    login(client, user)
    return fair


def test_participants_list_in_french_and_filtered(client, db):
    fair = setup(client, db)
    make_participant(fair, "buyer", name="Ville de Lyon", status="pending")
    make_participant(fair, "supplier", name="ESAT Les Ateliers")
    db.session.commit()
    page = client.get(f"/orga/fairs/{fair.id}/participants?status=pending").get_data(as_text=True)
    assert "Ville de Lyon" in page and "ESAT Les Ateliers" not in page
    assert "En attente" in page and "Valider" in page


def test_approve_and_refuse_participant(client, db):
    fair = setup(client, db)
    p = make_participant(fair, status="pending")
    db.session.commit()
    client.post(f"/orga/fairs/{fair.id}/participants/{p.id}/status", data={"status": "approved"})
    assert db.session.get(Participant, p.id).status == "approved"
    client.post(
        f"/orga/fairs/{fair.id}/participants/{p.id}/status",
        data={"status": "refused", "back": "https://evil.example/"},
    )
    assert db.session.get(Participant, p.id).status == "refused"


def test_participant_of_other_fair_is_404(client, db):
    fair = setup(client, db)
    stranger = make_participant(make_fair())
    db.session.commit()
    assert client.get(f"/orga/fairs/{fair.id}/participants/{stranger.id}").status_code == 404
    assert (
        client.post(
            f"/orga/fairs/{fair.id}/participants/{stranger.id}/status", data={"status": "approved"}
        ).status_code
        == 404
    )


def test_add_participant_by_hand_and_refusal(client, db):
    fair = setup(client, db)
    response = client.post(
        f"/orga/fairs/{fair.id}/participants/new",
        data={"side": "supplier", "name": "SCOP Bâtir", "siret": "12345678901234"},
    )
    assert response.status_code == 422
    assert "SIRET" in response.get_data(as_text=True)
    response = client.post(
        f"/orga/fairs/{fair.id}/participants/new",
        data={"side": "supplier", "name": "SCOP Bâtir", "contact_email": "scop@batir.example"},
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(Participant).where(Participant.fair_id == fair.id)).side == "supplier"


def test_participant_added_by_hand_twice_is_refused_as_an_import_would(client, db):
    fair = setup(client, db)
    known = make_participant(fair, "supplier", name="Les Jardins de Cocagne")
    known.organisation.siret, known.organisation.contact_email = "10005543300005", "contact@jardins.example"
    db.session.commit()
    url = f"/orga/fairs/{fair.id}/participants/new"
    same_siret = {
        "side": "supplier",
        "name": "Coop Vélo",
        "siret": "100 055 433 00005",
        "contact_email": "v@x.example",
    }
    response = client.post(url, data=same_siret)
    assert response.status_code == 422
    assert "Les Jardins de Cocagne participe déjà à ce salon avec ce SIRET." in response.get_data(
        as_text=True
    )
    same_email = {"side": "buyer", "name": "Mairie", "contact_email": "Contact@Jardins.example"}
    response = client.post(url, data=same_email)
    assert "Les Jardins de Cocagne participe déjà à ce salon avec cette adresse e-mail." in response.get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 1
    assert client.post(url, data={**same_siret, "side": "buyer"}).status_code == 302  # the other profile


def test_constraints_saved_and_refused(client, db):
    fair = setup(client, db)
    p = make_participant(fair)
    db.session.commit()
    url = f"/orga/fairs/{fair.id}/participants/{p.id}/constraints"
    response = client.post(url, data={"min_meetings": "3", "max_meetings": "1"})
    assert response.status_code == 422
    slot_id, table_id = fair.slots[0].id, fair.tables[1].id
    response = client.post(
        url,
        data={
            "min_meetings": "1",
            "max_meetings": "4",
            "home_table_id": str(table_id),
            "unavailable": [str(slot_id)],
        },
    )
    assert response.status_code == 303
    p = db.session.get(Participant, p.id)
    assert (p.max_meetings, p.home_table_id, [s.id for s in p.unavailable_slots]) == (4, table_id, [slot_id])


def test_mandatory_meeting_added_and_removed(client, db):
    fair = setup(client, db)
    a, b = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    db.session.commit()
    response = client.post(
        f"/orga/fairs/{fair.id}/mandatory",
        data={"participant_a": a.id, "participant_b": b.id, "session_id": str(fair.sessions[1].id)},
    )
    assert response.status_code == 302
    mm = db.session.scalar(db.select(MandatoryMeeting))
    assert mm.session_id == fair.sessions[1].id
    client.post(f"/orga/fairs/{fair.id}/mandatory/{mm.id}/delete")
    assert db.session.scalars(db.select(MandatoryMeeting.id)).all() == []


def test_template_and_exports_download(client, db):
    fair = setup(client, db)
    a, b = make_participant(fair, "buyer", name="=cmd|' /C calc'!A0"), make_participant(fair)
    make_wish(a, b, 3)
    db.session.commit()
    template = client.get(f"/orga/fairs/{fair.id}/import/template.csv")
    assert template.data.startswith("\ufeffNom de la structure;Profil".encode())
    export = client.get(f"/orga/fairs/{fair.id}/export/participants.csv")
    assert "attachment" in export.headers["Content-Disposition"]
    assert "'=cmd" in export.data.decode("utf-8-sig")
    assert client.get(f"/orga/fairs/{fair.id}/export/wishes.xlsx").data[:2] == b"PK"
    assert client.get(f"/orga/fairs/{fair.id}/export/secrets.csv").status_code == 404
    assert client.get(f"/orga/fairs/{fair.id}/export/wishes.exe").status_code == 404
