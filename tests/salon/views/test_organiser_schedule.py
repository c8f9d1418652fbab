"""Scheduling pages: solve in the background, progress, report, review edits, publish, printouts."""

from __future__ import annotations

import pytest

from salon import jobs, print_jobs
from salon.models import DraftMeeting, Fair, Meeting, PrintBuild, ScheduleRun
from tests.factories import login, make_fair, make_participant, make_user, make_wish
from tests.salon.views.publish_helpers import publish_through_preview


@pytest.fixture()
def fair(client, db):
    """A small fair in the scheduling phase, with its organiser signed in."""
    user = make_user()
    fair = make_fair(organiser=user, phase="scheduling", slots_per_session=3, tables=2)
    buyers = [make_participant(fair, "buyer", name=f"Acheteur {i}") for i in range(2)]
    suppliers = [make_participant(fair, "supplier", name=f"Fournisseur {i}") for i in range(3)]
    for s in suppliers:
        make_wish(buyers[0], s, 3)
        make_wish(s, buyers[1], 2)
    make_participant(fair, "supplier", name="Isolée")
    db.session.commit()
    login(client, user)
    return fair


def solve(client, db, fair) -> ScheduleRun:
    response = client.post(f"/orga/fairs/{fair.id}/schedule", data={"time_limit": "5"})
    assert response.status_code == 303
    run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    jobs.wait(run_id, timeout=60)
    db.session.expire_all()
    return db.session.get(ScheduleRun, run_id)


def test_solve_then_report_in_french(client, db, fair):
    run = solve(client, db, fair)
    assert (run.status, len(run.drafts)) == ("done", 6)
    page = client.get(f"/orga/fairs/{fair.id}/runs/{run.id}").get_data(as_text=True)
    assert "Publier ce planning" in page and "Terminé" in page
    report = client.get(f"/orga/fairs/{fair.id}/runs/{run.id}/report").get_data(as_text=True)
    assert "Rapport de qualité" in report and "aucun souhait émis ni reçu" in report and "<svg" in report
    csv = client.get(f"/orga/fairs/{fair.id}/runs/{run.id}/report.csv").data.decode("utf-8-sig")
    assert "Participants sans aucun rendez-vous;Isolée;aucun souhait émis ni reçu;;no-wish" in csv
    assert csv.splitlines()[1] == "Synthèse;Rendez-vous (chacun compté une fois);6;;meetings"


def test_progress_fragment_and_cancel_refused_when_done(client, db, fair):
    run = solve(client, db, fair)
    fragment = client.get(f"/orga/fairs/{fair.id}/runs/{run.id}/progress", headers={"HX-Request": "true"})
    assert fragment.headers.get("HX-Refresh") == "true"
    response = client.post(f"/orga/fairs/{fair.id}/runs/{run.id}/cancel", follow_redirects=True)
    assert "Ce calcul n’est pas en cours." in response.get_data(as_text=True)


def test_second_solve_refused_while_one_runs(client, db, fair):
    db.session.add(ScheduleRun(fair_id=fair.id, status="running"))
    db.session.commit()
    response = client.post(f"/orga/fairs/{fair.id}/schedule", data={"time_limit": "5"})
    assert response.status_code == 409
    assert "déjà en cours de calcul" in response.get_data(as_text=True)


def test_solve_refused_in_wrong_phase(client, db, fair):
    db.session.get(Fair, fair.id).phase = "wishes"
    db.session.commit()
    response = client.post(f"/orga/fairs/{fair.id}/schedule", data={"time_limit": "5"})
    assert response.status_code == 409
    assert db.session.scalar(db.select(db.func.count(ScheduleRun.id))) == 0


def test_run_of_other_fair_is_404(client, db, fair):
    other = make_fair(phase="scheduling")
    run = ScheduleRun(fair_id=other.id, status="done")
    db.session.add(run)
    db.session.commit()
    for path in ("", "/report", "/grid", "/progress"):
        assert client.get(f"/orga/fairs/{fair.id}/runs/{run.id}{path}").status_code == 404
    assert client.post(f"/orga/fairs/{fair.id}/runs/{run.id}/publish").status_code == 404


