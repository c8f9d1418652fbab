"""Registering for an entry the organisers made: claimed by its address, or by its SIRET with approval."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from salon.models import Organisation, OrganisationMember, OutboxMessage, Participant, ParticipantClaim, User
from salon.services.participants_admin import create_participant
from tests.factories import PASSWORD, login, make_fair, make_user

CONFIRM = re.compile(r"http://localhost(/register/confirm/\S+)")
SIRET = "73282932000074"
FORM = {
    "side": "supplier",
    "organisation_name": "Recyclerie (nouvelle fiche)",
    "siret": "",
    "full_name": "Alice Martin",
    "email": "alice@recyclerie.example",
    "phone": "",
    "password": PASSWORD,
    "password_again": PASSWORD,
    "consent": "y",
}


def _scene(db):
    organiser = make_user(can_create_fairs=True)
    fair = make_fair(name="Salon ESS", organiser=organiser, phase="registration", slug="salon-ess")
    entry = create_participant(
        fair,
        "supplier",
        {"name": "Recyclerie du Lez", "contact_email": "alice@recyclerie.example", "siret": SIRET},
    )
    db.session.commit()
    return organiser, fair, entry


def _counts(db) -> tuple[int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Organisation, Participant))


def _confirm(client, db, email: str):
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.to_address == email, OutboxMessage.kind == "confirm")
    )
    return client.get(CONFIRM.search(message.body_text).group(1))


def test_registering_with_the_entrys_address_claims_it_once_confirmed(client, db):
    organiser, fair, entry = _scene(db)
    before = _counts(db)
    response = client.post("/fairs/salon-ess/register", data=FORM, follow_redirects=True)
    assert "Les organisateurs avaient déjà inscrit Recyclerie du Lez avec votre adresse" in response.get_data(
        as_text=True
    )
    assert _counts(db) == before  # no second organisation, no second participation
    user = db.session.scalar(select(User).where(User.email == FORM["email"]))
    assert db.session.get(Participant, entry.id).organisation.members == []  # not before confirmation
    confirmed = _confirm(client, db, FORM["email"])
    assert confirmed.headers["Location"] == f"/p/{entry.id}/profile"
    assert [m.user_id for m in db.session.get(Participant, entry.id).organisation.members] == [user.id]
    assert db.session.scalar(select(ParticipantClaim)).status == "approved"
    client.post("/logout")
    login(client, organiser)
    page = client.get(f"/orga/fairs/{fair.id}/participants").get_data(as_text=True)
    row = page[page.index("Recyclerie du Lez</a>") :]
    assert (
        "Inscrit" in row[: row.index("</tr>")]
        and "en s’inscrivant avec son adresse" in row[: row.index("</tr>")]
    )


def test_siret_alone_waits_for_the_organisers_approval(client, db):
    organiser, fair, entry = _scene(db)
    before = _counts(db)
    form = {**FORM, "email": "bob@ailleurs.example", "full_name": "Bob Durand", "siret": "732 829 320 00074"}
    page = client.post("/fairs/salon-ess/register", data=form, follow_redirects=True).get_data(as_text=True)
    assert "(même numéro SIRET)" in page
    assert _counts(db) == before
    claim = db.session.scalar(select(ParticipantClaim))
    assert (claim.via, claim.status) == ("siret", "waiting")
    login(client, organiser)
    participants_url = f"/orga/fairs/{fair.id}/participants"
    assert "Demandes pour agir au nom d’un participant" not in client.get(participants_url).get_data(
        as_text=True
    )
    client.post("/logout")
    _confirm(client, db, "bob@ailleurs.example")
    bob = db.session.scalar(select(User).where(User.email == "bob@ailleurs.example"))
    assert db.session.get(Participant, entry.id).organisation.members == []  # confirmed, still waiting
    home = client.get("/p/").get_data(as_text=True)
    assert "les organisateurs vérifient que vous agissez pour cette structure" in home
    assert client.get(f"/p/{entry.id}/profile").status_code == 404
    client.post("/logout")
    login(client, organiser)
    page = client.get(participants_url).get_data(as_text=True)
    assert "Demandes pour agir au nom d’un participant" in page and "bob@ailleurs.example" in page
    dashboard = client.get(f"/orga/fairs/{fair.id}/").get_data(as_text=True)
    assert "1 demande pour agir au nom d’un participant attend votre accord." in dashboard
    approved = client.post(f"/orga/fairs/{fair.id}/claims/{claim.id}", data={"decision": "approve"})
    assert approved.status_code == 303
    assert [m.user_id for m in db.session.get(Participant, entry.id).organisation.members] == [bob.id]
    assert db.session.get(ParticipantClaim, claim.id).decided_by_id == organiser.id
    dashboard = client.get(f"/orga/fairs/{fair.id}/").get_data(as_text=True)
    assert "attend votre accord" not in dashboard
    assert "<strong>1</strong> avec un compte (1 en s’inscrivant)" in dashboard
    told = _decision_mail(db, "bob@ailleurs.example")
    assert told.subject == "Salon ESS : vous agissez désormais pour Recyclerie du Lez"
    assert "Les organisateurs de Salon ESS ont accepté votre demande" in told.body_text
    link = re.search(r"http://localhost(/p/\d+/profile)", told.body_text).group(1)
    assert link in told.body_html
    client.post("/logout")
    login(client, bob)
    assert "Recyclerie du Lez" in client.get(link).get_data(as_text=True)


def _decision_mail(db, email: str) -> OutboxMessage:
    """Return the one e-mail that told `email` the organisers' decision on its request."""
    (message,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == email, OutboxMessage.kind == "claim_decided")
    ).all()
    return message


