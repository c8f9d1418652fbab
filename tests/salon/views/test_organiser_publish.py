"""Publishing through its preview: what will happen, in French and in the fair's time; stale ones refused."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from salon.models import DraftMeeting, Fair, Meeting, OutboxMessage
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import add_attendee
from tests.salon.services.test_publishing import make_run
from tests.salon.views.publish_helpers import preview_digest, publish_through_preview


@pytest.fixture()
def scene(client, db):
    """A fair in scheduling with a finished run of two meetings, its organiser signed in."""
    user = make_user()
    fair = make_fair(
        organiser=user, phase="scheduling", slots_per_session=3, tables=2, venue="Halle Tony Garnier"
    )
    buyer = make_participant(fair, "buyer", name="Métropole de Lyon")
    s1 = make_participant(fair, "supplier", name="ESAT Les Tilleuls")
    s2 = make_participant(fair, "supplier", name="Scop Bâtir Ensemble")
    add_attendee(buyer, "Léa Martin", "lea@example.org")
    add_attendee(s1, "Omar Diallo", "omar@example.org")
    s2.organisation.contact_email = ""  # no address: the preview warns that nobody will be told
    run = make_run(fair, [(buyer, s1, 0, 0), (buyer, s2, 4, 1)])
    db.session.commit()
    login(client, user)
    return fair, run, buyer, s1, s2


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_preview_shows_meetings_times_tables_and_emails_then_publishes_them(client, db, scene):
    fair, run, buyer, s1, s2 = scene
    page, digest = preview_digest(client, fair.id, run.id)
    text = _text(page)
    assert f"Publier le calcul n° {run.id} : ce qui va se passer" in text
    assert "2 nouveaux rendez-vous" in text and "0 rendez-vous déplacés" in text
    # Slot 0 is 09:00 and slot 4 is 14:25 in Paris (08:00 and 13:25 UTC): the fair's time, not UTC.
    assert "Métropole de Lyon / ESAT Les Tilleuls jeudi 18 mars 09:00 · Table 1" in text
    assert "Scop Bâtir Ensemble" in text and "jeudi 18 mars 14:25 · Table 2" in text
    assert "08:00" not in text and "13:25" not in text
    assert "2 e-mails seront mis en file pour 3 participants." in text
    assert "1 participant n’a aucune adresse e-mail et ne sera pas prévenu : Scop Bâtir Ensemble." in text
    assert 'id="publish-confirm"' in page and "Confirmer la publication" in text
    assert (_count(db, Meeting), _count(db, OutboxMessage)) == (0, 0)  # the preview writes nothing

    response = client.post(f"/orga/fairs/{fair.id}/runs/{run.id}/publish", data={"digest": digest})
    assert response.status_code == 303
    assert (_count(db, Meeting), _count(db, OutboxMessage)) == (2, 2)
    assert db.session.get(Fair, fair.id).phase == "published"
    shown = _text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Publié : 2 nouveaux rendez-vous, 0 déplacés, 0 annulés." in shown
    assert (
        "2 e-mails attendent dans la file d’envoi : ils partiront au prochain passage de l’envoi des "
        "e-mails. La page E-mails indique s’ils sont partis." in shown
    )


def test_stale_confirm_gets_409_changes_nothing_and_shows_new_preview(client, db, scene):
    fair, run, buyer, s1, s2 = scene
    _page, old = preview_digest(client, fair.id, run.id)
    draft = db.session.scalars(select(DraftMeeting).where(DraftMeeting.slot_id == fair.slots[0].id)).one()
    moved = client.post(
        f"/orga/fairs/{fair.id}/runs/{run.id}/drafts/{draft.id}",
        data={"action": "move", "move-slot_id": fair.slots[1].id, "move-table_id": fair.tables[1].id},
    )
    assert moved.status_code == 303
    response = client.post(f"/orga/fairs/{fair.id}/runs/{run.id}/publish", data={"digest": old})
    assert response.status_code == 409
    text = _text(response.get_data(as_text=True))
    assert "Le planning ou les rendez-vous publiés ont changé depuis l’aperçu : rien n’a été publié." in text
    assert "jeudi 18 mars 09:25 · Table 2" in text  # the new preview shows the draft as it is now
    assert (_count(db, Meeting), _count(db, OutboxMessage)) == (0, 0)
    assert db.session.get(Fair, fair.id).phase == "scheduling"
    new = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', response.get_data(as_text=True))
    assert new and new.group(1) != old
    assert (
        client.post(f"/orga/fairs/{fair.id}/runs/{run.id}/publish", data={"digest": new.group(1)}).status_code
        == 303
    )
    assert _count(db, Meeting) == 2


def test_confirm_after_another_publication_gets_409(client, db, scene):
    fair, run, buyer, s1, s2 = scene
    _page, digest = preview_digest(client, fair.id, run.id)
    assert publish_through_preview(client, fair.id, run.id).status_code == 303
    mails = _count(db, OutboxMessage)
    again = client.post(f"/orga/fairs/{fair.id}/runs/{run.id}/publish", data={"digest": digest})
    assert again.status_code == 409
    assert "rien n’a été publié" in _text(again.get_data(as_text=True))
    assert (_count(db, Meeting), _count(db, OutboxMessage)) == (2, mails)


@pytest.mark.parametrize("digest", ["", "x" * 64, "0" * 63])
def test_confirm_without_preview_digest_refused_with_message(client, db, scene, digest):
    fair, run, *_ = scene
    response = client.post(f"/orga/fairs/{fair.id}/runs/{run.id}/publish", data={"digest": digest})
    assert response.status_code == 422
    assert "Confirmez la publication depuis son aperçu." in _text(response.get_data(as_text=True))
    assert (_count(db, Meeting), _count(db, OutboxMessage)) == (0, 0)


def test_preview_of_republication_lists_moves_and_cancellations(client, db, scene):
    fair, run, buyer, s1, s2 = scene
    assert publish_through_preview(client, fair.id, run.id).status_code == 303
    second = make_run(db.session.get(Fair, fair.id), [(buyer, s1, 2, 1)])
    db.session.commit()
    page, _digest = preview_digest(client, fair.id, second.id)
    text = _text(page)
    assert (
        "0 nouveaux rendez-vous 1 rendez-vous déplacés 1 rendez-vous annulés 0 rendez-vous inchangés" in text
    )
    assert (
        "Métropole de Lyon / ESAT Les Tilleuls jeudi 18 mars 09:00 · Table 1 jeudi 18 mars 09:50 · Table 2"
        in text
    )
    assert "Métropole de Lyon / Scop Bâtir Ensemble jeudi 18 mars 14:25 · Table 2" in text
    # Léa twice (a move, a cancellation) and Omar once; the Scop has no address.
    assert "3 e-mails seront mis en file pour 3 participants." in text


def test_preview_of_unpublishable_run_goes_back_with_reason(client, db, scene):
    fair, run, *_ = scene
    db.session.get(Fair, fair.id).phase = "wishes"
    db.session.commit()
    response = client.get(f"/orga/fairs/{fair.id}/runs/{run.id}/publish")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/runs/{run.id}")
    shown = _text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "La publication n’est possible qu’en phase de planification ou de publication." in shown
