"""The outcome form shows amounts as the page's language writes them, and a refusal keeps what was typed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from salon.services.outcomes import make_outcome_token
from tests.salon.services.dayof_world import book, make_world


def _scene(app, db):
    with app.test_request_context("/"):
        w = make_world()
        held = [book(w.fair, w.buyers[0], s, i, 0, status="held") for i, s in enumerate(w.suppliers[:2])]
        token = make_outcome_token(w.buyers[0], datetime.now(UTC))
    db.session.commit()
    return token, held


def _checked(page: str, meeting_id: int) -> list[str]:
    return re.findall(rf'name="outcome-{meeting_id}" value="(\w+)" checked', page)


def _amount(page: str, meeting_id: int) -> str:
    return re.search(rf'name="amount-{meeting_id}" inputmode="decimal" value="([^"]*)"', page).group(1)


def test_saved_amount_shown_in_french_and_saved_again_unchanged(client, db, app):
    token, (first, _second) = _scene(app, db)
    client.post(
        f"/p/outcomes/{token}",
        data={f"outcome-{first.id}": "quote_requested", f"amount-{first.id}": "1 200,5 €"},
    )
    page = client.get(f"/p/outcomes/{token}").get_data(as_text=True)
    assert (_checked(page, first.id), _amount(page, first.id)) == (["quote_requested"], "1200,50")
    again = client.post(
        f"/p/outcomes/{token}",
        data={f"outcome-{first.id}": "quote_requested", f"amount-{first.id}": "1200,50"},
    )
    assert again.status_code == 303


def test_refused_form_comes_back_as_typed(client, db, app):
    token, (first, second) = _scene(app, db)
    data = {
        f"outcome-{first.id}": "contract_signed",
        f"amount-{first.id}": "beaucoup",
        f"outcome-{second.id}": "follow_up_planned",
        f"amount-{second.id}": "300",
    }
    response = client.post(f"/p/outcomes/{token}", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Saisissez un montant en euros" in page
    assert (_checked(page, first.id), _amount(page, first.id)) == (["contract_signed"], "beaucoup")
    assert (_checked(page, second.id), _amount(page, second.id)) == (["follow_up_planned"], "300")
