"""A small fair for the participant view tests: a signed-in buyer, suppliers, another fair."""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass

from salon.extensions import db
from salon.models import Fair, Meeting, MeetingSeat, Participant, User
from salon.services import profiles
from tests.factories import login, make_fair, make_participant, make_user


@dataclass
class Scene:
    fair: Fair
    user: User
    buyer: Participant
    recyclerie: Participant
    esat: Participant
    other_buyer: Participant
    elsewhere: Participant


def build_scene(client, phase: str = "wishes", **fair_fields) -> Scene:
    """Create the fair, sign the buyer's user in, and commit."""
    fair = make_fair(phase=phase, **fair_fields)
    user = make_user(full_name="Bea Acheteuse")
    buyer = make_participant(fair, "buyer", user=user, name="Ville de Montpellier")
    profiles.update_profile(
        buyer.organisation,
        buyer_kind="commune",
        sectors=["nettoyage"],
        departements=["34"],
        needs="Réemploi du mobilier",
        contact_email="achats@ville.example",
    )
    recyclerie = make_participant(fair, "supplier", name="Recyclerie du Lez")
    profiles.update_profile(
        recyclerie.organisation,
        offer="Réemploi de mobilier",
        sectors=["reemploi"],
        structure_types=["aci"],
        departements=["34"],
        contact_email="bonjour@recyclerie.example",
        contact_phone="0611223344",
    )
    recyclerie.note = "Note privée de l'organisateur"
    esat = make_participant(fair, "supplier", name="ESAT Les Iris")
    profiles.update_profile(
        esat.organisation,
        offer="Nettoyage de locaux",
        sectors=["nettoyage"],
        structure_types=["esat"],
        contact_email="esat@iris.example",
    )
    other_buyer = make_participant(fair, "buyer", user=make_user(), name="Hôpital Nord")
    elsewhere = make_participant(make_fair(phase=phase), "supplier", name="Ailleurs SCOP")
    db.session.commit()
    login(client, user)
    return Scene(fair, user, buyer, recyclerie, esat, other_buyer, elsewhere)


def make_meeting(p: Participant, q: Participant, slot_index: int = 0, table_index: int = 0) -> Meeting:
    """Create a published, active meeting with its seats."""
    a, b = sorted((p, q), key=lambda x: x.id)
    fair = db.session.get(Fair, p.fair_id)
    slot, table = fair.slots[slot_index], fair.tables[table_index]
    meeting = Meeting(
        fair_id=fair.id,
        participant_a_id=a.id,
        participant_b_id=b.id,
        slot_id=slot.id,
        table_id=table.id,
        uid=f"{uuid.uuid4()}@salon",
    )
    db.session.add(meeting)
    db.session.flush()
    for x in (a, b):
        db.session.add(MeetingSeat(meeting_id=meeting.id, participant_id=x.id, slot_id=slot.id))
    db.session.flush()
    return meeting


def error_next_to(page: str, field: str) -> str:
    """Return the error message shown right after the field (its id-error paragraph)."""
    match = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert match, f"no error next to {field}"
    return html.unescape(match.group(1)).replace("'", "’")
