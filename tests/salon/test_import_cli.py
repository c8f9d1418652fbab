"""`salon import FAIR_SLUG FILE [--mapping FILE.json] [--dry-run]`: the web import's checks from a shell."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bench.import_bomb import xlsx_bomb
from salon.models import ImportMapping, Organisation, Participant
from tests.factories import make_fair
from tests.salon.import_samples import DIRECTORY_DOCUMENT, directory_export, xlsx_bytes


@pytest.fixture()
def fair(db):
    fair = make_fair(slug="coventis-2027")
    db.session.commit()
    return fair


def run(
    runner, tmp_path, data: bytes, *options: str, name: str = "annuaire.csv", mapping: dict | None = None
):
    path = tmp_path / name
    path.write_bytes(data)
    args = ["import", "coventis-2027", str(path), *options]
    if mapping is not None:
        (tmp_path / "mapping.json").write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
        args += ["--mapping", str(tmp_path / "mapping.json")]
    return runner.invoke(args=args)


def participants(db) -> int:
    return db.session.scalar(select(func.count(Participant.id)))


def test_without_mapping_fails_naming_what_it_could_not_map(runner, db, fair, tmp_path):
    result = run(runner, tmp_path, directory_export())
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        "row 1 [Profil (acheteur ou fournisseur)]: Aucune colonne ne donne ce champ.",
        "row 6 [Secteur d'activité]: Valeur inconnue : Peinture murale "
        "(valeurs proches : Second œuvre, BTP).",
    ]
    assert participants(db) == 0


def test_mapping_document_then_dry_run_then_import(runner, db, fair, tmp_path):
    result = run(runner, tmp_path, directory_export(), "--dry-run", mapping=DIRECTORY_DOCUMENT)
    assert (result.exit_code, result.output) == (
        0,
        "4 participant(s) to import (0 known organisation(s) reused); dry run\n",
    )
    assert participants(db) == 0
    result = run(runner, tmp_path, directory_export(), mapping=DIRECTORY_DOCUMENT)
    assert (result.exit_code, result.output) == (
        0,
        "4 participant(s) imported (0 known organisation(s) reused)\n",
    )
    assert participants(db) == 4
    saved = db.session.scalar(select(ImportMapping))
    assert saved.values == {"sectors": {"peinture murale": ["btp"]}}


def test_saved_mapping_used_without_a_document(runner, db, fair, tmp_path):
    run(runner, tmp_path, directory_export(), mapping=DIRECTORY_DOCUMENT)
    again = "Raison sociale;Courriel;Secteur d'activité\nAutre ESAT;autre@example.org;Peinture murale\n"
    result = run(runner, tmp_path, again.encode(), mapping={"side": "supplier"})
    assert result.exit_code == 0, result.output
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Autre ESAT"))
    assert org.sectors == ["btp"]


@pytest.mark.parametrize(
    "data",
    [
        "Raison sociale\tProfil\tCourriel\r\nESAT\tfournisseur\te@example.org\r\n".encode("utf-16"),
        "Raison sociale;Profil;Courriel\rESAT;fournisseur;e@example.org\r".encode("cp1252"),
    ],
    ids=["utf16", "cr-only"],
)
def test_utf16_and_cr_only_files_accepted(runner, db, fair, tmp_path, data):
    result = run(runner, tmp_path, data)
    assert (result.exit_code, participants(db)) == (0, 1), result.output


def test_refusals_exit_1_with_row_numbered_problems(runner, db, fair, tmp_path):
    rows = [
        ["Raison sociale", "Profil", "Courriel", "Site web"],
        ["x" * 201, "fournisseur", "a@example.org", ""],
        ["ESAT", "fournisseur", "b@example.org", "javascript:alert(1)"],
    ]
    result = run(runner, tmp_path, xlsx_bytes(rows), name="p.xlsx")
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        "row 2 [Raison sociale]: Trop long : 200 caractères au plus.",
        "row 3 [Site web]: Saisissez une adresse complète, par exemple https://…",
    ]
    result = run(runner, tmp_path, xlsx_bomb(1_000_000), name="bomb.xlsx")
    assert result.exit_code == 1
    assert "Ce fichier Excel décompressé dépasse 32 Mo" in result.output
    assert participants(db) == 0


def test_bad_mapping_documents_and_unknown_fair_refused(runner, db, fair, tmp_path):
    result = run(
        runner, tmp_path, directory_export(), mapping={"columns": {"Collège": "college"}, "side": "x"}
    )
    assert result.exit_code == 1
    assert (
        "[Collège]: Champ inconnu college." in result.output and "[side]: Valeur inconnue x" in result.output
    )
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    result = runner.invoke(
        args=[
            "import",
            "coventis-2027",
            str(tmp_path / "annuaire.csv"),
            "--mapping",
            str(tmp_path / "broken.json"),
        ]
    )
    assert result.exit_code == 1 and "not a JSON file" in result.output
    result = runner.invoke(args=["import", "no-such-fair", str(tmp_path / "annuaire.csv")])
    assert result.exit_code == 1 and "no fair with the slug" in result.output
    assert participants(db) == 0
