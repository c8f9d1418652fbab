"""The funders' report checked against a small fair counted by hand, every count labelled.

The fair (postcodes give the départements 30 Gard and 34 Hérault):
  buyers     B1 Ville de Nîmes (commune, 30)   B2 CHU de Montpellier (hôpital, 34)
             B3 Hérault Habitat (bailleur social, 34): no meeting at all
  suppliers  S1 Scop Bâtir (SCOP, QPV, 34)   S2 ESAT Les Iris (ESAT, 30)
             S3 Recyclerie (association and ACI, 34)   S4 Atelier Sans Type (no type, 30): cancelled only
  meetings   M1 B1-S1 held   M2 B1-S2 no-show   M3 B2-S1 held   M4 B2-S3 scheduled   M5 B2-S2 held
             M6 B1-S4 cancelled
  outcomes   B1 on M1 contract 1500 €; S1 on M1 quote; B2 on M3 follow-up; S2 on M5 contract 800 €;
             B2 on M5 no follow-up
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from salon.services.funders_report import compute_figures, report_csv, report_xlsx
from salon.services.outcomes import record_outcome
from tests.factories import login
from tests.salon.services.dayof_world import book, make_world, request_ctx  # noqa: F401

pytestmark = pytest.mark.usefixtures("request_ctx")

FIGURES = ("participants", "with_meeting", "booked", "held", "no_show", "outcomes", "amount_eur")


def _hand_counted_fair():
    w = make_world(buyers=3, suppliers=4)
    b1, b2, b3 = w.buyers
    s1, s2, s3, s4 = w.suppliers
    people = (
        (b1, "Ville de Nîmes", "commune", [], "30000"),
        (b2, "CHU de Montpellier", "hopital", [], "34090"),
        (b3, "Hérault Habitat", "bailleur_social", [], "34000"),
        (s1, "Scop Bâtir", None, ["scop", "qpv"], "34070"),
        (s2, "ESAT Les Iris", None, ["esat"], "30900"),
        (s3, "Recyclerie", None, ["association", "aci"], "34500"),
        (s4, "Atelier Sans Type", None, [], "30100"),
    )
    for p, name, kind, types, postcode in people:
        org = p.organisation
        org.name, org.buyer_kind, org.structure_types, org.postcode = name, kind, types, postcode
    m1 = book(w.fair, b1, s1, 0, 0, status="held")
    book(w.fair, b1, s2, 1, 0, status="no_show", absent_participant_id=s2.id)
    m3 = book(w.fair, b2, s1, 1, 1, status="held")
    book(w.fair, b2, s3, 2, 1)
    m5 = book(w.fair, b2, s2, 3, 0, status="held")
    book(w.fair, b1, s4, 2, 0, status="cancelled")
    record_outcome(b1, m1.id, "contract_signed", Decimal("1500"))
    record_outcome(s1, m1.id, "quote_requested")
    record_outcome(b2, m3.id, "follow_up_planned")
    record_outcome(s2, m5.id, "contract_signed", Decimal("800"))
    record_outcome(b2, m5.id, "no_follow_up")
    return w


def _row(figures_row: dict) -> tuple:
    return tuple(figures_row[f] for f in FIGURES)


def test_totals_match_hand_count(db):
    figures = compute_figures(_hand_counted_fair().fair)
    t = figures["totals"]
    assert _row(t) == (7, 5, 5, 3, 1, 5, Decimal("2300"))
    assert (t["cancelled"], t["held_rate"]) == (1, 60.0)
    counts = {k: (v["count"], v["amount_eur"]) for k, v in figures["outcomes"].items()}
    assert counts == {
        "no_follow_up": (1, 0),
        "follow_up_planned": (1, 0),
        "quote_requested": (1, 0),
        "contract_signed": (2, Decimal("2300")),
    }


def test_breakdowns_count_each_meeting_once_per_group(db):
    b = compute_figures(_hand_counted_fair().fair)["breakdowns"]
    # (organisations, with a meeting, meetings booked, held, no-show, outcomes, amount)
    assert {k: _row(r) for k, r in b["side"].items()} == {
        "buyer": (3, 2, 5, 3, 1, 3, Decimal("1500")),
        "supplier": (4, 3, 5, 3, 1, 2, Decimal("800")),
    }
    assert {k: _row(r) for k, r in b["buyer_kind"].items()} == {
        "bailleur_social": (1, 0, 0, 0, 0, 0, 0),
        "commune": (1, 1, 2, 1, 1, 1, Decimal("1500")),
        "hopital": (1, 1, 3, 2, 0, 2, 0),
    }
    assert {k: _row(r) for k, r in b["structure_type"].items()} == {
        "aci": (1, 1, 1, 0, 0, 0, 0),
        "association": (1, 1, 1, 0, 0, 0, 0),
        "esat": (1, 1, 2, 1, 1, 1, Decimal("800")),
        "scop": (1, 1, 2, 2, 0, 1, 0),
        "none": (1, 0, 0, 0, 0, 0, 0),
    }
    assert {k: _row(r) for k, r in b["qpv"].items()} == {
        "no": (3, 2, 3, 1, 1, 1, Decimal("800")),
        "yes": (1, 1, 2, 2, 0, 1, 0),
    }
    # M1 (B1 of 30 with S1 of 34) and M5 (B2 of 34 with S2 of 30) count once in each département;
    # M2 (B1 and S2, both of 30) and M3 (B2 and S1, both of 34) once in theirs.
    assert {k: _row(r) for k, r in b["departement"].items()} == {
        "30": (3, 2, 3, 2, 1, 2, Decimal("2300")),
        "34": (4, 3, 4, 3, 0, 3, 0),
    }


def _parsed_csv(figures) -> list[list[str]]:
    return list(csv.reader(io.StringIO(report_csv(figures)), delimiter=";"))


def test_csv_labels_every_count_and_keeps_codes(db):
    rows = _parsed_csv(compute_figures(_hand_counted_fair().fair))
    assert rows[0] == [
        "Rubrique", "Groupe", "Code", "Structures", "Structures ayant au moins un rendez-vous",
        "Rendez-vous prévus (chacun compté une fois)", "Rendez-vous tenus", "Rendez-vous avec absence",
        "Suites déclarées", "Montants déclarés (€)", "Rendez-vous annulés",
    ]  # fmt: skip
    assert rows[1] == [
        "Total",
        "Toutes les structures",
        "total",
        "7",
        "5",
        "5",
        "3",
        "1",
        "5",
        "2300.00",
        "1",
    ]
    by_code = {(r[0], r[2]): r for r in rows[2:]}
    assert by_code[("Suites", "contract_signed")][1:] == ["Contrat signé", "contract_signed", *[""] * 5, "2",
                                                          "2300.00", ""]  # fmt: skip
    assert by_code[("Type d'acheteur", "hopital")][1] == "Hôpital"
    assert by_code[("Type d'acheteur", "bailleur_social")][1:4] == ["Bailleur social", "bailleur_social", "1"]
    scop = by_code[("Type de structure de l’ESS (fournisseurs)", "scop")]
    assert scop[1:] == ["SCOP (société coopérative et participative)", "scop", "1", "1", "2", "2", "0", "1",
                        "0.00", ""]  # fmt: skip
    assert (
        by_code[("Type de structure de l’ESS (fournisseurs)", "none")][1] == "Type de structure non renseigné"
    )
    assert by_code[("Quartier prioritaire (fournisseurs)", "yes")][1] == "En quartier prioritaire (QPV)"
    assert by_code[("Quartier prioritaire (fournisseurs)", "no")][1] == "Hors quartier prioritaire"
    assert by_code[("Département", "30")][1:6] == ["30 – Gard", "30", "3", "2", "3"]
    assert by_code[("Collège", "buyer")][1] == "Acheteurs"
    codes = {r[2] for r in rows[1:]}
    shown = {cell for r in rows[1:] for cell in r[:2]}
    assert shown.isdisjoint(codes - {"30", "34", "total"})  # no code where a word belongs


def test_report_page_labels_counts_and_titles_charts(client, db):
    world = _hand_counted_fair()
    login(client, world.organiser)
    html = client.get(f"/orga/fairs/{world.fair.id}/report").get_data(as_text=True)
    assert '<th scope="col">Rendez-vous prévus (chacun compté une fois)</th>' in html
    assert '<th scope="col">Structures ayant au moins un rendez-vous</th>' in html
    assert "les lignes d’un tableau ne s’additionnent donc pas" in html
    assert '<title id="chart-qpv-title">Rendez-vous tenus et rendez-vous avec absence, par quartier' in html
    assert (
        "Hors quartier prioritaire : rendez-vous tenus 1, avec absence 1. En quartier prioritaire (QPV) : "
        in html
    )
    assert "Aucun" not in html and ">aucun<" not in html


def test_csv_and_xlsx_neutralise_formulas(db):
    figures = compute_figures(_hand_counted_fair().fair)
    figures["breakdowns"]["structure_type"]['=HYPERLINK("x")'] = dict(
        figures["breakdowns"]["structure_type"]["scop"]
    )
    text = report_csv(figures)
    assert "'=HYPERLINK" in text
    wb = load_workbook(io.BytesIO(report_xlsx(figures)))
    cells = [c for row in wb.active.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert any(c.value == '\'=HYPERLINK("x")' for c in cells)
