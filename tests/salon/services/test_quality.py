"""Quality report of a draft."""

from __future__ import annotations

import pytest

from salon.services.quality import quality_report, report_rows
from tests.factories import make_fair, make_participant, make_wish
from tests.salon.services.test_publishing import make_run


@pytest.fixture(autouse=True)
def _request(app, db):
    """Services translate their messages: run each test inside a request."""
    with app.test_request_context():
        yield


def test_report_counts_wishes_histogram_and_reasons(db):
    fair = make_fair(slots_per_session=2, tables=2)
    b = make_participant(fair, "buyer")
    s1, s2 = make_participant(fair, name="Un"), make_participant(fair, name="Deux")
    make_participant(fair, name="Sans souhait")
    capped = make_participant(fair, name="Plafonné", max_meetings=0)
    blocked = make_participant(fair, name="Indisponible")
    make_wish(b, s1, 3)
    make_wish(s1, b, 1)
    make_wish(b, s2, 2)
    make_wish(b, capped, 1)
    make_wish(blocked, b, 2)
    for slot in fair.slots:
        blocked.unavailable_slots.append(slot)
    db.session.flush()
    run = make_run(fair, [(b, s1, 0, 0), (b, s2, 1, 0)])
    report = quality_report(fair, run)
    assert (report.meetings, report.objective["coverage"], report.participants) == (2, 3, 6)
    assert [(w["priority"], w["side"], w["granted"], w["wishes"]) for w in report.wishes] == [
        (3, "buyer", 1, 1),
        (2, "buyer", 1, 1),
        (2, "supplier", 0, 1),
        (1, "buyer", 0, 1),
        (1, "supplier", 1, 1),
    ]
    assert report.histogram == [(0, 3), (1, 2), (2, 1)]
    reasons = {z["participant"].organisation.name: z["reason"] for z in report.zero}
    assert reasons == {"Sans souhait": "no-wish", "Plafonné": "cap", "Indisponible": "no-common-slot"}
    assert report.table_fill == 25.0
    rows = report_rows(report)
    assert rows[0] == ["Rubrique", "Mesure", "Valeur", "Borne prouvée ou total", "Code"]
    assert ["Synthèse", "Participants avec au moins un rendez-vous", 3, "", "coverage"] in rows
    assert ["Participants par nombre de rendez-vous", "0 rendez-vous", 3, "", "meetings-0"] in rows
    assert ["Souhaits satisfaits sur souhaits émis", "incontournable, souhaits des acheteurs", 1, 1,
            "priority3-buyer"] in rows  # fmt: skip
