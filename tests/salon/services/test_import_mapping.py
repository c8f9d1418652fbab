"""Headers of the usual directory exports matched to Salon fields; cell values matched to codes."""

from __future__ import annotations

import pytest

from salon.services.import_columns import auto_columns, find_header, header_key, match_header
from salon.services.import_rows import Mapping, Sheet, unknown_values
from salon.services.import_synonyms import BUYER_KINDS, SECTORS, SIDE, STRUCTURE_TYPES
from salon.services.import_values import lookup, read_cell, suggest


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize(
    "header,field",
    [
        ("Raison sociale", "name"),
        ("Dénomination", "name"),
        ("NOM DE LA STRUCTURE", "name"),
        ("Structure", "name"),
        ("Entreprise", "name"),
        ("N° SIRET", "siret"),
        ("Siret", "siret"),
        ("Type de structure", "structure_types"),
        ("Statut", "structure_types"),
        ("Famille", "structure_types"),
        ("Catégorie", "structure_types"),
        ("Secteur(s) d'activité", "sectors"),
        ("Activités", "sectors"),
        ("Domaine", "sectors"),
        ("Code NAF / APE", "sectors"),
        ("Code postal / CP", "postcode"),
        ("Commune", "city"),
        ("Ville", "city"),
        ("Dépt", "departements"),
        ("Département", "departements"),
        ("Nom du contact", "contact"),
        ("Prénom", "contact_first_name"),
        ("Courriel / E-mail", "contact_email"),
        ("Adresse électronique", "contact_email"),
        ("Mail", "contact_email"),
        ("Tél.", "contact_phone"),
        ("Site Web", "website"),
        ("Type d'acheteur", "buyer_kind"),
        ("Collège", None),
        ("Effectif", None),
        ("Date de création", None),
        ("Labels", None),
        ("Adresse", None),
    ],
)
def test_directory_headers_matched_without_accents_case_or_punctuation(header, field):
    assert match_header(header) == field


def test_one_column_per_field_with_the_weaker_header_falling_back():
    headers = [
        "Raison sociale",
        "Nom",
        "Prénom",
        "Forme juridique",
        "Type de structure",
        "Secteur d'activité",
        "Code NAF",
        "Collège",
        "Courriel",
    ]
    assert auto_columns(headers) == [
        "name",
        "contact_last_name",
        "contact_first_name",
        "legal_form",
        "structure_types",
        "sectors",
        "",
        "",
        "contact_email",
    ]
    assert auto_columns(["Nom", "Courriel"]) == ["name", "contact_email"]


def test_remembered_choices_come_before_the_synonyms():
    remembered = {"college": "structure_types", "raison sociale": ""}
    assert auto_columns(["Raison sociale", "Collège", "Dénomination"], remembered) == [
        "",
        "structure_types",
        "name",
    ]


def test_header_row_found_below_a_title():
    rows = [
        (1, ["Annuaire CRESS Occitanie — export"]),
        (2, ["Mise à jour : mars"]),
        (3, ["Raison sociale", "SIRET", "Courriel"]),
        (4, ["A", "", "a@example.org"]),
    ]
    assert find_header(rows) == 2
    assert find_header([(1, ["Couleur", "Taille"]), (2, ["bleu", "L"])]) == 0


@pytest.mark.parametrize(
    "vocabulary,cell,codes",
    [
        ("sectors", "Restauration, traiteur", ["restauration"]),
        ("sectors", "Second œuvre BTP", ["btp"]),
        ("sectors", "Second oeuvre, BTP", ["btp"]),
        ("sectors", "Réemploi, recyclage, DEEE; Nettoyage, propreté", ["reemploi", "nettoyage"]),
        ("sectors", "Espaces verts et propreté", ["espaces_verts", "nettoyage"]),
        ("sectors", "Restauration, traiteur, Nettoyage", ["restauration", "nettoyage"]),
        ("sectors", "81.21Z", ["nettoyage"]),
        ("sectors", "5621Z", ["restauration"]),
        ("sectors", "espaces_verts", ["espaces_verts"]),
        ("sectors", "Cleaning", ["nettoyage"]),
        ("structure_types", "Entreprise ESUS", ["esus"]),
        ("structure_types", "Entreprise agréée ESUS", ["esus"]),
        ("structure_types", "SIAE – ACI (atelier et chantier d'insertion)", ["aci"]),
        (
            "structure_types",
            "Ateliers et chantiers d'insertion / Association loi 1901",
            ["aci", "association"],
        ),
        ("structure_types", "SCOP SA", ["scop"]),
        ("departements", "34, 30", ["34", "30"]),
        ("departements", "Hérault (34)", ["34"]),
        ("departements", "34 - Hérault", ["34"]),
        ("departements", "1", ["01"]),
        ("departements", "2a", ["2A"]),
        ("departements", "Corse", ["2A", "2B"]),
        ("side", "Exposant", ["supplier"]),
        ("side", "Donneur d'ordre", ["buyer"]),
        ("buyer_kind", "Communauté d'agglomération", ["intercommunalite"]),
    ],
)
def test_codes_labels_and_synonyms_accepted(vocabulary, cell, codes):
    reading = read_cell(vocabulary, cell)
    assert (reading.codes, reading.unknown) == (codes, {})


def test_a_known_label_with_a_comma_is_not_split_but_unknown_runs_stay_together():
    reading = read_cell("sectors", "Nettoyage, propreté, Peinture murale, Menuiserie")
    assert reading.codes == ["nettoyage"]
    assert reading.unknown == {"peinture murale menuiserie": "Peinture murale, Menuiserie"}


def test_single_value_vocabularies_are_not_split():
    assert read_cell("side", "Acheteur, fournisseur").unknown == {
        "acheteur fournisseur": "Acheteur, fournisseur"
    }


def test_picks_give_codes_to_unknown_values_or_leave_them_out():
    picks = {header_key("Peinture murale"): ["btp"], header_key("Divers local"): []}
    reading = read_cell("sectors", "Peinture murale; Divers local; Textile", picks)
    assert (reading.codes, reading.unknown) == (["btp", "textile"], {})


def test_suggestions_are_close_codes():
    assert suggest("sectors", "Restaurations collective")[0] == "restauration"
    assert suggest("structure_types", "Entreprise d insertio")[0] == "ei"
    assert suggest("sectors", "Peinture murale")[0] == "btp"


def test_every_synonym_names_one_code_of_its_vocabulary():
    for vocabulary, table in (
        ("side", SIDE),
        ("structure_types", STRUCTURE_TYPES),
        ("buyer_kind", BUYER_KINDS),
        ("sectors", SECTORS),
    ):
        for code, forms in table.items():
            for form in forms:
                assert read_cell(vocabulary, form).codes == [code], (vocabulary, form)
    assert len(lookup("departements")) > 300


def test_unknown_values_listed_once_with_their_rows():
    sheet = Sheet(
        [
            (1, ["Nom", "Secteur"]),
            (2, ["A", "Peinture; Couture"]),
            (3, ["B", "Plomberie"]),
            (4, ["C", "plomberie"]),
        ]
    )
    found = unknown_values(sheet, Mapping(["name", "sectors"]))
    assert [(u.vocabulary, u.text, u.rows) for u in found] == [("sectors", "Plomberie", [3, 4])]
