"""Importing participants: rows checked as forms check them, all rows or none, known organisations reused."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from salon.domain import DEPARTEMENTS
from salon.models import ImportUpload, Organisation, Participant
from salon.models.base import utcnow
from salon.services import exporting, import_reference, import_uploads
from salon.services.import_files import plan_file
from salon.services.import_table import ImportRejected
from salon.services.importing import import_planned
from tests.factories import make_fair, make_participant, make_user, make_wish
from tests.salon.import_samples import DIRECTORY_DOCUMENT, directory_export

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


def count(db, model=Participant):
    return db.session.scalar(select(func.count(model.id)))


def import_file(fair, name, data, document=None):
    _sheet, _mapping, planned = plan_file(fair, name, data, document)
    return import_planned(fair, planned)


def problems_of(fair, name, data, document=None):
    with pytest.raises(ImportRejected) as err:
        import_file(fair, name, data, document)
    return [(p.row, p.column) for p in err.value.problems], err.value.problems


def test_import_utf8_bom_semicolon_csv(db):
    fair = make_fair()
    created = import_file(fair, "p.csv", b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
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
    assert (esat.status, esat.attendees[0].full_name) == ("approved", "Karim Benali")


def test_directory_export_with_extra_columns_labels_with_commas_and_spaced_sirets(db):
    fair = make_fair()
    created = import_file(fair, "annuaire.csv", directory_export(), DIRECTORY_DOCUMENT)
    db.session.commit()
    orgs = {p.organisation.name: p.organisation for p in created}
    regie = orgs["Régie de quartier Œuvre Sud"]
    assert (regie.siret, regie.sectors, regie.structure_types, regie.departements) == (
        "73282932000074",
        ["restauration"],
        ["ei"],
        ["34"],
    )
    assert (regie.website, created[0].attendees[0].full_name) == (
        "https://www.regie.example.org",
        "Zoé Martin",
    )
    assert orgs["SCOP Bâtir Ensemble"].sectors == ["btp"]
    assert orgs["SCOP Bâtir Ensemble"].departements == ["30", "34"]
    assert orgs["Les Jardins d'Alès"].structure_types == ["aci", "association"]
    assert orgs["ESAT Mosaïque"].structure_types == ["esus"]
    assert {p.side for p in created} == {"supplier"}


def test_whole_file_refused_listing_every_error_by_row_and_column(db):
    fair = make_fair()
    data = (
        HEADER
        + "Ville de Lyon;acheteur;;achats@lyon.example;;;\r\n"
        + "Mauvais;fournisseur;12345678901234;pas-un-mail;;;\r\n"
        + ";visiteur;;achats@lyon.example;;XYZ;\r\n"
    ).encode()
    where, problems = problems_of(fair, "p.csv", data, {"values": {"side": {"visiteur": "buyer"}}})
    assert where == [
        (3, "SIRET"),
        (3, "E-mail"),
        (4, "Type de structure"),
        (4, "Nom de la structure"),
        (4, "E-mail"),
    ]
    assert count(db) == 0


def test_unmapped_required_field_and_unknown_value_named(db):
    fair = make_fair()
    data = b"Raison sociale;Secteur\r\nA;Plomberie\r\n"
    where, problems = problems_of(fair, "p.csv", data)
    assert where == [(1, "Profil (acheteur ou fournisseur)"), (1, "E-mail de contact"), (2, "Secteur")]
    assert [p.message for p in problems][0] == "Aucune colonne ne donne ce champ."
    assert "Plomberie" in problems[2].message
    assert count(db) == 0


@pytest.mark.parametrize(
    "column,value,message",
    [
        ("Raison sociale", "x" * 201, "Trop long : 200 caractères au plus."),
        ("Offre", "y" * 4001, "Trop long : 4000 caractères au plus."),
        ("Site web", "javascript:alert(1)", "Saisissez une adresse complète, par exemple https://…"),
        (
            "Site web",
            "javascript://example.org/%0aalert(1)",
            "Saisissez une adresse complète, par exemple https://…",
        ),
        ("Site web", "ftp://example.org", "Saisissez une adresse complète, par exemple https://…"),
        ("Raison sociale", "ESAT\x07 Bip", "Les caractères de contrôle ne sont pas acceptés."),
        ("Offre", "Texte\x1b[31m", "Les caractères de contrôle ne sont pas acceptés."),
        ("SIRET", "732 829 320", "C’est un SIREN (9 chiffres) : un SIRET a 14 chiffres."),
        ("SIRET", "732 829 320 00075", "Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres."),
    ],
)
def test_values_checked_as_the_forms_check_them(db, column, value, message):
    header = ["Raison sociale", "Courriel", "Offre", "Site web", "SIRET"]
    row = dict(zip(header, ["ESAT", "esat@example.org", "", "", ""], strict=True)) | {column: value}
    data = (";".join(header) + "\n" + ";".join(row.values()) + "\n").encode()
    where, problems = problems_of(make_fair(), "p.csv", data, {"side": "supplier"})
    assert (where, problems[0].message) == ([(2, column)], message)
    assert count(db) == 0


def test_values_normalised_like_a_spreadsheet_writes_them(db):
    header = "Raison sociale;Courriel;Site web;Code postal;Téléphone;Offre\n"
    data = (
        header + 'ESAT  du\tSud;ESAT@Example.org;www.esat.example.org;6100;467000000;"Ligne 1\nLigne 2"\n'
    ).encode()
    (p,) = import_file(make_fair(), "p.csv", data, {"side": "supplier"})
    org = p.organisation
    assert (org.name, org.contact_email, org.website, org.postcode, org.contact_phone, org.offer) == (
        "ESAT du Sud",
        "esat@example.org",
        "https://www.esat.example.org",
        "06100",
        "0467000000",
        "Ligne 1\nLigne 2",
    )


def test_duplicates_within_the_file_and_with_the_fair_refused(db):
    fair = make_fair()
    existing = make_participant(fair, "supplier")
    existing.organisation.contact_email = "deja@example.org"
    existing.organisation.siret = "73282932000074"
    db.session.flush()
    data = (
        "Raison sociale;Courriel;SIRET\nA;deja@example.org;\n"
        "B;b@example.org;73282932000074\nC;b@example.org;\n"
    )
    where, _ = problems_of(fair, "p.csv", data.encode(), {"side": "supplier"})
    assert where == [(2, "Courriel"), (3, "SIRET"), (4, "Courriel")]


def test_known_organisation_of_the_organisers_fairs_reused_with_its_profile(db):
    organiser = make_user(can_create_fairs=True)
    last_year, this_year = make_fair(organiser=organiser), make_fair(organiser=organiser)
    known = make_participant(last_year, "supplier", name="SCOP Bâtir (profil complet)").organisation
    known.siret, known.offer, known.departements = "73282932000074", "Peinture et plâtrerie", []
    db.session.flush()
    data = (
        "Raison sociale;SIRET;Courriel;Offre;Département\n"
        "SCOP Bâtir;732 829 320 00074;s@example.org;Autre;34\n"
    )
    sheet, mapping, planned = plan_file(this_year, "p.csv", data.encode(), {"side": "supplier"})
    assert planned[0].organisation is known
    (p,) = import_planned(this_year, planned)
    db.session.commit()
    assert count(db, Organisation) == 1 + 0  # no second copy (make_participant made the only one)
    org = db.session.get(Participant, p.id).organisation
    assert (org.id, org.name, org.offer, org.departements) == (
        known.id,
        "SCOP Bâtir (profil complet)",
        "Peinture et plâtrerie",
        ["34"],
    )


def test_organisation_of_another_organisers_fair_not_reused(db):
    others = make_fair(organiser=make_user(can_create_fairs=True))
    make_participant(others, "supplier").organisation.siret = "73282932000074"
    fair = make_fair(organiser=make_user(can_create_fairs=True))
    db.session.flush()
    data = b"Raison sociale;SIRET;Courriel\nSCOP;73282932000074;s@example.org\n"
    _sheet, _mapping, planned = plan_file(fair, "p.csv", data, {"side": "supplier"})
    assert planned[0].organisation is None


def test_mapping_remembered_with_the_fair_and_offered_at_the_organisers_other_fairs(db):
    organiser = make_user(can_create_fairs=True)
    first, second = make_fair(organiser=organiser), make_fair(organiser=organiser)
    stranger_fair = make_fair(organiser=make_user(can_create_fairs=True))
    data = "Raison sociale;Courriel;Collège;Secteur\nA;a@example.org;ESS;Plomberie\n".encode()
    upload = import_uploads.start_upload(first, organiser, "a.csv", data)
    import_uploads.set_columns(upload, ["name", "contact_email", "structure_types", "sectors"], "supplier")
    import_uploads.set_values(
        upload, {"structure_types": {"ess": ["esus"]}, "sectors": {"plomberie": ["btp"]}}
    )
    assert import_uploads.set_values(upload, {}) == []
    import_uploads.finish_upload(first, upload, organiser)
    assert count(db, ImportUpload) == 0
    again = import_uploads.start_upload(second, organiser, "b.csv", data)
    assert (again.columns, again.values) == (
        ["name", "contact_email", "structure_types", "sectors"],
        {"structure_types": {"ess": ["esus"]}, "sectors": {"plomberie": ["btp"]}},
    )
    fresh = import_uploads.start_upload(stranger_fair, None, "c.csv", data)
    assert (fresh.columns, fresh.values) == (["name", "contact_email", "", "sectors"], {})


def test_stale_uploads_purged_after_a_day(db, runner):
    fair = make_fair()
    old = import_uploads.start_upload(fair, None, "old.csv", GOOD.encode())
    recent = import_uploads.start_upload(fair, None, "new.csv", GOOD.encode())
    old.updated_at = utcnow() - timedelta(days=1, minutes=1)
    db.session.commit()
    result = runner.invoke(args=["purge"])
    assert "1 unfinished import(s) deleted" in result.output
    assert db.session.scalars(select(ImportUpload.id)).all() == [recent.id]


def test_template_round_trips_and_lists_every_header_and_value(db):
    created = import_file(make_fair(), "modele.csv", import_reference.template_bytes("csv"))
    assert [p.organisation.sectors for p in created] == [["nettoyage"], ["espaces_verts", "restauration"]]
    book = load_workbook(io.BytesIO(import_reference.template_bytes("xlsx")))
    assert book.sheetnames == ["Participants", "Colonnes acceptées", "Valeurs acceptées"]
    assert book["Participants"]["A1"].value == "Nom de la structure"
    values = list(book["Valeurs acceptées"].iter_rows(values_only=True))
    assert (
        "Secteurs",
        "Restauration, traiteur",
        "restauration",
        "Catering",
        "Traiteur, Restauration collective",
    ) in values
    assert len(values) == 1 + 2 + 16 + 12 + 16 + len(DEPARTEMENTS)


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
