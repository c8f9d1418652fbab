"""Where a new organiser tripped on the way from an import to everyone's calendar (issue 16's walk).

Each test pins one fix: the scheduling page says which phase it needs and gets there; the dashboard says
what each phase opens; a change of the published agenda and an invitation say what e-mails are queued; the
E-mails page names the participants' invitations; going back from the publication is confirmed first; the
columns step of an import says which required field no column gives before the organiser continues.
"""

from __future__ import annotations

import html
import io
import re

import pytest
from sqlalchemy import func, select

from salon.models import Fair, Meeting, OutboxMessage, ScheduleRun
from salon.services.participants_admin import create_participant
from tests.factories import login, make_fair, make_organisation, make_participant, make_user
from tests.salon.import_samples import directory_export
from tests.salon.services.test_publishing import make_run
from tests.salon.views.publish_helpers import publish_through_preview


def _text(response) -> str:  # noqa: ANN001
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def _flash(client, response) -> str:  # noqa: ANN001
    """Follow a redirect and return the text of the page's flash messages."""
    assert response.status_code == 303, response.status_code
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    alerts = re.findall(r'<div class="alert alert--\w+"[^>]*>(.*?)</div>', page, re.S)
    return " ".join(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", a)).split()) for a in alerts)


@pytest.fixture()
def organiser(client, db):
    user = make_user(can_create_fairs=True)
    db.session.commit()
    login(client, user)
    return user


def test_schedule_page_in_wishes_phase_says_why_and_moves_the_fair_to_scheduling(client, db, organiser):
    fair = make_fair(organiser=organiser, phase="wishes")
    db.session.commit()
    page = client.get(f"/orga/fairs/{fair.id}/schedule")
    text = _text(page)
    assert "Le planning se calcule en phase de planification ; le salon est en phase « souhaits »." in text
    assert "Calculer un planning" not in text  # no button that can only be refused
    assert "Passer à la phase : planification" in text
    moved = client.post(f"/orga/fairs/{fair.id}/phase", data={"phase": "scheduling", "back": "schedule"})
    assert (moved.status_code, moved.headers["Location"]) == (303, f"/orga/fairs/{fair.id}/schedule")
    assert db.session.get(Fair, fair.id).phase == "scheduling"
    assert "Calculer un planning" in _text(client.get(f"/orga/fairs/{fair.id}/schedule"))


def test_schedule_page_in_draft_phase_points_to_the_dashboard(client, db, organiser):
    fair = make_fair(organiser=organiser, phase="draft")
    db.session.commit()
    page = client.get(f"/orga/fairs/{fair.id}/schedule").get_data(as_text=True)
    assert f'href="/orga/fairs/{fair.id}/#h-phase">Changer de phase depuis le tableau de bord</a>' in page
    assert "Calculer un planning" not in page
    refused = client.post(f"/orga/fairs/{fair.id}/phase", data={"phase": "scheduling", "back": "schedule"})
    assert refused.headers["Location"] == f"/orga/fairs/{fair.id}/"  # a refused change stays on the dashboard
    assert db.session.get(Fair, fair.id).phase == "draft"
    assert db.session.scalar(select(func.count(ScheduleRun.id))) == 0


def test_dashboard_says_what_each_phase_opens_and_marks_the_current_one(client, db, organiser):
    fair = make_fair(organiser=organiser, phase="wishes")
    db.session.commit()
    page = client.get(f"/orga/fairs/{fair.id}/").get_data(as_text=True)
    steps = re.search(r'<ol class="phase-steps">(.*?)</ol>', page, re.S).group(1)
    names = re.findall(r"<strong>(\w+)</strong>", steps)
    assert names == ["Brouillon", "Inscriptions", "Souhaits", "Planification", "Publié", "Clos"]
    current = re.search(r'<li aria-current="step"[^>]*>(.*?)</li>', steps, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", current)) == (
        "Souhaits — Les participants disent qui ils souhaitent rencontrer, jusqu’à la date limite des "
        "souhaits ; les inscriptions restent ouvertes jusqu’à leur propre date limite."
    )


def _published(client, db, organiser, addresses: bool) -> tuple[Fair, list[Meeting]]:
    """Publish a fair where buyer B meets S1 (slot 0, table 0) and S2 (slot 1, table 1)."""
    fair = make_fair(organiser=organiser, phase="scheduling", slots_per_session=4, tables=3)
    people = []
    for side, name in (("buyer", "Ville de Nîmes"), ("supplier", "ESAT du Lez"), ("supplier", "SCOP Bâtir")):
        organisation = make_organisation(
            name, side, contact_email=f"{len(people)}@example.org" if addresses else ""
        )
        people.append(make_participant(fair, side, organisation=organisation))
    b, s1, s2 = people
    run = make_run(fair, [(b, s1, 0, 0), (b, s2, 1, 1)])
    db.session.commit()
    client.get(publish_through_preview(client, fair.id, run.id).headers["Location"])  # its flash is read
    return fair, db.session.scalars(select(Meeting).order_by(Meeting.slot_id)).all()


def _mail_count(db) -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_moving_a_published_meeting_says_how_many_emails_tell_it(client, db, organiser):
    fair, (first, _second) = _published(client, db, organiser, addresses=True)
    before = _mail_count(db)
    url = f"/orga/fairs/{fair.id}/meetings/{first.id}"
    place = {"action": "move", "move-slot_id": fair.slots[3].id, "move-table_id": fair.tables[2].id}
    assert _flash(client, client.post(url, data=place)) == (
        "Rendez-vous déplacé : 2 e-mails annonçant la nouvelle heure et la nouvelle table attendent dans la "
        "file d’envoi."
    )
    assert _mail_count(db) == before + 2
    assert (
        _flash(client, client.post(url, data=place))
        == "Le rendez-vous est déjà à cette place : rien n’a changé."
    )
    assert _mail_count(db) == before + 2


def test_moving_without_any_address_says_to_tell_them_yourself(client, db, organiser):
    fair, (first, second) = _published(client, db, organiser, addresses=False)
    url = f"/orga/fairs/{fair.id}/meetings/{first.id}"
    place = {"action": "move", "move-slot_id": fair.slots[3].id, "move-table_id": fair.tables[2].id}
    assert _flash(client, client.post(url, data=place)) == (
        "Rendez-vous déplacé, mais aucune des deux structures n’a d’adresse e-mail : prévenez-les vous-même."
    )
    swapped = client.post(url, data={"action": "swap", "swap-other_id": second.id})
    assert _flash(client, swapped) == (
        "Rendez-vous échangés, mais les structures concernées n’ont pas d’adresse e-mail : prévenez-les "
        "vous-même."
    )
    assert _mail_count(db) == 0


def test_swapping_published_meetings_and_locking_say_what_they_did(client, db, organiser):
    fair, (first, second) = _published(client, db, organiser, addresses=True)
    url = f"/orga/fairs/{fair.id}/meetings/{first.id}"
    swapped = client.post(url, data={"action": "swap", "swap-other_id": second.id})
    assert _flash(client, swapped) == (
        "Rendez-vous échangés : 4 e-mails annonçant les nouvelles heures et tables attendent dans la file "
        "d’envoi."
    )
    assert _flash(client, client.post(url, data={"action": "unlock"})) == "Rendez-vous déverrouillé."
    assert _flash(client, client.post(url, data={"action": "lock"})) == "Rendez-vous verrouillé à sa place."


def test_changing_a_draft_says_nobody_is_told_before_publishing(client, db, organiser):
    fair = make_fair(organiser=organiser, phase="scheduling", slots_per_session=4, tables=3)
    b, s = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    run = make_run(fair, [(b, s, 0, 0)])
    db.session.commit()
    draft = run.drafts[0]
    moved = client.post(
        f"/orga/fairs/{fair.id}/runs/{run.id}/drafts/{draft.id}",
        data={"action": "move", "move-slot_id": fair.slots[2].id, "move-table_id": fair.tables[1].id},
    )
    assert _flash(client, moved) == (
        "Modification enregistrée dans le brouillon : les participants ne sont prévenus qu’à sa publication."
    )
    assert _mail_count(db) == 0


def test_invitations_say_they_are_queued_and_the_emails_page_names_them(client, db, organiser):
    fair = make_fair(organiser=organiser, phase="wishes")
    entry = create_participant(fair, "supplier", {"name": "SCOP Bâtir", "contact_email": "scop@example.org"})
    db.session.commit()
    invite = f"/orga/fairs/{fair.id}/participants/{entry.id}/invite"
    assert _flash(client, client.post(invite)) == (
        "Invitation pour scop@example.org mise en file d’envoi : elle partira au prochain passage de l’envoi "
        "des e-mails."
    )
    assert _flash(client, client.post(invite)) == (
        "Invitation pour scop@example.org remise en file d’envoi : elle partira au prochain passage de "
        "l’envoi des e-mails."
    )
    page = client.get(f"/orga/fairs/{fair.id}/messages").get_data(as_text=True)
    row = re.findall(r'<tr id="message-\d+"[^>]*>(.*?)</tr>', page, re.S)[0]
    cells = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split())
        for c in re.findall(r"<td>(.*?)</td>", row, re.S)
    ]
    assert cells[:3] == [
        "scop@example.org",
        "Salon test : votre accès au salon",
        "Invitation à créer le compte du participant",
    ]


