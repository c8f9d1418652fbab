"""The agenda link of the "agenda published" e-mail: the agenda without an account, read-only, per address."""

from __future__ import annotations

import html

from icalendar import Calendar
from sqlalchemy import select

from salon.extensions import db as _db
from salon.models import OutboxMessage
from salon.preparing import prepare_all
from salon.services.agenda_links import agenda_link, agenda_token
from salon.services.notifications import meeting_published
from tests.salon.calendar_helpers import add_attendee
from tests.salon.views.participant_scene import build_scene, make_meeting

BASE = "http://localhost"


def _path(participant_id: int, address: str) -> str:
    return agenda_link(participant_id, address).removeprefix(BASE)


def _published(client, db):
    scene = build_scene(client, phase="published")
    meeting = make_meeting(scene.buyer, scene.recyclerie, slot_index=1, table_index=2)
    db.session.commit()
    client.post("/logout")  # the link is followed by someone without an account
    return scene, meeting


def test_link_in_the_agenda_email_opens_the_agenda_without_an_account(client, db):
    scene, meeting = _published(client, db)
    # The imported supplier has no account and no listed person: its contact address gets the e-mail.
    meeting_published(scene.recyclerie)
    prepare_all()
    _db.session.commit()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "agenda_published"))
    assert message.to_address == "bonjour@recyclerie.example"
    link = _path(scene.recyclerie.id, "bonjour@recyclerie.example")
    assert BASE + link in message.body_text and BASE + link in message.body_html
    response = client.get(link)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "Planning de Recyclerie du Lez" in page and "1 rendez-vous" in page
    assert "09:25–09:45" in page and "Table" in page and "Ville de Montpellier" in page  # Paris time
    assert "Cette page se consulte seulement" in page
    assert "Demandez une invitation aux organisateurs" in page
    assert 'href="/p/' not in page  # no page that needs an account, but signing in
    assert f'href="/login?next=/p/{scene.recyclerie.id}/agenda"' in page
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    ics = client.get(link + ".ics")
    assert ics.status_code == 200 and ics.headers["Content-Type"].startswith("text/calendar")
    events = [e for e in Calendar.from_ical(ics.data).walk("VEVENT")]
    assert [str(e["uid"]) for e in events] == [meeting.uid]


def test_link_shows_nothing_before_publication(client, db):
    scene = build_scene(client, phase="scheduling")
    make_meeting(scene.buyer, scene.recyclerie)
    db.session.commit()
    client.post("/logout")
    link = _path(scene.recyclerie.id, "bonjour@recyclerie.example")
    page = html.unescape(client.get(link).get_data(as_text=True))
    assert "dès que l'organisateur aura publié" in page and "Ville de Montpellier" not in page
    assert client.get(link + ".ics").status_code == 404


def test_link_is_refused_when_tampered_sent_elsewhere_or_the_person_removed(client, db):
    scene, _meeting = _published(client, db)
    person = add_attendee(scene.buyer, "Léa Martin", "lea@ville.example")
    db.session.commit()
    lea = _path(scene.buyer.id, "lea@ville.example")
    assert client.get(lea).status_code == 200
    assert client.get(_path(scene.buyer.id, "LEA@ville.example ")).status_code == 200  # same address
    token = agenda_token(scene.buyer.id, "lea@ville.example")
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    # Another participant's address, another participant's id, a forged signature: 404, nothing shown.
    for path in (
        f"/agenda/{tampered}",
        _path(scene.buyer.id, "bonjour@recyclerie.example"),
        _path(scene.other_buyer.id, "lea@ville.example"),
        _path(scene.elsewhere.id, "lea@ville.example"),
        "/agenda/not-a-token",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Recyclerie du Lez" not in response.get_data(as_text=True)
        assert client.get(path + ".ics").status_code == 404
    db.session.delete(person)
    db.session.commit()
    assert client.get(lea).status_code == 404  # the person left the list: their link ends
