"""Printout pages: the organiser builds a PDF in the background and downloads it; participants get theirs."""

from __future__ import annotations

import html
import re

import pytest

from salon import print_jobs
from salon.models import Attendee, PrintBuild
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import make_meeting
from tests.salon.pdf_reading import page_texts
from tests.salon.views.participant_scene import build_scene
from tests.salon.views.participant_scene import make_meeting as make_scene_meeting


@pytest.fixture()
def organised(client, db):
    """A published fair with two meetings and three people, its organiser signed in."""
    organiser = make_user()
    fair = make_fair(organiser=organiser, phase="published")
    buyer = make_participant(fair, side="buyer", name="Mike Hôpital")
    alone = make_participant(fair, side="buyer", name="November Mairie")
    supplier = make_participant(fair, side="supplier", name="Oscar Coop", home_table=fair.tables[1])
    for p, name in ((buyer, "Paula Achat"), (alone, "Quentin Achat"), (supplier, "Rita Offre")):
        db.session.add(Attendee(participant=p, full_name=name, email="p@example.org"))
    make_meeting(buyer, supplier, fair.slots[0], fair.tables[1])
    db.session.commit()
    login(client, organiser)
    return fair


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _start(client, db, fair, document: str, **form) -> PrintBuild:
    response = client.post(f"/orga/fairs/{fair.id}/print/{document}", data=form)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/print#{document}")
    build = db.session.scalars(db.select(PrintBuild).where(PrintBuild.document == document)).one()
    print_jobs.wait(build.id)
    db.session.expire_all()
    return db.session.get(PrintBuild, build.id)


def test_page_tells_what_each_printout_holds(client, organised):
    page = _text(client.get(f"/orga/fairs/{organised.id}/print"))
    assert "Documents à imprimer" in page
    assert "3 personnes · 1 planche d'étiquettes" in page
    assert "2 participants validés sur 3 ont des rendez-vous." in page
    assert "1 table avec des rendez-vous" in page
    assert (
        page.count("Préparer le PDF") == 3
        and "Imprimer aussi les agendas des participants sans rendez-vous" in page
    )


def test_build_then_download_the_agendas(client, db, organised):
    build = _start(client, db, organised, "agendas")
    assert (build.status, build.pages, build.meetings, build.include_empty, build.locale) == (
        "done",
        2,
        1,
        False,
        "fr",
    )
    fragment = _text(client.get(f"/orga/fairs/{organised.id}/print/builds/{build.id}"))
    assert "Prêt depuis le" in fragment and "2 pages" in fragment and "1 rendez-vous listé." in fragment
    assert "hx-get" not in fragment  # finished: no more polling
    link = f"/orga/fairs/{organised.id}/print/builds/{build.id}.pdf"
    assert link in fragment
    pdf = client.get(link)
    assert pdf.mimetype == "application/pdf" and pdf.headers["Cache-Control"] == "private, no-store"
    assert pdf.headers["Content-Disposition"] == f'attachment; filename="{organised.slug}-agendas.pdf"'
    texts = page_texts(pdf.data)
    assert [t.splitlines()[0] for t in texts] == ["Mike Hôpital", "Oscar Coop"]
    page = _text(client.get(f"/orga/fairs/{organised.id}/print"))
    assert "Préparer à nouveau le PDF" in page and "Télécharger le PDF" in page


def test_a_built_pdf_says_its_size_in_french_units_and_file_name(client, db, organised):
    build = _start(client, db, organised, "tables")
    fragment = _text(client.get(f"/orga/fairs/{organised.id}/print/builds/{build.id}"))
    size = re.search("\\((\\d+)\u202fko\\)", fragment)  # a narrow no-break space, as French writes it
    assert size and int(size.group(1)) == max(1, round(build.size / 1000)) and "0.0" not in fragment
    pdf = client.get(f"/orga/fairs/{organised.id}/print/builds/{build.id}.pdf")
    assert (
        pdf.headers["Content-Disposition"] == f'attachment; filename="{organised.slug}-fiches-des-tables.pdf"'
    )


