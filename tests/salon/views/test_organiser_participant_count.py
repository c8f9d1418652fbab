"""The organiser's participants list counts in French: "1 participant", "2 participants"."""

from __future__ import annotations

from tests.factories import login, make_fair, make_participant, make_user


def test_participants_list_count_takes_the_plural_of_its_number(client, db):
    organiser = make_user()
    fair = make_fair(organiser=organiser)
    make_participant(fair, "supplier", name="ESAT Les Mains Vertes", status="pending")
    make_participant(fair, "buyer", name="Ville de Sète")
    db.session.commit()
    login(client, organiser)
    pending = client.get(f"/orga/fairs/{fair.id}/participants?status=pending").get_data(as_text=True)
    everyone = client.get(f"/orga/fairs/{fair.id}/participants").get_data(as_text=True)
    assert "<p>1 participant</p>" in pending
    assert "<p>2 participants</p>" in everyone
