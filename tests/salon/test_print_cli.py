"""`salon print badges|agendas|tables FAIR_SLUG -o FILE.pdf`: the organiser's printouts from the shell."""

from __future__ import annotations

import pytest

from salon.models import Attendee
from tests.factories import make_fair, make_participant
from tests.salon.calendar_helpers import make_meeting
from tests.salon.pdf_reading import page_texts


@pytest.fixture()
def fair(db):
    fair = make_fair(slug="salon-cli")
    buyer = make_participant(fair, side="buyer", name="Sierra Département")
    make_participant(fair, side="buyer", name="Tango Bailleur")
    supplier = make_participant(fair, side="supplier", name="Uniform Scop")
    for p in (buyer, supplier):
        db.session.add(Attendee(participant=p, full_name=f"Victor {p.id}", email="v@example.org"))
    make_meeting(buyer, supplier, fair.slots[0], fair.tables[0])
    db.session.commit()
    return fair


def test_print_agendas_to_a_file(runner, fair, tmp_path):
    out = tmp_path / "agendas.pdf"
    result = runner.invoke(args=["print", "agendas", "salon-cli", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{out}: 2 pages, 2 agendas, 1 meeting," in result.output
    assert [t.splitlines()[0] for t in page_texts(out.read_bytes())] == ["Sierra Département", "Uniform Scop"]
    assert not (tmp_path / "agendas.pdf.part").exists()
    result = runner.invoke(args=["print", "agendas", "salon-cli", "-o", str(out), "--with-empty"])
    assert result.exit_code == 0 and "3 pages, 3 agendas" in result.output
    assert "Aucun rendez-vous." in page_texts(out.read_bytes())[1]


def test_print_badges_and_tables(runner, fair, tmp_path):
    result = runner.invoke(args=["print", "badges", "salon-cli", "-o", str(tmp_path / "b.pdf")])
    assert result.exit_code == 0 and "1 page, 2 badges," in result.output, result.output
    assert "Victor" in page_texts((tmp_path / "b.pdf").read_bytes())[0]
    result = runner.invoke(
        args=["print", "tables", "salon-cli", "-o", str(tmp_path / "t.pdf"), "--lang", "en"]
    )
    assert result.exit_code == 0 and "1 page, 1 table, 1 meeting," in result.output
    assert "Buyer: Sierra Département" in page_texts((tmp_path / "t.pdf").read_bytes())[0]


def test_print_refuses_an_unknown_fair_or_document(runner, fair, tmp_path):
    out = tmp_path / "x.pdf"
    result = runner.invoke(args=["print", "agendas", "no-such-fair", "-o", str(out)])
    assert result.exit_code == 2 and "No fair has the slug 'no-such-fair'" in result.output
    result = runner.invoke(args=["print", "brochures", "salon-cli", "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()


def test_badges_need_the_installation_key(app, runner, fair, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SECRET_KEY", None)  # badges sign their check-in codes with it
    out = tmp_path / "b.pdf"
    result = runner.invoke(args=["print", "badges", "salon-cli", "-o", str(out)])
    assert result.exit_code == 1 and "SECRET_KEY is not set" in result.output and not out.exists()
