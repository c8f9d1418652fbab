"""Counts on the organiser's pages take the form of their number ("1 participant", "1 créneau généré")
and large numbers are grouped the French way ("5 000")."""

from __future__ import annotations

import html

from tests.factories import login, make_fair, make_participant, make_user


def test_counts_agree_with_their_number(client, db):
    user = make_user(can_create_fairs=True)
    fair = make_fair(organiser=user, tables=0)
    make_participant(fair, "buyer")
    db.session.commit()
    login(client, user)
    page = client.get(f"/orga/fairs/{fair.id}/participants").get_data(as_text=True)
    assert "<p>1 participant</p>" in page
    page = client.get(f"/orga/fairs/{fair.id}/slots").get_data(as_text=True)
    assert "Aucune table pour l’instant." in html.unescape(page) and "0 tables" not in page
    times = {"am_start": "09:00", "am_end": "09:25", "pm_start": "", "pm_end": ""}
    response = client.post(
        f"/orga/fairs/{fair.id}/slots",
        data={"days": "2027-03-25", "confirmed": "1", **times},
        follow_redirects=True,
    )
    assert "1 créneau généré." in response.get_data(as_text=True)
    client.post(f"/orga/fairs/{fair.id}/tables", data={"names": "Stand 1"})
    assert "1 table : Stand 1" in html.unescape(
        client.get(f"/orga/fairs/{fair.id}/slots").get_data(as_text=True)
    )
    page = client.get(f"/orga/fairs/{fair.id}/import").get_data(as_text=True)
    assert "2 Mo et 5\u202f000 lignes au plus." in page
