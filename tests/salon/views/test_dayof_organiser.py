"""Organiser day-of pages: check-in desk, marking, waiting list, walk-ins, messages, report, legal."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from salon.models import Attendee, LegalPage, Meeting, OutboxMessage
from salon.services.checkin import make_checkin_token
from tests.factories import login
from tests.salon.services.dayof_world import book, make_day_world, request_ctx, wish  # noqa: F401


@pytest.fixture()
def day(app, db):
    with app.test_request_context("/"):
        w = make_day_world()
        m = book(w.fair, w.buyers[0], w.suppliers[0], 0, 0)
        wish(w.buyers[0], w.suppliers[1], 3)
        tokens = {p.id: make_checkin_token(p.attendees[0]) for p in w.buyers + w.suppliers}
    db.session.commit()
    return w, m, tokens


def test_desk_page_in_french(client, day):
    w, _m, _t = day
    login(client, w.organiser)
    page = client.get(f"/orga/fairs/{w.fair.id}/day")
    assert page.status_code == 200
    assert "Accueil des participants" in page.get_data(as_text=True)


def test_check_in_by_token_then_twice_refused(client, db, day):
    w, _m, tokens = day
    login(client, w.organiser)
    attendee_id = w.buyers[0].attendees[0].id
    r = client.post(f"/orga/fairs/{w.fair.id}/checkin", data={"token": tokens[w.buyers[0].id]})
    assert r.status_code == 303
    assert db.session.get(Attendee, attendee_id).checked_in_at is not None
    r = client.post(
        f"/orga/fairs/{w.fair.id}/checkin", data={"token": tokens[w.buyers[0].id]}, follow_redirects=True
    )
    assert "déjà enregistré" in r.get_data(as_text=True)


def test_check_in_by_name_search(client, db, day):
    w, _m, _t = day
    login(client, w.organiser)
    page = client.get(f"/orga/fairs/{w.fair.id}/day?q=fournisseur 2")
    assert "Fournisseur 2" in page.get_data(as_text=True)
    attendee_id = w.suppliers[1].attendees[0].id
    client.post(f"/orga/fairs/{w.fair.id}/checkin", data={"attendee_id": attendee_id})
    assert db.session.get(Attendee, attendee_id).checked_in_at is not None


def test_desk_counts_arrivals_in_good_french(client, db, day):
    w, _m, _t = day
    login(client, w.organiser)
    total = len(w.buyers + w.suppliers)
    page = client.get(f"/orga/fairs/{w.fair.id}/day?q=fournisseur 2").get_data(as_text=True)
    assert f"0 personne enregistrée sur {total}" in page and "Enregistrer l’arrivée : Fournisseur 2" in page
    client.post(f"/orga/fairs/{w.fair.id}/checkin", data={"attendee_id": w.suppliers[1].attendees[0].id})
    assert f"1 personne enregistrée sur {total}" in client.get(f"/orga/fairs/{w.fair.id}/day").get_data(
        as_text=True
    )
    client.post(f"/orga/fairs/{w.fair.id}/checkin", data={"attendee_id": w.suppliers[0].attendees[0].id})
    assert f"2 personnes enregistrées sur {total}" in client.get(f"/orga/fairs/{w.fair.id}/day").get_data(
        as_text=True
    )


def test_scanned_url_shows_confirmation_without_checking_in(client, db, day):
    w, _m, tokens = day
    login(client, w.organiser)
    r = client.get(f"/orga/fairs/{w.fair.id}/checkin/t/{tokens[w.buyers[1].id]}")
    assert r.status_code == 200
    assert db.session.get(Attendee, w.buyers[1].attendees[0].id).checked_in_at is None


def test_desk_of_another_fair_is_404(client, day):
    w, _m, _t = day
    stranger = make_day_world()
    db_commit(stranger)
    login(client, stranger.organiser)
    assert client.get(f"/orga/fairs/{w.fair.id}/day").status_code == 404
    assert client.post(f"/orga/fairs/{w.fair.id}/checkin", data={"attendee_id": 1}).status_code == 404


def db_commit(_world):
    from salon.extensions import db

    db.session.commit()


def test_mark_no_show_then_accept_replacement(client, db, day):
    w, m, tokens = day
    login(client, w.organiser)
    for p in (w.buyers[0], w.suppliers[1]):
        client.post(f"/orga/fairs/{w.fair.id}/checkin", data={"token": tokens[p.id]})
    r = client.post(f"/orga/fairs/{w.fair.id}/day/meetings/{m.id}/status",
                    data={"status": "no_show", "absent": w.suppliers[0].id})  # fmt: skip
    assert r.status_code == 303
    assert db.session.get(Meeting, m.id).status == "no_show"
    page = client.get(f"/orga/fairs/{w.fair.id}/day/slots/{m.slot_id}").get_data(as_text=True)
    assert "Accepter" in page
    a, b = sorted((w.buyers[0].id, w.suppliers[1].id))
    r = client.post(f"/orga/fairs/{w.fair.id}/day/slots/{m.slot_id}/accept",
                    data={"a": a, "b": b, "table": w.fair.tables[0].id})  # fmt: skip
    assert r.status_code == 303
    new = db.session.scalar(select(Meeting).where(Meeting.source == "replacement"))
    assert (new.participant_a_id, new.participant_b_id) == (a, b)


def test_an_absence_marked_by_mistake_is_taken_back_while_the_place_is_free(client, db, day):
    w, m, tokens = day
    login(client, w.organiser)
    status_url = f"/orga/fairs/{w.fair.id}/day/meetings/{m.id}/status"
    client.post(status_url, data={"status": "no_show", "absent": w.suppliers[0].id})
    page = client.get(f"/orga/fairs/{w.fair.id}/day/slots/{m.slot_id}").get_data(as_text=True)
    assert "Finalement tenu" in page
    assert client.post(status_url, data={"status": "held"}).status_code == 303
    db.session.expire_all()
    back = db.session.get(Meeting, m.id)
    assert (back.status, back.absent_participant_id, len(back.seats)) == ("held", None, 2)
    client.post(status_url, data={"status": "no_show", "absent": w.suppliers[0].id})
    for p in (w.buyers[0], w.suppliers[1]):
        client.post(f"/orga/fairs/{w.fair.id}/checkin", data={"token": tokens[p.id]})
    a, b = sorted((w.buyers[0].id, w.suppliers[1].id))
    client.post(f"/orga/fairs/{w.fair.id}/day/slots/{m.slot_id}/accept",
                data={"a": a, "b": b, "table": w.fair.tables[0].id})  # fmt: skip
    r = client.post(status_url, data={"status": "held"}, follow_redirects=True)
    assert r.request.path == f"/orga/fairs/{w.fair.id}/day/slots/{m.slot_id}"
    assert "La table ou l’un des deux participants a reçu entre-temps un autre rendez-vous" in r.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(Meeting, m.id).status == "no_show"


def test_mark_meeting_of_another_fair_is_404(client, db, day):
    w, _m, _t = day
    with client.application.test_request_context("/"):
        other = make_day_world()
        om = book(other.fair, other.buyers[0], other.suppliers[0], 0, 0)
    db.session.commit()
    login(client, w.organiser)
    r = client.post(f"/orga/fairs/{w.fair.id}/day/meetings/{om.id}/status", data={"status": "held"})
    assert r.status_code == 404
    assert db.session.get(Meeting, om.id).status == "scheduled"


def test_walk_in_refused_for_absent_people(client, db, day):
    w, _m, _t = day
    login(client, w.organiser)
    slot_id = w.fair.slots[1].id
    r = client.post(f"/orga/fairs/{w.fair.id}/day/slots/{slot_id}/walk-in",
                    data={"a": w.buyers[1].id, "b": w.suppliers[2].id, "table": w.fair.tables[0].id},
                    follow_redirects=True)  # fmt: skip
    assert "enregistrés" in r.get_data(as_text=True)
    assert db.session.scalar(select(Meeting).where(Meeting.source == "walk_in")) is None


def test_walk_in_refused_for_a_pair_that_already_meets(client, db, day):
    w, m, tokens = day
    login(client, w.organiser)
    for p in (w.buyers[0], w.suppliers[0]):
        client.post(f"/orga/fairs/{w.fair.id}/checkin", data={"token": tokens[p.id]})
    r = client.post(f"/orga/fairs/{w.fair.id}/day/slots/{w.fair.slots[1].id}/walk-in",
                    data={"a": w.buyers[0].id, "b": w.suppliers[0].id, "table": w.fair.tables[1].id},
                    follow_redirects=True)  # fmt: skip
    assert "Ces deux participants ont déjà rendez-vous à 09:00 (1)" in r.get_data(as_text=True)
    assert db.session.scalar(select(Meeting).where(Meeting.source == "walk_in")) is None


def test_waiting_list_still_proposes_when_a_pair_already_meets_twice(client, db, day):
    """A rule the day's meetings already bend (a pair booked twice) hid the waiting list of every slot."""
    w, m, tokens = day
    with client.application.test_request_context("/"):
        book(w.fair, w.buyers[1], w.suppliers[2], 1, 1)
        book(w.fair, w.buyers[1], w.suppliers[2], 2, 2, occurrence=1)
    db.session.commit()
    login(client, w.organiser)
    for p in (w.buyers[0], w.suppliers[1]):
        client.post(f"/orga/fairs/{w.fair.id}/checkin", data={"token": tokens[p.id]})
    client.post(f"/orga/fairs/{w.fair.id}/day/meetings/{m.id}/status",
                data={"status": "no_show", "absent": w.suppliers[0].id})  # fmt: skip
    page = client.get(f"/orga/fairs/{w.fair.id}/day/slots/{m.slot_id}").get_data(as_text=True)
    assert "Accepter" in page and "Aucun remplacement valide" not in page


