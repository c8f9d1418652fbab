"""Tables the organiser names in words ("Stand 3", "Table partagée A") are called by that name, never
"Table Stand 3": on agendas, table sheets, badges, calendars and e-mails."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from salon.extensions import db as _db
from salon.labels import table_label
from salon.models import Meeting, OutboxMessage
from salon.preparing import render_fair
from salon.services import fairs
from salon.services import meetings as edits
from salon.services.calendar import table_calendar
from salon.services.calendar_text import event_location
from salon.services.printouts import render_document
from salon.services.publishing import publish_run
from salon.services.reminder_mails import agenda_tomorrow_mail
from tests.factories import make_fair, make_participant
from tests.salon.calendar_helpers import add_attendee
from tests.salon.pdf_reading import page_texts
from tests.salon.services.test_publishing import make_run


@pytest.fixture(autouse=True)
def _request(app, db):
    with app.test_request_context():
        yield


@pytest.mark.parametrize(
    ("name", "french", "english"),
    [
        ("12", "Table 12", "Table 12"),
        ("A3", "Table A3", "Table A3"),
        ("Stand 3", "Stand 3", "Stand 3"),
        ("Table partagée A", "Table partagée A", "Table partagée A"),
        ("table", "table", "table"),
    ],
)
def test_a_table_is_called_by_its_number_or_by_the_organisers_words(name, french, english):
    with force_locale("fr"):
        assert table_label(name) == french
    with force_locale("en"):
        assert table_label(name) == english


def test_printouts_calendars_and_emails_say_the_tables_name_as_the_organiser_wrote_it(db):
    fair = make_fair(name="Salon Lyon", phase="scheduling", slots_per_session=2, tables=2, venue="Halle")
    fairs.set_tables(fair, names=["Stand 1", "Table partagée A"])
    buyer = make_participant(fair, "buyer", name="Métropole")
    host = make_participant(fair, "supplier", name="Atelier", home_table=fair.tables[0])
    guest = make_participant(fair, "supplier", name="Ressourcerie")
    for p, who in ((buyer, "Hélène"), (host, "Paul"), (guest, "Léa")):
        add_attendee(p, who, f"{who.lower()}@lyon.example")
    run = make_run(fair, [(buyer, host, 0, 0), (buyer, guest, 1, 1)])
    publish_run(run)
    _db.session.commit()
    with force_locale("fr"):
        agendas = "\n".join(page_texts(render_document(fair, "agendas").pdf))
        sheets = page_texts(render_document(fair, "tables").pdf)
        badges = "\n".join(page_texts(render_document(fair, "badges").pdf))
        locations = sorted(event_location(m, fair) for m in fair_meetings(fair))
    assert "Table Stand" not in agendas + badges and "Table Table" not in agendas
    assert "· Stand 1 · Atelier" in agendas and "· Table partagée A · Ressourcerie" in agendas
    assert [s.splitlines()[0] for s in sheets] == ["Stand 1", "Table partagée A"]
    assert "Atelier\nFournisseur de l'ESS\nStand 1" in badges
    assert locations == ["Halle, Stand 1", "Halle, Table partagée A"]
    render_fair(fair.id)
    bodies = [m.body_text + m.body_html for m in fair_outbox(fair)]
    assert len(bodies) == 3 and not any("Table Stand" in b or "Table Table" in b for b in bodies)
    assert any("— Stand 1 — Atelier" in b for b in bodies)
    host_meeting = next(m for m in fair_meetings(fair) if m.table_id == fair.tables[0].id)
    edits.move_meeting(fair, host_meeting, fair.slots[3].id, fair.tables[0].id)
    _db.session.commit()
    render_fair(fair.id)
    moved = [m.body_text for m in fair_outbox(fair) if "Auparavant" in m.body_text]
    assert len(moved) == 2 and all(", Stand 1\n" in text and "table Stand" not in text for text in moved)
    with force_locale("fr"):
        assert "X-WR-CALNAME:Salon Lyon — Stand 1" in table_calendar(fair.tables[0]).decode()
    scheduled = [m for m in fair_meetings(fair) if m.status == "scheduled"]
    reminder = agenda_tomorrow_mail(fair, buyer, buyer.attendees[0], scheduled)
    text = reminder["body"] + reminder["body_html"]
    assert "— Stand 1 — Atelier" in reminder["body"]
    assert "— Table partagée A — Ressourcerie" in reminder["body"]
    assert "<td>Stand 1</td>" in text and "Table Stand" not in text and "Table Table" not in text


def fair_meetings(fair):
    return _db.session.scalars(_db.select(Meeting).where(Meeting.fair_id == fair.id)).all()


def fair_outbox(fair):
    return _db.session.scalars(_db.select(OutboxMessage).where(OutboxMessage.fair_id == fair.id)).all()
