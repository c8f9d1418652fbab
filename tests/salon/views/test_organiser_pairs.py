"""The organiser reads every pair the same way round, the buyer first, whichever was created first."""

from __future__ import annotations

import html

from salon.services.calendar_text import event_summary
from tests.factories import login, make_fair, make_participant, make_user
from tests.salon.calendar_helpers import make_meeting
from tests.salon.services.test_publishing import make_run


def test_grids_preview_and_meeting_pages_put_the_buyer_first(app, client, db):
    user = make_user(can_create_fairs=True)
    fair = make_fair(organiser=user, phase="scheduling")
    early = make_participant(fair, "supplier", name="Atelier")  # a lower id than the buyers
    buyer = make_participant(fair, "buyer", name="Métropole")
    other = make_participant(fair, "buyer", name="Région")
    late = make_participant(fair, "supplier", name="Ressourcerie")
    published = make_meeting(early, buyer, fair.slots[0], fair.tables[0])
    make_meeting(other, late, fair.slots[1], fair.tables[1])
    run = make_run(fair, [(early, other, 2, 0), (buyer, late, 3, 1)])
    db.session.commit()
    login(client, user)
    pages = [
        f"/orga/fairs/{fair.id}/meetings",
        f"/orga/fairs/{fair.id}/runs/{run.id}/grid",
        f"/orga/fairs/{fair.id}/runs/{run.id}/publish",
    ]
    for url in pages:
        page = html.unescape(client.get(url).get_data(as_text=True))
        assert "Atelier / " not in page and "Ressourcerie / " not in page, url
    grid = html.unescape(client.get(pages[1]).get_data(as_text=True))
    assert "Région / Atelier" in grid and "Métropole / Ressourcerie" in grid
    page = html.unescape(client.get(f"/orga/fairs/{fair.id}/meetings/{published.id}").get_data(as_text=True))
    assert "<h1>Métropole / Atelier</h1>" in page
    assert (
        "<dt>Modifications depuis la publication</dt><dd>aucune</dd>" in page
    )  # feminine, as "modifications"
    day = html.unescape(
        client.get(f"/orga/fairs/{fair.id}/day/slots/{fair.slots[0].id}").get_data(as_text=True)
    )
    assert "<td>Métropole — Atelier</td>" in day and day.index("Métropole absent") < day.index(
        "Atelier absent"
    )
    with app.test_request_context():
        assert event_summary(published, None) == "Rendez-vous : Métropole / Atelier"