def test_walk_in_offers_only_people_present_and_free_and_lets_the_organiser_choose(client, db, day):
    w, m, tokens = day
    login(client, w.organiser)
    for p in (w.buyers[0], w.suppliers[0], w.suppliers[1]):  # the first two meet at this slot
        client.post(f"/orga/fairs/{w.fair.id}/checkin", data={"token": tokens[p.id]})
    url = f"/orga/fairs/{w.fair.id}/day/slots/{m.slot_id}"
    page = client.get(url).get_data(as_text=True)
    assert "deux personnes présentes et libres à cette heure" in page and 'id="walkin-a"' not in page
    client.post(f"/orga/fairs/{w.fair.id}/checkin", data={"token": tokens[w.buyers[1].id]})
    page = client.get(url).get_data(as_text=True)
    offered = re.findall(r'<option value="(\d*)">', page.split('id="walkin-a"')[1].split("</select>")[0])
    assert offered == ["", str(w.buyers[1].id), str(w.suppliers[1].id)]  # "— Choisir —" first, no default


def test_message_to_buyers_queued(client, db, day):
    w, _m, _t = day
    login(client, w.organiser)
    r = client.post(
        f"/orga/fairs/{w.fair.id}/day/message", data={"subject": "Café", "body": "Servi.", "side": "buyer"}
    )
    assert r.status_code == 303
    assert (
        len(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "organiser_message")).all())
        == 2
    )
    r = client.post(f"/orga/fairs/{w.fair.id}/day/message", data={"subject": "", "body": ""})
    assert r.status_code == 422