def test_leaving_the_publication_is_confirmed_first_and_says_what_it_hides(client, db, organiser):
    fair, _meetings = _published(client, db, organiser, addresses=True)
    dashboard = client.get(f"/orga/fairs/{fair.id}/").get_data(as_text=True)
    assert f'href="/orga/fairs/{fair.id}/phase/unpublish">Passer à la phase : planification…</a>' in dashboard
    assert 'name="phase" value="scheduling"' not in dashboard  # no one-click way back
    unconfirmed = client.post(f"/orga/fairs/{fair.id}/phase", data={"phase": "scheduling"})
    assert unconfirmed.headers["Location"] == f"/orga/fairs/{fair.id}/phase/unpublish"
    assert db.session.get(Fair, fair.id).phase == "published"
    page = client.get(unconfirmed.headers["Location"])
    text = _text(page)
    assert "Revenir à la phase de planification ?" in text
    assert "Les participants ne voient plus leur planning sur Salon jusqu’à la prochaine publication" in text
    assert (
        "inutile de revenir en arrière : calculez-le et publiez-le pendant que le salon est publié." in text
    )
    assert '<input type="hidden" name="confirmed" value="1">' in page.get_data(as_text=True)
    confirmed = client.post(f"/orga/fairs/{fair.id}/phase", data={"phase": "scheduling", "confirmed": "1"})
    assert confirmed.headers["Location"] == f"/orga/fairs/{fair.id}/"
    assert db.session.get(Fair, fair.id).phase == "scheduling"
    again = _text(client.get(f"/orga/fairs/{fair.id}/phase/unpublish"))
    assert "Le salon n’est pas publié." in again and "Oui, revenir" not in again