def test_agendas_with_participants_without_meetings_on_request(client, db, organised):
    build = _start(client, db, organised, "agendas", include_empty="y")
    assert (build.include_empty, build.pages) == (True, 3)


def test_running_build_is_polled_and_an_unknown_printout_is_404(client, db, organised):
    queued = PrintBuild(fair_id=organised.id, document="badges", status="running", done=3, total=12)
    db.session.add(queued)
    db.session.commit()
    fragment = _text(client.get(f"/orga/fairs/{organised.id}/print/builds/{queued.id}"))
    assert "Mise en page : 3 sur 12." in fragment and 'value="25"' in fragment and "hx-get" in fragment
    assert client.get(f"/orga/fairs/{organised.id}/print/builds/{queued.id}.pdf").status_code == 404
    again = client.post(f"/orga/fairs/{organised.id}/print/badges", follow_redirects=True)
    assert "Ce document est déjà en cours de préparation" in _text(again)
    assert db.session.scalars(db.select(PrintBuild)).all() == [queued]
    assert client.post(f"/orga/fairs/{organised.id}/print/brochures").status_code == 404


def test_outdated_pdf_is_flagged_after_the_schedule_changes(client, db, organised):
    from salon.models import Meeting
    from salon.services.meetings import cancel_meeting

    build = _start(client, db, organised, "tables")
    meeting = db.session.scalars(db.select(Meeting)).one()
    cancel_meeting(organised, meeting)
    db.session.commit()
    fragment = _text(client.get(f"/orga/fairs/{organised.id}/print/builds/{build.id}"))
    assert "Le planning a changé depuis la préparation de ce PDF" in fragment


def test_another_fairs_build_is_not_served(client, db, organised):
    other = make_fair(organiser=make_user())
    foreign = PrintBuild(fair_id=other.id, document="tables", status="done", pdf=b"%PDF-1.7", pages=1)
    db.session.add(foreign)
    db.session.commit()
    assert client.get(f"/orga/fairs/{organised.id}/print/builds/{foreign.id}.pdf").status_code == 404
    assert client.get(f"/orga/fairs/{other.id}/print/builds/{foreign.id}.pdf").status_code == 404


def test_participant_downloads_their_own_agenda(client, db):
    scene = build_scene(client, phase="published")
    make_scene_meeting(scene.buyer, scene.recyclerie, slot_index=1, table_index=2)
    make_scene_meeting(scene.other_buyer, scene.esat)
    db.session.commit()
    page = _text(client.get(f"/p/{scene.buyer.id}/agenda"))
    assert re.search(rf'href="/p/{scene.buyer.id}/agenda.pdf"[^>]*>Télécharger mon agenda \(PDF\)<', page)
    response = client.get(f"/p/{scene.buyer.id}/agenda.pdf")
    assert response.mimetype == "application/pdf" and "attachment" in response.headers["Content-Disposition"]
    (text,) = page_texts(response.data)
    assert text.startswith("Ville de Montpellier") and "1 rendez-vous" in text
    assert "09:25–09:45 · Table 3 · Recyclerie du Lez" in text and "bonjour@recyclerie.example" in text
    assert "ESAT Les Iris" not in text and "Hôpital Nord" not in text
    assert client.get(f"/p/{scene.other_buyer.id}/agenda.pdf").status_code == 404


def test_participant_agenda_pdf_waits_for_publication(client, db):
    scene = build_scene(client, phase="wishes")
    response = client.get(f"/p/{scene.buyer.id}/agenda.pdf")
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"/p/{scene.buyer.id}/agenda"
    )


def test_participant_agenda_pdf_is_rate_limited_per_account(client, db):
    from salon.extensions import limiter

    scene = build_scene(client, phase="published")
    db.session.commit()
    try:
        for _ in range(20):
            assert client.get(f"/p/{scene.buyer.id}/agenda.pdf").status_code == 200
        refused = client.get(f"/p/{scene.buyer.id}/agenda.pdf")
        assert refused.status_code == 429 and "Trop de" in _text(refused)
    finally:
        limiter.reset()  # account ids are reused by later tests: they start with a clean count
