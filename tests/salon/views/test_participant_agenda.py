"""Agenda page: meetings with time, table and counterpart contact; free slots; calendar link; privacy."""

from __future__ import annotations

import html

from salon.models import Attendee
from tests.salon.views.participant_scene import build_scene, make_meeting


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_agenda_before_publishing_says_so(client, db):
    scene = build_scene(client)
    page = _page(client, f"/p/{scene.buyer.id}/agenda")
    assert "dès que l'organisateur aura publié" in page


def test_agenda_lists_meetings_with_contact_and_free_slots(client, db):
    scene = build_scene(client, phase="published")
    db.session.add(Attendee(participant_id=scene.recyclerie.id, full_name="Rémi Lez", job_title="Gérant"))
    make_meeting(scene.buyer, scene.recyclerie, slot_index=1, table_index=2)
    db.session.commit()
    page = _page(client, f"/p/{scene.buyer.id}/agenda")
    assert "1 rendez-vous" in page
    assert "09:25–09:45" in page  # second slot, Paris time
    assert "Table 3" in page
    assert "Recyclerie du Lez" in page and "Rémi Lez (Gérant)" in page
    assert "bonjour@recyclerie.example" in page and "0611223344" in page
    assert "Créneaux libres" in page and "09:00–09:20" in page
    assert "esat@iris.example" not in page


def test_agenda_links_to_the_calendar_download(client, db):
    scene = build_scene(client, phase="published")
    page = _page(client, f"/p/{scene.buyer.id}/agenda")
    if "participant.calendar_ics" in client.application.view_functions:
        assert f'href="/p/{scene.buyer.id}/agenda.ics"' in page


def test_agenda_shows_cancelled_meetings_apart(client, db):
    scene = build_scene(client, phase="published")
    meeting = make_meeting(scene.buyer, scene.esat)
    meeting.status = "cancelled"
    meeting.seats.clear()
    db.session.commit()
    page = _page(client, f"/p/{scene.buyer.id}/agenda")
    assert "Rendez-vous annulés" in page and "0 rendez-vous" in page
    assert "esat@iris.example" not in page


def test_agenda_of_another_participant_is_404(client, db):
    scene = build_scene(client, phase="published")
    make_meeting(scene.other_buyer, scene.esat)
    db.session.commit()
    assert client.get(f"/p/{scene.other_buyer.id}/agenda").status_code == 404
    assert client.get(f"/p/{scene.elsewhere.id}/agenda").status_code == 404
