"""The organiser's journey in a real browser: create a fair, import a CSV, solve, read the report, move a
meeting, publish. axe finds no serious or critical violation on any page visited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from salon.extensions import db as _db
from salon.models import DraftMeeting, Fair, Meeting, Participant, ScheduleRun
from tests.factories import PASSWORD, make_user, make_wish

pytestmark = pytest.mark.e2e

CSV = (
    "Nom de la structure;Profil;SIRET;E-mail;Contact;Type de structure;Secteurs\r\n"
    "Ville de Montpellier;acheteur;;achats@ville.example;Claire Martin;;nettoyage\r\n"
    "CHU de Nîmes;acheteur;;achats@chu.example;Paul Roux;;\r\n"
    "ESAT Les Iris;fournisseur;;contact@iris.example;Karim Benali;esat;nettoyage\r\n"
    "Recyclerie du Lez;fournisseur;;bonjour@lez.example;Léa Petit;aci;reemploi\r\n"
    "SCOP Bâtir;fournisseur;73282932000074;scop@batir.example;Jean Dupont;scop;btp\r\n"
)


def _add_wishes(fair_id: int) -> None:
    """Stand in for the participants: each buyer wishes every supplier."""
    people = _db.session.scalars(select(Participant).where(Participant.fair_id == fair_id)).all()
    buyers = [p for p in people if p.side == "buyer"]
    suppliers = [p for p in people if p.side == "supplier"]
    for i, b in enumerate(buyers):
        for j, s in enumerate(suppliers):
            make_wish(b, s, 3 - (i + j) % 3)
    _db.session.commit()


def _free_place(run_id: int) -> tuple[DraftMeeting, int, int]:
    """Return a draft meeting and a (slot, table) where it can move without breaking a rule."""
    run = _db.session.get(ScheduleRun, run_id)
    drafts = sorted(run.drafts, key=lambda d: d.id)
    first = drafts[0]
    fair = _db.session.get(Fair, run.fair_id)
    pair = {first.participant_a_id, first.participant_b_id}
    busy = {d.slot_id for d in drafts if pair & {d.participant_a_id, d.participant_b_id}}
    used = {(d.slot_id, d.table_id) for d in drafts}
    slot, table = next((s.id, t.id) for s in fair.slots for t in fair.tables
                       if s.id not in busy and (s.id, t.id) not in used)  # fmt: skip
    return first, slot, table


def test_organiser_journey(live_server, page, axe_check, db, tmp_path):
    make_user("orga@cress.example", can_create_fairs=True, full_name="Orga CRESS")
    db.session.commit()
    base = live_server

    page.goto(f"{base}/login")
    page.get_by_label("Adresse e-mail").fill("orga@cress.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.goto(f"{base}/orga/")
    axe_check(page)
    page.get_by_role("link", name="Créer un salon").click()
    axe_check(page)
    page.get_by_label("Nom du salon").fill("Coventis Montpellier 2027")
    page.get_by_label("Modèle").select_option("coventis")
    page.get_by_label("Premier jour").fill("2027-03-18")
    page.get_by_role("button", name="Créer").click()
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    axe_check(page)
    fair_id = int(re.search(r"/orga/fairs/(\d+)/", page.url).group(1))

    csv_path = tmp_path / "participants.csv"
    csv_path.write_bytes(CSV.encode("cp1252", errors="strict"))
    page.get_by_role("navigation", name="Menu du salon").get_by_role("link", name="Importer").click()
    axe_check(page)
    page.get_by_label("Fichier CSV ou Excel").set_input_files(str(csv_path))
    page.get_by_role("button", name="Lire le fichier").click()
    for heading in ("Colonnes du fichier", "Valeurs du fichier"):
        page.get_by_role("heading", name=heading).wait_for()
        axe_check(page)
        page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Vérifier et importer").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Importer 5 participants").click()
    page.get_by_text("5 participants importés.").wait_for()
    axe_check(page)
    _add_wishes(fair_id)

    page.get_by_role("navigation", name="Menu du salon").get_by_role("link", name="Tableau de bord").click()
    for phase in ("inscriptions", "souhaits", "planification"):
        page.get_by_role("button", name=f"Passer à la phase : {phase}").click()
        page.get_by_text("Le salon a changé de phase.").wait_for()

    page.get_by_role("navigation", name="Menu du salon").get_by_role("link", name="Planification").click()
    axe_check(page)
    page.get_by_label("Temps de calcul maximal (secondes)").fill("5")
    page.get_by_role("button", name="Calculer un planning").click()
    page.get_by_role("button", name="Publier ce planning").wait_for(timeout=60_000)
    axe_check(page)
    run_id = int(re.search(r"/runs/(\d+)", page.url).group(1))

    page.get_by_role("link", name="Rapport de qualité").click()
    page.get_by_role("heading", name=re.compile("Rapport de qualité")).wait_for()
    assert page.get_by_text("Participants avec au moins un rendez-vous").is_visible()
    axe_check(page)
    page.go_back()

    page.get_by_role("link", name="Revoir et ajuster").click()
    axe_check(page)
    draft, slot_id, table_id = _free_place(run_id)
    page.locator(f"a[href$='/drafts/{draft.id}']").first.click()
    axe_check(page)
    page.get_by_label("Créneau").select_option(str(slot_id))
    page.get_by_label("Table", exact=True).select_option(str(table_id))
    page.get_by_role("button", name="Déplacer").click()
    page.get_by_text(
        "Modification enregistrée dans le brouillon : les participants ne sont prévenus qu’à sa publication."
    ).wait_for()
    _db.session.expire_all()
    assert _db.session.get(DraftMeeting, draft.id).slot_id == slot_id

    page.get_by_role("link", name="Retour au calcul").click()
    page.get_by_role("button", name="Publier ce planning").click()
    page.get_by_role("heading", name=re.compile("ce qui va se passer")).wait_for()
    axe_check(page)
    assert (
        page.locator("#publish-summary")
        .inner_text()
        .startswith(f"{len(_db.session.get(ScheduleRun, run_id).drafts)}")
    )
    page.get_by_role("button", name="Confirmer la publication").click()
    page.get_by_role("heading", name="Planning publié").wait_for()
    page.get_by_text(re.compile("attendent dans la file d’envoi")).wait_for()
    axe_check(page)
    meetings = _db.session.scalars(select(Meeting).where(Meeting.fair_id == fair_id)).all()
    assert len(meetings) == len(_db.session.get(ScheduleRun, run_id).drafts) > 0
    moved = next(m for m in meetings if (m.participant_a_id, m.participant_b_id) ==
                 (draft.participant_a_id, draft.participant_b_id))  # fmt: skip
    assert (moved.slot_id, moved.table_id) == (slot_id, table_id)

    page.get_by_role("navigation", name="Menu du salon").get_by_role("link", name="E-mails").click()
    page.get_by_role("heading", name="E-mails du salon").wait_for()
    assert page.locator("#outbox-messages tbody tr").count() > 0
    axe_check(page)
    # The run page says what the solve did in words, and cancelling a meeting is confirmed first.
    page.goto(f"{base}/orga/fairs/{fair_id}/runs/{run_id}")
    assert page.get_by_text(re.compile(r"^1/3 Qui rencontre qui : ")).is_visible()
    page.goto(f"{base}/orga/fairs/{fair_id}/meetings/{moved.id}")
    page.get_by_role("link", name="Annuler ce rendez-vous").click()
    page.get_by_role("heading", name="Annuler ce rendez-vous ?").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Oui, annuler ce rendez-vous").click()
    page.get_by_text("Rendez-vous annulé : les deux structures sont prévenues.").wait_for()
    _db.session.expire_all()
    assert _db.session.get(Meeting, moved.id).status == "cancelled"