def test_report_page_and_files(client, day):
    w, _m, _t = day
    login(client, w.organiser)
    page = client.get(f"/orga/fairs/{w.fair.id}/report")
    assert "Rendez-vous prévus (chacun compté une fois)" in page.get_data(as_text=True)
    csv = client.get(f"/orga/fairs/{w.fair.id}/report.csv")
    assert csv.mimetype == "text/csv"
    xlsx = client.get(f"/orga/fairs/{w.fair.id}/report.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert (sheet["A2"].value, sheet["B2"].value, sheet["C2"].value) == (
        "Total",
        "Toutes les structures",
        "total",
    )
    pdf = client.get(f"/orga/fairs/{w.fair.id}/report.pdf")
    assert pdf.data[:5] == b"%PDF-"
    assert client.get(f"/orga/fairs/{w.fair.id}/report.exe").status_code == 404


def test_report_captions_keep_the_acronyms_of_their_labels(client, db, day):
    """A breakdown's caption puts its label inside a sentence, its acronyms kept ("l’ESS", not "l’ess")."""
    w, _m, _t = day
    w.suppliers[0].organisation.structure_types = ["ei"]
    db.session.commit()
    login(client, w.organiser)
    text = client.get(f"/orga/fairs/{w.fair.id}/report").get_data(as_text=True)
    assert "<caption>Par type de structure de l’ESS (fournisseurs)</caption>" in text
    assert "l’ess" not in text
    assert "Par collège" in text


def test_legal_page_edited_and_shown(client, db, day):
    w, _m, _t = day
    login(client, w.organiser)
    r = client.post(f"/orga/fairs/{w.fair.id}/legal/privacy", data={"body": "Vos données sont à vous."})
    assert r.status_code == 303
    assert db.session.scalar(select(LegalPage).where(LegalPage.fair_id == w.fair.id)).body.startswith("Vos")
    page = client.get(f"/fairs/{w.fair.slug}/legal/privacy").get_data(as_text=True)
    assert "Vos données sont à vous." in page
    access = client.get(f"/fairs/{w.fair.slug}/legal/accessibility").get_data(as_text=True)
    assert "État de conformité" in access
    assert client.get(f"/fairs/{w.fair.slug}/legal/other").status_code == 404
    assert client.get(f"/orga/fairs/{w.fair.id}/legal/other").status_code == 404
