"""Printouts read back from the PDF: label sheets of badges, agendas without empty pages, table sheets."""

from __future__ import annotations

import math

import pytest
from flask_babel import force_locale

from salon.models import Attendee, DraftMeeting, ScheduleRun
from salon.services import printouts
from salon.services.checkin import attendee_from_token, checkin_url
from salon.services.printouts import participant_agenda, render_document
from tests.factories import make_fair, make_participant
from tests.salon.calendar_helpers import make_meeting
from tests.salon.pdf_reading import page_sizes_mm, page_texts, qr_codes


def render(fair, document: str, **options) -> printouts.Printout:
    with force_locale("fr"):
        return render_document(fair, document, **options)


def _person(participant, name: str, job: str = "") -> Attendee:
    return Attendee(participant=participant, full_name=name, job_title=job, email="x@example.org")


@pytest.fixture()
def fair(db):
    """Three buyers (the third without meetings), two suppliers (the second at its home table 3)."""
    fair = make_fair(slots_per_session=4, tables=3)
    b1 = make_participant(fair, side="buyer", name="Alpha Hôpital")
    b2 = make_participant(fair, side="buyer", name="Bravo Mairie")
    b3 = make_participant(fair, side="buyer", name="Charlie Bailleur")
    s1 = make_participant(fair, side="supplier", name="Delta Recyclerie")
    s2 = make_participant(fair, side="supplier", name="Echo Traiteur", home_table=fair.tables[2])
    pending = make_participant(fair, side="supplier", name="Foxtrot En attente", status="pending")
    for p, name in ((b1, "Anne Achat"), (b2, "Bruno Achat"), (b3, "Chloé Achat"), (s1, "Denis Offre"),
                    (s2, "Émile Offre"), (pending, "Fanny Attente")):  # fmt: skip
        db.session.add(_person(p, name, "Responsable"))
    make_meeting(b1, s1, fair.slots[0], fair.tables[0])
    make_meeting(b2, s1, fair.slots[1], fair.tables[0])
    make_meeting(b1, s2, fair.slots[2], fair.tables[2])
    db.session.commit()
    return fair


def test_agendas_leave_out_participants_without_meetings(fair):
    out = render(fair, "agendas")
    texts = page_texts(out.pdf)
    assert (out.pages, out.items, out.meetings) == (4, 4, 3)
    assert [t.splitlines()[0] for t in texts] == [
        "Alpha Hôpital",
        "Bravo Mairie",
        "Delta Recyclerie",
        "Echo Traiteur",
    ]
    assert not any("Charlie Bailleur" in t or "Aucun rendez-vous" in t for t in texts)
    with_empty = render(fair, "agendas", include_empty=True)
    texts = page_texts(with_empty.pdf)
    assert (with_empty.pages, with_empty.items, with_empty.meetings) == (5, 5, 3)
    assert texts[2].splitlines()[0] == "Charlie Bailleur" and "Aucun rendez-vous." in texts[2]


def test_agenda_lists_meetings_in_time_order_with_the_counterparts(fair):
    alpha = page_texts(render(fair, "agendas").pdf)[0]
    assert "Acheteur · Anne Achat" in alpha and "2 rendez-vous" in alpha and "jeudi 18 mars 2027" in alpha
    first = alpha.index("09:00–09:20 · Table 1 · Delta Recyclerie (Fournisseur de l'ESS)")
    second = alpha.index("09:50–10:10 · Table 3 · Echo Traiteur (Fournisseur de l'ESS)")
    assert first < second
    assert "Denis Offre" in alpha and "Émile Offre" in alpha and "Bruno" not in alpha
    assert "provisoire" not in alpha


def test_table_sheets_one_page_per_table_with_meetings(fair):
    out = render(fair, "tables")
    texts = page_texts(out.pdf)
    assert (out.pages, out.items, out.meetings) == (2, 2, 3)
    assert texts[0].startswith("Table 1") and texts[1].startswith("Table 3\nEcho Traiteur")
    assert "09:25–09:45 · Acheteur : Bravo Mairie" in texts[0]
    assert "Fournisseur de l'ESS : Delta Recyclerie" in texts[0]
    assert page_sizes_mm(out.pdf) == [(210, 297)] * 2


def test_draft_printouts_are_marked_provisional(db):
    fair = make_fair()
    buyer = make_participant(fair, side="buyer", name="Golf Département")
    supplier = make_participant(fair, side="supplier", name="Hotel Coop")
    run = ScheduleRun(fair_id=fair.id, status="done", solver_status="optimal")
    db.session.add(run)
    db.session.flush()
    lo, hi = sorted((buyer.id, supplier.id))
    db.session.add(DraftMeeting(run_id=run.id, participant_a_id=lo, participant_b_id=hi,
                                slot_id=fair.slots[0].id, table_id=fair.tables[0].id))  # fmt: skip
    db.session.commit()
    texts = page_texts(render(fair, "tables").pdf)
    assert len(texts) == 1 and "Planning provisoire : pas encore publié." in texts[0]
    assert "Golf Département" in texts[0]


