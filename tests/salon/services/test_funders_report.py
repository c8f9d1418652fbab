"""The funders' report checked against a small fair computed by hand."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from salon.services.funders_report import compute_figures, report_csv, report_xlsx
from salon.services.outcomes import record_outcome
from tests.salon.services.dayof_world import book, make_world, request_ctx  # noqa: F401

pytestmark = pytest.mark.usefixtures("request_ctx")


def _small_fair():
    """2 buyers (dept 69), 3 suppliers: S1 SCOP in 69 and QPV, S2 EA in 42, S3 association in 69.

    Meetings: B1-S1 held, B1-S2 no-show, B2-S2 held, B2-S3 scheduled, B1-S3 cancelled.
    Outcomes: B1 on B1-S1 contract 1000; S1 on B1-S1 quote; B2 on B2-S2 follow-up.
    """
    w = make_world(buyers=2, suppliers=3)
    b1, b2 = w.buyers
    s1, s2, s3 = w.suppliers
    for p, types, postcode in ((b1, [], "69003"), (b2, [], "69100"), (s1, ["scop", "qpv"], "69008"),
                               (s2, ["ea"], "42000"), (s3, ["association"], "69001")):  # fmt: skip
        p.organisation.structure_types = types
        p.organisation.postcode = postcode
    m1 = book(w.fair, b1, s1, 0, 0, status="held")
    book(w.fair, b1, s2, 1, 0, status="no_show", absent_participant_id=s2.id)
    m3 = book(w.fair, b2, s2, 2, 0, status="held")
    book(w.fair, b2, s3, 3, 0)
    book(w.fair, b1, s3, 4, 0, status="cancelled")
    record_outcome(b1, m1.id, "contract_signed", Decimal("1000"))
    record_outcome(s1, m1.id, "quote_requested")
    record_outcome(b2, m3.id, "follow_up_planned")
    return w


def test_totals_match_hand_count(app, db):
    _small_fair()
    figures = compute_figures(_world_fair(db))
    t = figures["totals"]
    assert (t["participants"], t["booked"], t["held"], t["no_show"], t["cancelled"]) == (5, 4, 2, 1, 1)
    assert t["held_rate"] == 50.0
    assert t["amount_eur"] == Decimal("1000")
    counts = {k: v["count"] for k, v in figures["outcomes"].items()}
    assert counts == {"no_follow_up": 0, "follow_up_planned": 1, "quote_requested": 1, "contract_signed": 1}


def _world_fair(db):
    from sqlalchemy import select

    from salon.models import Fair

    return db.session.scalars(select(Fair).order_by(Fair.id.desc())).first()


def test_breakdowns_match_hand_count(app, db):
    _small_fair()
    b = compute_figures(_world_fair(db))["breakdowns"]
    # buyers: B1 booked 2 (held 1, no-show 1), B2 booked 2 (held 1); outcomes B1 1 (1000 €), B2 1
    buyer = b["side"]["buyer"]
    assert (buyer["participants"], buyer["booked"], buyer["held"], buyer["no_show"], buyer["outcomes"]) == (
        2, 4, 2, 1, 2)  # fmt: skip
    assert buyer["amount_eur"] == Decimal("1000")
    supplier = b["side"]["supplier"]
    assert (supplier["booked"], supplier["held"], supplier["no_show"], supplier["outcomes"]) == (4, 2, 1, 1)
    assert (b["structure_type"]["scop"]["booked"], b["structure_type"]["ea"]["booked"]) == (1, 2)
    assert b["structure_type"]["ea"]["no_show"] == 1
    assert b["structure_type"]["none"]["participants"] == 2  # the two buyers
    assert (b["departement"]["69"]["participants"], b["departement"]["42"]["participants"]) == (4, 1)
    assert b["departement"]["69"]["held"] == 3  # B1-S1 counts for both, B2-S2 for B2
    assert (b["qpv"]["yes"]["participants"], b["qpv"]["yes"]["held"], b["qpv"]["yes"]["outcomes"]) == (
        1,
        1,
        1,
    )


def test_csv_and_xlsx_neutralise_formulas(app, db):
    _small_fair()
    figures = compute_figures(_world_fair(db))
    figures["breakdowns"]["structure_type"]['=HYPERLINK("x")'] = dict(
        figures["breakdowns"]["structure_type"]["scop"]
    )
    text = report_csv(figures)
    assert "'=HYPERLINK" in text
    assert text.splitlines()[1].startswith("total;all;5;4;2;1;3;1000.00;1")
    wb = load_workbook(io.BytesIO(report_xlsx(figures)))
    cells = [c for row in wb.active.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert any(c.value == '\'=HYPERLINK("x")' for c in cells)
