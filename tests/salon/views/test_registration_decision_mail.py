"""A registered organisation learns by e-mail that the organisers approved or refused its registration."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from salon.models import OrganisationMember, OutboxMessage
from tests.factories import login, make_fair, make_participant, make_user


def _mails(db):
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _scene(client, db):
    organiser = make_user(email="orga@cress.example")
    fair = make_fair(organiser=organiser, phase="wishes")
    registrant = make_user(email="lea@mainsvertes.example", full_name="Léa Martin")
    unconfirmed = make_user(email="jo@mainsvertes.example", email_confirmed_at=None)
    participant = make_participant(
        fair, "supplier", user=registrant, status="pending", name="ESAT Les Mains Vertes"
    )
    db.session.add(OrganisationMember(organisation=participant.organisation, user=unconfirmed))
    db.session.commit()
    return fair, organiser, registrant, participant


def test_approval_mails_the_registrant_in_french_with_a_working_link(client, db):
    fair, organiser, registrant, participant = _scene(client, db)
    login(client, organiser)
    url = f"/orga/fairs/{fair.id}/participants/{participant.id}/status"
    client.post(url, data={"status": "approved"})
    client.post(url, data={"status": "approved"})  # the same decision again tells nobody twice
    mails = _mails(db)
    assert [(m.to_address, m.kind) for m in mails] == [("lea@mainsvertes.example", "registration_decided")]
    assert mails[0].subject == f"{fair.name} : votre inscription est validée"
    assert "ont validé l’inscription de ESAT Les Mains Vertes" in mails[0].body_text
    link = next(w for w in mails[0].body_text.split() if w.startswith("http"))
    assert link.endswith(f"/p/{participant.id}/catalogue")
    client.post("/logout")
    login(client, registrant)
    assert client.get(urlsplit(link).path).status_code == 200


def test_refusal_mails_the_registrant_and_pending_again_mails_nobody(client, db):
    fair, organiser, _registrant, participant = _scene(client, db)
    login(client, organiser)
    url = f"/orga/fairs/{fair.id}/participants/{participant.id}/status"
    client.post(url, data={"status": "refused"})
    client.post(url, data={"status": "pending"})
    mails = _mails(db)
    assert [m.subject for m in mails] == [f"{fair.name} : votre inscription n’a pas été retenue"]
    assert "n’ont pas retenu l’inscription de ESAT Les Mains Vertes" in mails[0].body_text
    assert f"/fairs/{fair.slug}" in mails[0].body_text


def test_decision_mail_in_the_language_the_reader_chose(client, db):
    fair, organiser, registrant, participant = _scene(client, db)
    registrant.locale = "en"
    db.session.commit()
    login(client, organiser)
    client.post(f"/orga/fairs/{fair.id}/participants/{participant.id}/status", data={"status": "approved"})
    [mail] = _mails(db)
    assert mail.subject == f"{fair.name}: your registration is approved"
    assert "approved the registration of ESAT Les Mains Vertes" in mail.body_text
    assert '<html lang="en">' in mail.body_html