def test_nothing_to_print_gives_one_page_saying_so(db):
    fair = make_fair()
    db.session.commit()
    out = render(fair, "agendas")
    assert (out.pages, out.items, out.meetings) == (1, 0, 0)
    assert "Aucun rendez-vous à imprimer pour l'instant." in page_texts(out.pdf)[0]


def test_participant_agenda_holds_only_their_meetings(fair, db):
    from salon.models import Participant

    bravo = db.session.scalars(db.select(Participant).where(Participant.side == "buyer")).all()[1]
    with force_locale("fr"):
        out = participant_agenda(bravo)
    (text,) = page_texts(out.pdf)
    assert text.startswith("Bravo Mairie") and "1 rendez-vous" in text
    assert "09:25–09:45 · Table 1 · Delta Recyclerie" in text
    assert "Echo Traiteur" not in text and "Alpha" not in text


@pytest.mark.parametrize("people", [1, 8, 17])
def test_badges_fill_a4_sheets_of_eight_labels(db, people):
    fair = make_fair()
    for i in range(people):
        p = make_participant(fair, side="buyer" if i % 2 else "supplier", name=f"Organisation {i:02d}")
        db.session.add(_person(p, f"Personne {i:02d}"))
    db.session.commit()
    out = render(fair, "badges")
    texts = page_texts(out.pdf)
    assert (out.pages, out.items) == (math.ceil(people / 8), people)
    assert page_sizes_mm(out.pdf) == [(210, 297)] * out.pages
    for page, text in enumerate(texts):
        on_page = range(page * 8, min(people, page * 8 + 8))
        assert [f"Personne {i:02d}" in text for i in range(people)] == [i in on_page for i in range(people)]


def test_badge_qr_codes_open_each_person_check_in(fair, db):
    out = render(fair, "badges")
    people = db.session.scalars(db.select(Attendee).order_by(Attendee.id)).all()
    approved = [a for a in people if a.participant.status == "approved"]
    assert (out.pages, out.items) == (1, 5)
    scanned = qr_codes(out.pdf, page=1)
    assert sorted(scanned) == sorted(checkin_url(a) for a in approved)
    assert {attendee_from_token(fair, text).id for text in scanned} == {a.id for a in approved}
    text = page_texts(out.pdf)[0]
    assert "Fanny Attente" not in text and "Echo Traiteur\nFournisseur de l'ESS\nTable 3" in text


def test_worker_processes_give_the_same_pages(app, db, fair, monkeypatch):
    from salon.services import badges

    one = render(fair, "agendas")
    monkeypatch.setitem(app.config, "PRINT_PROCESSES", 2)
    monkeypatch.setattr(printouts, "CHUNK", 1)  # one agenda per chunk: four chunks for two processes
    many = render(fair, "agendas")
    assert (many.pages, many.items, many.meetings) == (one.pages, one.items, one.meetings)
    assert page_texts(many.pdf) == page_texts(one.pdf)
    monkeypatch.setattr(badges, "SHEETS_PER_CHUNK", 1)  # two sheets of labels, two chunks
    for i in range(9):
        db.session.add(
            _person(make_participant(fair, side="buyer", name=f"Organisation {i}"), f"Personne {i}")
        )
    db.session.commit()
    split = render(fair, "badges")
    assert (split.pages, split.items) == (2, 14)
    assert len(qr_codes(split.pdf, page=1)) == 8 and len(qr_codes(split.pdf, page=2)) == 6


def test_long_names_wrap_instead_of_running_off_the_page(db):
    fair = make_fair()
    long_name = "Établissement public " + " ".join(["intercommunal de coopération solidaire"] * 4)
    buyer = make_participant(fair, side="buyer", name=long_name)
    supplier = make_participant(fair, side="supplier", name="India Coop")
    make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    db.session.commit()
    texts = page_texts(render(fair, "agendas").pdf)
    india = next(t for t in texts if t.startswith("India Coop"))
    assert long_name in " ".join(india.split())
    assert printouts.fit("x" * 75, 75) == "line" and printouts.fit("x" * 76, 75) == "line--wrap"


def test_a_fair_of_two_days_heads_each_day(db):
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    from salon.models import FairSession, Slot

    fair = make_fair()
    day = date(2027, 3, 19)
    start = datetime(2027, 3, 19, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    session = FairSession(
        fair=fair, label="d2", name="Jour 2", day=day, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    slot = Slot(fair=fair, session=session, starts_at=start, ends_at=start + timedelta(minutes=20))
    db.session.add_all([session, slot])
    buyer = make_participant(fair, side="buyer", name="Juliett Région")
    supplier = make_participant(fair, side="supplier", name="Kilo Scop")
    make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    make_meeting(buyer, supplier, slot, fair.tables[0], occurrence=1)
    db.session.commit()
    juliett = page_texts(render(fair, "agendas").pdf)[0]
    assert "2 rendez-vous\n" in juliett
    assert juliett.index("jeudi 18 mars 2027") < juliett.index("vendredi 19 mars 2027")