def test_columns_step_says_before_continuing_which_required_field_no_column_gives(client, db, organiser):
    fair = make_fair(organiser=organiser, phase="draft")
    db.session.commit()
    directory = client.post(
        f"/orga/fairs/{fair.id}/import",
        data={"file": (io.BytesIO(directory_export()), "annuaire.csv")},
        content_type="multipart/form-data",
    )
    page = client.get(directory.headers["Location"]).get_data(as_text=True)
    warning = re.search(r'<div class="alert alert--warning" id="import-missing">(.*?)</div>', page, re.S)
    assert " ".join(html.unescape(re.sub(r"<[^>]+>", " ", warning.group(1))).split()) == (
        "Aucune colonne ne donne : Profil (acheteur ou fournisseur). Pour le profil, choisissez sous le "
        "tableau celui de toutes les lignes : « Fournisseur » pour un annuaire de structures de l’ESS."
    )
    complete = "Nom de la structure;Profil;E-mail\r\nVille de Nîmes;acheteur;achats@nimes.example\r\n"
    own = client.post(
        f"/orga/fairs/{fair.id}/import",
        data={"file": (io.BytesIO(complete.encode()), "liste.csv")},
        content_type="multipart/form-data",
    )
    assert 'id="import-missing"' not in client.get(own.headers["Location"]).get_data(as_text=True)