def test_organiser_refuses_a_siret_claim(client, db):
    organiser, fair, entry = _scene(db)
    intruder = make_user("intrus@ailleurs.example")
    db.session.add(ParticipantClaim(fair_id=fair.id, participant=entry, user=intruder, via="siret"))
    db.session.commit()
    claim = db.session.scalar(select(ParticipantClaim))
    login(client, organiser)
    assert (
        client.post(f"/orga/fairs/{fair.id}/claims/{claim.id}", data={"decision": "refuse"}).status_code
        == 303
    )
    assert db.session.get(ParticipantClaim, claim.id).status == "refused"
    assert db.session.scalar(select(func.count()).select_from(OrganisationMember)) == 0
    told = _decision_mail(db, "intrus@ailleurs.example")
    assert told.subject == "Salon ESS : votre demande n’a pas été acceptée"
    assert "n’ont pas accepté votre demande d’agir pour Recyclerie du Lez" in told.body_text
    assert "http://localhost/fairs/salon-ess/register" in told.body_text
    again = client.post(
        f"/orga/fairs/{fair.id}/claims/{claim.id}", data={"decision": "approve"}, follow_redirects=True
    )
    assert "Cette demande n’est plus en attente." in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(OrganisationMember)) == 0
    _decision_mail(db, "intrus@ailleurs.example")  # still one: a refused decision is not sent twice


def test_claim_of_another_fair_is_404(client, db):
    organiser, fair, entry = _scene(db)
    other_organiser = make_user()
    other_fair = make_fair(organiser=other_organiser)
    db.session.add(ParticipantClaim(fair_id=fair.id, participant=entry, user=make_user(), via="siret"))
    db.session.commit()
    claim = db.session.scalar(select(ParticipantClaim))
    login(client, other_organiser)
    assert (
        client.post(
            f"/orga/fairs/{other_fair.id}/claims/{claim.id}", data={"decision": "approve"}
        ).status_code
        == 404
    )
    assert db.session.get(ParticipantClaim, claim.id).status == "waiting"


def test_signed_in_person_joining_with_the_entrys_address_acts_for_it_at_once(client, db):
    organiser, fair, entry = _scene(db)
    alice = make_user("alice@recyclerie.example")
    db.session.commit()
    login(client, alice)
    before = _counts(db)
    response = client.post(
        "/fairs/salon-ess/register",
        data={"side": "supplier", "organisation": "new", "organisation_name": "Autre"},
    )
    assert response.headers["Location"] == f"/p/{entry.id}/profile"
    assert _counts(db) == before
    assert [m.user_id for m in db.session.get(Participant, entry.id).organisation.members] == [alice.id]


def test_a_new_organisation_without_match_registers_as_before(client, db):
    organiser, fair, entry = _scene(db)
    before = _counts(db)
    form = {**FORM, "email": "carole@autre.example", "organisation_name": "Autre structure"}
    assert client.post("/fairs/salon-ess/register", data=form).status_code == 302
    assert _counts(db) == (before[0] + 1, before[1] + 1)
    assert db.session.scalar(select(func.count()).select_from(ParticipantClaim)) == 0


def test_registration_refuses_common_and_personal_passwords_and_creates_nothing(client, db):
    _scene(db)
    before = (*_counts(db), db.session.scalar(select(func.count()).select_from(User)))
    for password, message in (
        ("azertyuiop2027", "parmi les plus courants"),
        ("Alice Martin 1990", "construit à partir de votre nom"),
        ("Recyclerie nouvelle fiche", "construit à partir de votre nom"),
    ):
        form = {**FORM, "email": "new@example.org", "password": password, "password_again": password}
        response = client.post("/fairs/salon-ess/register", data=form)
        assert response.status_code == 422, password
        assert message in response.get_data(as_text=True), password
    assert (*_counts(db), db.session.scalar(select(func.count()).select_from(User))) == before
