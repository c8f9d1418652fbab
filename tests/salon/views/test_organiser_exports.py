"""Exports as an organiser opens them in a French spreadsheet: French headers, words, sheet and file names,
real dates, one charset."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from tests.factories import login, make_fair, make_participant, make_user, make_wish
from tests.salon.calendar_helpers import make_meeting


def _fair(client, db):
    user = make_user(can_create_fairs=True)
    fair = make_fair(organiser=user, name="Rencontres Lyon")
    buyer = make_participant(fair, "buyer", name="Métropole")
    supplier = make_participant(fair, "supplier", name="Ressourcerie")
    other = make_participant(fair, "supplier", name="Atelier")
    make_wish(buyer, supplier, 3)
    make_wish(buyer, other, None, veto=True)
    make_meeting(buyer, supplier, fair.slots[1], fair.tables[0])
    db.session.commit()
    login(client, user)
    return fair


def test_exports_speak_french_with_real_dates(client, db):
    fair = _fair(client, db)
    wishes = client.get(f"/orga/fairs/{fair.id}/export/wishes.csv")
    assert wishes.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert wishes.headers["Content-Disposition"] == f'attachment; filename="{fair.slug}-souhaits.csv"'
    rows = list(csv.reader(io.StringIO(wishes.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["De (ID)", "De", "Vers (ID)", "Vers", "Priorité", "Veto"]
    assert [r[3:] for r in rows[1:]] == [["Ressourcerie", "incontournable", ""], ["Atelier", "", "oui"]]
    meetings = client.get(f"/orga/fairs/{fair.id}/export/meetings.xlsx")
    assert meetings.headers["Content-Disposition"] == f'attachment; filename="{fair.slug}-rendez-vous.xlsx"'
    sheet = load_workbook(io.BytesIO(meetings.data)).active
    assert sheet.title == "Rendez-vous"
    day = sheet["A2"]
    assert (day.value.date(), day.number_format) == (date(2027, 3, 18), "DD/MM/YYYY")
    assert [c.value for c in sheet[2]][1:6] == ["09:25", "09:45", "1", "Métropole", "Ressourcerie"]
    text = client.get(f"/orga/fairs/{fair.id}/export/meetings.csv").data.decode("utf-8-sig")
    assert text.splitlines()[1].startswith("2027-03-18;09:25;09:45;1;Métropole;Ressourcerie;Prévu;")
    participants = client.get(f"/orga/fairs/{fair.id}/export/participants.xlsx")
    assert load_workbook(io.BytesIO(participants.data)).active.title == "Participants"


def test_exports_in_english_for_an_english_page(client, db):
    fair = _fair(client, db)
    client.get("/?lang=en")
    with client.session_transaction() as session:
        session["lang"] = "en"
    wishes = client.get(f"/orga/fairs/{fair.id}/export/wishes.csv")
    rows = list(csv.reader(io.StringIO(wishes.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["From (ID)", "From (organisation)", "To (ID)", "To (organisation)", "Priority", "Veto"]
    assert rows[1][4:] == ["must meet", ""] and rows[2][4:] == ["", "yes"]
    meetings = client.get(f"/orga/fairs/{fair.id}/export/meetings.xlsx")
    assert meetings.headers["Content-Disposition"] == f'attachment; filename="{fair.slug}-meetings.xlsx"'
    assert load_workbook(io.BytesIO(meetings.data)).active.title == "Meetings"
