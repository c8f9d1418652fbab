"""CSV/XLSX import (all rows or none, errors by row and column) and exports with formulas neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from salon.models import Participant
from salon.services import exporting, import_table, importing
from salon.services.importing import ImportRejected
from tests.factories import make_fair, make_participant, make_wish

HEADER = "Nom de la structure;Profil;SIRET;E-mail;Contact;Type de structure;Secteurs\r\n"
GOOD = (
    HEADER
    + "Ville de Lyon;acheteur;;achats@lyon.example;Claire Martin;;nettoyage\r\n"
    + "ESAT Les Ateliers;fournisseur;73282932000074;contact@esat.example;Karim Benali;ESAT;"
    + "espaces_verts, nettoyage\r\n"
)


@pytest.fixture(autouse=True)
def _request(app, db):
    """Services translate their messages: run each test inside a request."""
    with app.test_request_context():
        yield


def count(db, fair):
    return db.session.scalar(select(func.count(Participant.id)).where(Participant.fair_id == fair.id))


def problems_of(fair, name, data):
    with pytest.raises(ImportRejected) as err:
        importing.import_participants(fair, name, data)
    return [(p.row, p.column) for p in err.value.problems], err.value.problems


def test_import_utf8_bom_semicolon_csv(db):
    fair = make_fair()
    created = importing.import_participants(fair, "p.csv", b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    db.session.commit()
    assert [(p.side, p.organisation.name) for p in created] == [
        ("buyer", "Ville de Lyon"),
        ("supplier", "ESAT Les Ateliers"),
    ]
    esat = db.session.get(Participant, created[1].id)
    assert (esat.organisation.structure_types, esat.organisation.sectors) == (
        ["esat"],
        ["espaces_verts", "nettoyage"],
    )
    assert esat.status == "approved"


def test_import_windows_1252_csv(db):
    fair = make_fair()
    data = (HEADER + "Régie de quartier Évry;fournisseur;;regie@evry.example;Zoé;association;\r\n").encode(
        "cp1252"
    )
    (p,) = importing.import_participants(fair, "p.csv", data)
    assert p.organisation.name == "Régie de quartier Évry"


def test_import_xlsx(db):
    fair = make_fair()
    book = Workbook()
    book.active.append(["Raison sociale", "Côté", "Courriel", "SIRET"])
    book.active.append(["SCOP Bâtir", "Fournisseur", "scop@batir.example", 73282932000074])
    out = io.BytesIO()
    book.save(out)
    (p,) = importing.import_participants(fair, "p.xlsx", out.getvalue())
    assert (p.organisation.name, p.organisation.siret) == ("SCOP Bâtir", "73282932000074")


def test_import_rejects_whole_file_listing_every_error(db):
    fair = make_fair()
    data = (
        HEADER
        + "Ville de Lyon;acheteur;;achats@lyon.example;;;\r\n"
        + "Mauvais;fournisseur;12345678901234;pas-un-mail;;;\r\n"
        + ";visiteur;;achats@lyon.example;;XYZ;\r\n"
    ).encode()
    where, _ = problems_of(fair, "p.csv", data)
    assert where == [
        (3, "SIRET"),
        (3, "E-mail"),
        (4, "Nom de la structure"),
        (4, "Profil"),
        (4, "Type de structure"),
        (4, "E-mail"),
    ]
    assert count(db, fair) == 0


def test_import_rejects_missing_and_unknown_columns(db):
    where, problems = problems_of(make_fair(), "p.csv", b"Nom;Couleur\r\nX;bleu\r\n")
    assert where == [(1, "Couleur"), (1, "Profil"), (1, "E-mail")]
    assert problems[1].message == "Colonne manquante."


def test_import_rejects_duplicate_of_existing_participant(db):
    fair = make_fair()
    make_participant(fair, organisation=None, name="Déjà là")
    fair_p = make_participant(fair)
    fair_p.organisation.contact_email = "achats@lyon.example"
    db.session.flush()
    where, _ = problems_of(fair, "p.csv", GOOD.encode())
    assert where == [(2, "E-mail")]


def test_import_rejects_wrong_encoding_and_oversized_and_bad_xlsx(db):
    fair = make_fair()
    _, problems = problems_of(fair, "p.csv", HEADER.encode() + b"\x81\x8d;\r\n")
    assert "Encodage" in problems[0].message
    _, problems = problems_of(fair, "p.csv", b"x" * (import_table.MAX_BYTES + 1))
    assert "2" in problems[0].message
    _, problems = problems_of(fair, "p.xlsx", b"PK\x03\x04broken")
    assert problems[0].row == 0


def test_template_csv_round_trips_through_import(db):
    fair = make_fair()
    created = importing.import_participants(fair, "modele.csv", import_table.template_bytes("csv"))
    assert len(created) == 2
    xlsx = load_workbook(io.BytesIO(import_table.template_bytes("xlsx"))).active
    assert xlsx["A1"].value == "Nom de la structure"


def test_exports_neutralise_formulas(db):
    fair = make_fair()
    evil = make_participant(fair, "buyer", name='=HYPERLINK("http://x")')
    other = make_participant(fair, name="@SUM(A1)")
    make_wish(evil, other, 3)
    headers, rows = exporting.participants_table(fair)
    text = exporting.table_bytes(headers, rows, "csv").decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [r[1] for r in parsed[1:]] == ['\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    headers, rows = exporting.wishes_table(fair)
    sheet = load_workbook(io.BytesIO(exporting.table_bytes(headers, rows, "xlsx"))).active
    assert (sheet["B2"].value, sheet["D2"].value, sheet["E2"].value) == (
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "incontournable",
    )
    assert sheet["B2"].data_type == "s"


def test_neutralise_each_dangerous_prefix():
    assert [exporting.neutralise(v) for v in ["=1", "+1", "-1", "@a", "\tx", "\rx", "ok", 5]] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "ok",
        5,
    ]
