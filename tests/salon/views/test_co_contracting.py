"""Co-contracting in the pages: two exhibitors at their own tables wish each other, meet and are counted."""

from __future__ import annotations

import pytest

from salon.models import Fair, MandatoryMeeting, Meeting
from salon.services import scheduling
from solver.validate import violations_of_meetings
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.views.publish_helpers import publish_through_preview
from tests.salon.views.test_organiser_schedule import solve

SETTINGS = {
    "name": "Salon co-traitance",
    "timezone": "Europe/Paris",
    "meeting_minutes": "20",
    "pause_minutes": "5",
    "weight_high": "10",
    "weight_mid": "3",
    "weight_low": "1",
}


@pytest.fixture()
def world(client, db):
    """Two exhibitors, each at their own table, a buyer and the organiser; nobody signed in."""
    organiser = make_user(can_create_fairs=True)
    fair = make_fair(organiser=organiser, phase="wishes", slots_per_session=2, tables=3)
    scop_user, esat_user = make_user(), make_user()
    scop = make_participant(fair, "supplier", user=scop_user, name="SCOP Bâtisseurs")
    esat = make_participant(fair, "supplier", user=esat_user, name="ESAT du Lez")
    scop.home_table_id, esat.home_table_id = fair.tables[0].id, fair.tables[1].id
    buyer = make_participant(fair, "buyer", name="Métropole")
    db.session.commit()
    return fair, organiser, (scop, scop_user), (esat, esat_user), buyer


def _wish(client, user, source, target, choice: str):
    login(client, user)
    response = client.post(f"/p/{source.id}/wishes", data={"target_id": target.id, "choice": choice})
    client.post("/logout")
    return response


def _co_contracting(client, fair: Fair, value: str) -> None:
    response = client.post(f"/orga/fairs/{fair.id}/settings", data={**SETTINGS, "supplier_meetings": value})
    assert response.status_code == 302


def test_two_exhibitors_meet_at_one_of_their_tables_and_are_counted_apart(client, db, world):
    fair, organiser, (scop, scop_user), (esat, esat_user), buyer = world
    assert _wish(client, scop_user, scop, esat, "3").status_code == 404  # off: not in the catalogue
    login(client, organiser)
    settings_page = client.get(f"/orga/fairs/{fair.id}/settings").get_data(as_text=True)
    assert "Rencontres entre fournisseurs (co-traitance)" in settings_page
    _co_contracting(client, fair, "home")
    client.post("/logout")
    login(client, scop_user)
    catalogue = client.get(f"/p/{scop.id}/catalogue?side=supplier").get_data(as_text=True)
    assert "ESAT du Lez" in catalogue and "Métropole" not in catalogue
    client.post("/logout")
    assert _wish(client, scop_user, scop, esat, "3").status_code in (302, 303)
    assert _wish(client, esat_user, esat, scop, "2").status_code in (302, 303)
    assert _wish(client, scop_user, scop, buyer, "1").status_code in (302, 303)

    login(client, organiser)
    client.post(f"/orga/fairs/{fair.id}/phase", data={"phase": "scheduling"})
    run = solve(client, db, fair)
    pairs = {frozenset((d.participant_a_id, d.participant_b_id)): d for d in run.drafts}
    together = pairs[frozenset((scop.id, esat.id))]
    assert together.table_id in (fair.tables[0].id, fair.tables[1].id)
    fair = db.session.get(Fair, fair.id)
    maps = scheduling.load_maps(fair)
    instance = scheduling.build_instance(fair, locked=[], maps=maps)
    assert instance.away_meetings == "home"
    meetings = [maps.to_scheduled(s) for s in scheduling.draft_specs(run)]
    assert violations_of_meetings(instance, meetings) == []

    report = client.get(f"/orga/fairs/{fair.id}/runs/{run.id}/report").get_data(as_text=True)
    assert "dont rencontres entre deux fournisseurs (co-traitance)</th><td>1</td>" in report
    csv = client.get(f"/orga/fairs/{fair.id}/runs/{run.id}/report.csv").data.decode("utf-8-sig")
    assert "Synthèse;Rencontres entre deux fournisseurs (co-traitance);1;;supplier_supplier_meetings" in csv

    publish_through_preview(client, fair.id, run.id)
    assert db.session.scalar(db.select(db.func.count(Meeting.id)).where(Meeting.fair_id == fair.id)) == 2
    funders = client.get(f"/orga/fairs/{fair.id}/report.csv").data.decode("utf-8-sig")
    kinds = [line for line in funders.splitlines() if line.startswith("Type de rencontre;")]
    assert kinds == [
        "Type de rencontre;Entre un acheteur et un fournisseur;buyer_supplier;2;2;1;0;0;0;0.00;",
        "Type de rencontre;Entre deux fournisseurs (co-traitance);supplier_supplier;2;2;1;0;0;0;0.00;",
    ]


def _forced(db) -> list[set[int]]:
    return [{m.participant_a_id, m.participant_b_id} for m in db.session.scalars(db.select(MandatoryMeeting))]


def test_pair_forms_offer_supplier_pairs_only_with_co_contracting(client, db, world):
    fair, organiser, (scop, _), (esat, _), buyer = world
    login(client, organiser)
    fair.phase = "scheduling"
    db.session.commit()
    data = {"participant_a": scop.id, "participant_b": esat.id, "session_id": ""}
    refused = client.post(f"/orga/fairs/{fair.id}/mandatory", data=data)
    assert refused.status_code == 422 and "Acheteur ou fournisseur" not in refused.get_data(as_text=True)
    assert _forced(db) == []
    _co_contracting(client, fair, "home-or-shared")
    page = client.get(f"/orga/fairs/{fair.id}/mandatory").get_data(as_text=True)
    assert "Acheteur ou fournisseur" in page
    assert client.post(f"/orga/fairs/{fair.id}/mandatory", data=data).status_code in (302, 303)
    assert _forced(db) == [{scop.id, esat.id}]
    buyers_only = {"participant_a": buyer.id, "participant_b": buyer.id, "session_id": ""}
    assert client.post(f"/orga/fairs/{fair.id}/mandatory", data=buyers_only).status_code == 422
