"""Lists of organisations and people are in French alphabetical order: "Œuvre" among the Os, "Élodie" among
the Es, not after "Z" as the database's byte order puts them."""

from __future__ import annotations

import html
import re

from tests.factories import login, make_fair, make_participant, make_user, make_wish
from tests.salon.calendar_helpers import add_attendee


def test_participants_and_presence_lists_sort_accents_and_ligatures_with_their_letter(client, db):
    user = make_user(can_create_fairs=True)
    fair = make_fair(organiser=user)
    people = {"Œuvre de l'Établi": "Élodie Bérard", "Zèbre SCOP": "Zoé Martin", "Atelier": "Paul Roux",
              "Oasis": "Emma Petit", "École Solidaire": "Fabien Noir"}  # fmt: skip
    for i, (organisation, person) in enumerate(people.items()):
        p = make_participant(fair, "supplier" if i % 2 else "buyer", name=organisation)
        add_attendee(p, person, f"p{i}@example.org")
    db.session.commit()
    login(client, user)
    page = html.unescape(client.get(f"/orga/fairs/{fair.id}/participants").get_data(as_text=True))
    shown = [name for name in re.findall(r'/participants/\d+">([^<]+)</a>', page) if name in people]
    assert shown == ["Atelier", "École Solidaire", "Oasis", "Œuvre de l'Établi", "Zèbre SCOP"]
    page = html.unescape(client.get(f"/orga/fairs/{fair.id}/day").get_data(as_text=True))
    positions = [page.index(person) for person in sorted(people.values())]
    by_page = [person for _, person in sorted(zip(positions, sorted(people.values()), strict=True))]
    assert by_page == ["Élodie Bérard", "Emma Petit", "Fabien Noir", "Paul Roux", "Zoé Martin"]


def test_dashboard_figures_agree_with_their_count(client, db):
    user = make_user(can_create_fairs=True)
    fair = make_fair(organiser=user, slots_per_session=1, tables=1)
    buyer, supplier = make_participant(fair, "buyer"), make_participant(fair, "supplier")
    make_wish(buyer, supplier, 3)
    db.session.commit()
    login(client, user)
    page = client.get(f"/orga/fairs/{fair.id}/").get_data(as_text=True)
    assert "<strong>1</strong> souhait</li>" in page and "<strong>0</strong> rendez-vous publié</li>" in page
    assert "<strong>2</strong> créneaux × <strong>1</strong> table</li>" in page
    assert "<strong>0</strong> invité, lien encore valable</li>" in page  # French: 0 takes the singular
    assert "<strong>0</strong> pas encore invité</li>" in page
