"""A directory export imported in a real browser through the column and value steps; axe on every page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from salon.models import Organisation
from tests.factories import PASSWORD, make_fair, make_user
from tests.salon.import_samples import directory_export

pytestmark = pytest.mark.e2e


def test_directory_export_through_every_step(live_server, page, axe_check, db, tmp_path):
    organiser = make_user("orga@cress.example", can_create_fairs=True)
    fair = make_fair(name="Coventis 2027", organiser=organiser)
    db.session.commit()
    base, fair_id = live_server, fair.id
    path = tmp_path / "annuaire-cress.csv"
    path.write_bytes(directory_export())

    page.goto(f"{base}/login")
    page.get_by_label("Adresse e-mail").fill("orga@cress.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{base}/orga/fairs/{fair_id}/import")
    page.get_by_text("Entreprise agréée ESUS").first.wait_for(state="attached")
    axe_check(page)
    page.get_by_label("Fichier CSV ou Excel").set_input_files(str(path))
    page.get_by_role("button", name="Lire le fichier").click()

    page.get_by_role("heading", name="Colonnes du fichier").wait_for()
    assert re.search(r"/import/\d+/columns$", page.url)
    assert page.get_by_label("Collège", exact=True).input_value() == ""
    assert page.get_by_label("Secteur d'activité").input_value() == "sectors"
    axe_check(page)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_text("Aucune colonne ne donne ce champ : Profil (acheteur ou fournisseur).").wait_for()
    page.get_by_label("Profil des lignes qui n’en donnent pas").select_option("supplier")
    page.get_by_role("button", name="Continuer").click()

    page.get_by_role("heading", name="Valeurs du fichier").wait_for()
    axe_check(page)
    page.get_by_label("Peinture murale").select_option("btp")
    page.get_by_role("button", name="Continuer").click()

    page.get_by_role("heading", name="Vérifier et importer").wait_for()
    page.get_by_text("4 participants seront importés").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Importer 4 participants").click()
    page.get_by_text("4 participants importés.").wait_for()
    names = db.session.scalars(select(Organisation.name).order_by(Organisation.name)).all()
    assert names == [
        "ESAT Mosaïque",
        "Les Jardins d'Alès",
        "Régie de quartier Œuvre Sud",
        "SCOP Bâtir Ensemble",
    ]
