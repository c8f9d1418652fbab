"""The run page speaks the organiser's language: stages named for people, each figure explained, a bar that
follows the stages, a finished run's result in one sentence, an infeasible run's reasons in words."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from salon.models import DraftMeeting, MandatoryMeeting, ScheduleRun
from salon.models.base import utcnow
from tests.factories import login, make_fair, make_participant, make_user

RAW_WORDS = ("coverage", "weight", "breaks", "optimal", "feasible", "infeasible", "mandatory-", "p1", "s1")


@pytest.fixture()
def fair(client, db):
    """A fair with 2 buyers and 2 suppliers (one without meeting), its organiser signed in."""
    user = make_user()
    fair = make_fair(organiser=user, phase="scheduling", name="Salon Coventis")
    fair.people = [
        make_participant(fair, "buyer", name="Ville de Nîmes"),
        make_participant(fair, "buyer", name="CHU de Montpellier"),
        make_participant(fair, "supplier", name="ESAT Les Iris"),
        make_participant(fair, "supplier", name="Scop Bâtir"),
    ]
    db.session.commit()
    login(client, user)
    return fair


def _run(db, fair, **fields) -> ScheduleRun:
    run = ScheduleRun(fair_id=fair.id, time_limit=30.0, **fields)
    db.session.add(run)
    db.session.commit()
    return run


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _progress(html: str) -> int:
    return int(re.search(r'<progress max="100" value="(\d+)"', html).group(1))


def test_finished_run_shows_stages_and_one_sentence(client, db, fair):
    b1, b2, s1, _s2 = fair.people
    stages = [
        {"term": "coverage", "status": "optimal", "value": 3, "bound": 3, "seconds": 0.1},
        {"term": "weight", "status": "feasible", "value": 13, "bound": 20, "seconds": 9.0},
        {"term": "breaks", "status": "feasible", "value": 2, "bound": 0, "seconds": 0.2},
    ]
    run = _run(db, fair, status="done", solver_status="feasible", objective={"coverage": 3, "weight": 13,
               "breaks": 2}, stats={"stages": stages}, progress={"elapsed": 9.3, "done": True})  # fmt: skip
    for b, slot in ((b1, 0), (b2, 1)):
        lo, hi = sorted((b.id, s1.id))
        db.session.add(DraftMeeting(run_id=run.id, participant_a_id=lo, participant_b_id=hi,
                                    slot_id=fair.slots[slot].id, table_id=fair.tables[0].id))  # fmt: skip
    db.session.commit()
    html = client.get(f"/orga/fairs/{fair.id}/runs/{run.id}").get_data(as_text=True)
    text = _text(html)
    assert (
        "Terminé — 2 rendez-vous ; 3 participants sur 4 en ont au moins un ; souhaits satisfaits valant 13 "
        "points ; 2 temps morts. Le meilleur planning trouvé dans le temps imparti : les étapes qui ne "
        "sont pas marquées « prouvé » pourraient encore s’améliorer avec plus de temps." in text
    )
    assert (
        "1/3 Qui rencontre qui : 3 participants sur 4 ont au moins un rendez-vous ; le mieux possible, prouvé"
        in text
    )
    assert "2/3 Valeur des souhaits : souhaits satisfaits valant 13 points ; au plus 20 possibles" in text
    assert (
        "3/3 Temps morts : 2 temps morts entre deux rendez-vous d’un même participant ; pourrait encore "
        "s’améliorer avec plus de temps" in text
    )
    assert "Points : un souhait noté « incontournable » compte 10" in text
    assert _progress(html) == 100
    assert [w for w in RAW_WORDS if re.search(rf"\b{w}", text)] == []


def test_running_run_bar_follows_the_stages(client, db, fair):
    progress = {"stage": "weight", "stage_index": 1, "stages": 3, "value": 7, "bound": 20, "elapsed": 5.0,
                "stage_started": 0.0, "stage_values": {"coverage": [4, 4], "weight": [7, 20]}}  # fmt: skip
    run = _run(db, fair, status="running", progress=progress)
    html = client.get(f"/orga/fairs/{fair.id}/runs/{run.id}/progress").get_data(as_text=True)
    text = _text(html)
    assert "Calcul en cours" in text
    assert (
        "1/3 Qui rencontre qui : 4 participants sur 4 ont au moins un rendez-vous ; le mieux possible" in text
    )
    assert "2/3 Valeur des souhaits : souhaits satisfaits valant 7 points ; au plus 20 possibles" in text
    assert "3/3 Temps morts : à venir" in text
    # Stage 2 of 3 began at 0 s with 30 s left, so its share is 15 s: 5 s in is a third of it.
    assert _progress(html) == round(100 * (1 + 5 / 15) / 3)
    assert 'aria-current="step"' in html and 'hx-trigger="every 1s"' in html


def test_failed_run_says_its_figures_are_where_it_stopped(client, db, fair):
    progress = {"stage": "breaks", "value": 186, "bound": 0, "elapsed": 15.8, "stage_started": 9.0,
                "stage_values": {"coverage": [4, 4], "weight": [7, 20], "breaks": [186, 0]}}  # fmt: skip
    run = _run(db, fair, status="failed", progress=progress, error="worker_killed")
    text = _text(client.get(f"/orga/fairs/{fair.id}/runs/{run.id}").get_data(as_text=True))
    assert (
        "Échec — Le calcul a échoué : aucun planning n’a été enregistré. Ci-dessous, où il en était quand il "
        "s’est arrêté." in text
    )
    assert "3/3 Temps morts : 186 temps morts" in text
    assert "Publier" not in text


def test_a_run_preparing_its_model_counts_the_seconds_since_it_started(client, db, fair):
    started = utcnow() - timedelta(seconds=12)
    run = _run(db, fair, status="running", progress={}, started_at=started)
    text = _text(client.get(f"/orga/fairs/{fair.id}/runs/{run.id}/progress").get_data(as_text=True))
    seconds = float(re.search(r"Temps écoulé : ([\d,]+) s sur 30 s", text).group(1).replace(",", "."))
    assert 12 <= seconds < 60  # the wall clock, not the "0,0 s" the solver reports before its search begins


def test_infeasible_run_explains_reasons_with_names(client, db, fair):
    b1, _b2, s1, _s2 = fair.people
    db.session.add(MandatoryMeeting(fair_id=fair.id, participant_a_id=b1.id, participant_b_id=s1.id))
    reasons = [
        {"rule": "unavailable", "ids": [0, f"p{b1.id}", f"p{s1.id}"],
         "message": f"meeting 0: p{b1.id} and p{s1.id} share no free slot in the fair"},
        {"rule": "table-double-booked", "ids": [f"s{fair.slots[4].id}", 0],
         "message": f"4 meetings are fixed to s{fair.slots[4].id} and there are 3 tables"},
    ]  # fmt: skip
    run = _run(db, fair, status="done", solver_status="infeasible", reasons=reasons)
    html = client.get(f"/orga/fairs/{fair.id}/runs/{run.id}").get_data(as_text=True)
    visible = _text(re.sub(r"<details>.*?</details>", "", html, flags=re.S))
    assert "Aucun planning ne respecte toutes les règles." in visible
    assert "Ville de Nîmes et ESAT Les Iris n’ont aucun créneau libre en commun." in visible
    assert "Plus de rendez-vous sont fixés le jeudi 18 mars à 14:00 qu’il n’y a de tables." in visible
    assert [w for w in RAW_WORDS if re.search(rf"\b{w}", visible)] == []
    assert "<summary>Détail technique</summary>" in html and "<code>unavailable: meeting 0" in html