def test_review_move_refused_with_rule_then_accepted(client, db, fair):
    run = solve(client, db, fair)
    grid = client.get(f"/orga/fairs/{fair.id}/runs/{run.id}/grid").get_data(as_text=True)
    assert "Revoir et ajuster" in grid
    drafts = sorted(run.drafts, key=lambda d: (d.slot.starts_at, d.table_id))
    first, other = drafts[0], drafts[-1]
    url = f"/orga/fairs/{fair.id}/runs/{run.id}/drafts/{first.id}"
    response = client.post(
        url, data={"action": "move", "move-slot_id": other.slot_id, "move-table_id": other.table_id}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "déjà occupée le jeudi 18 mars à " in page or "a déjà un rendez-vous le jeudi 18 mars à " in page
    assert "double-booked" not in page and "règle" not in page
    assert db.session.get(DraftMeeting, first.id).slot_id == first.slot_id
    used = {(d.slot_id, d.table_id) for d in drafts}
    pair = {first.participant_a_id, first.participant_b_id}
    busy = {d.slot_id for d in drafts if {d.participant_a_id, d.participant_b_id} & pair and d.id != first.id}
    free_slot, free_table = next(
        (s.id, t.id) for s in fair.slots for t in fair.tables if s.id not in busy and (s.id, t.id) not in used
    )
    response = client.post(
        url, data={"action": "move", "move-slot_id": free_slot, "move-table_id": free_table}
    )
    assert response.status_code == 303
    moved = db.session.get(DraftMeeting, first.id)
    assert (moved.slot_id, moved.locked) == (free_slot, True)


def test_publish_then_move_published_meeting_and_print(client, db, fair):
    run = solve(client, db, fair)
    response = publish_through_preview(client, fair.id, run.id)
    assert response.status_code == 303
    meetings = db.session.scalars(db.select(Meeting).where(Meeting.fair_id == fair.id)).all()
    assert len(meetings) == 6 and db.session.get(Fair, fair.id).phase == "published"
    page = client.get(f"/orga/fairs/{fair.id}/meetings").get_data(as_text=True)
    assert "Planning publié" in page
    m = meetings[0]
    assert client.post(f"/orga/fairs/{fair.id}/meetings/{m.id}", data={"action": "cancel"}).status_code == 422
    assert db.session.get(Meeting, m.id).status == "scheduled"  # cancelling is confirmed on its own page
    response = client.post(f"/orga/fairs/{fair.id}/meetings/{m.id}/cancel")
    assert response.status_code == 303
    m = db.session.get(Meeting, m.id)
    assert (m.status, m.sequence) == ("cancelled", 1)
    assert client.get(f"/orga/fairs/{fair.id}/meetings/{m.id + 1000}").status_code == 404
    for document in ("tables", "agendas"):
        assert client.post(f"/orga/fairs/{fair.id}/print/{document}").status_code == 303
        build = db.session.scalars(db.select(PrintBuild).where(PrintBuild.document == document)).one()
        print_jobs.wait(build.id)
        pdf = client.get(f"/orga/fairs/{fair.id}/print/builds/{build.id}.pdf")
        assert pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    export = client.get(f"/orga/fairs/{fair.id}/export/meetings.csv").data.decode("utf-8-sig")
    assert export.count("@salon") == 5


def test_publish_refused_for_failed_run(client, db, fair):
    run = ScheduleRun(fair_id=fair.id, status="failed")
    db.session.add(run)
    db.session.commit()
    response = client.get(f"/orga/fairs/{fair.id}/runs/{run.id}/publish", follow_redirects=True)
    assert "Seul un planning terminé" in response.get_data(as_text=True)
    response = client.post(f"/orga/fairs/{fair.id}/runs/{run.id}/publish", data={"digest": "0" * 64})
    assert response.status_code == 303
    assert "Seul un planning terminé" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0
