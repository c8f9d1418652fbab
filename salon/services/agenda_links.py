"""Agenda links in e-mails: a signed link per address that shows a participant's agenda without signing in.

The "agenda published" e-mail goes to each person a participant lists, and many have no account (entries
the organisers imported). The link names the participant and, as a digest, the address it was sent to: it
works while that address is still one of the participant's (removing the person ends it) and while the
participant takes part. It shows what the e-mail and its attached calendar show, read-only; changing
anything (wishes, availability, a meeting's status) needs signing in.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature
from sqlalchemy.orm import joinedload, selectinload

from salon import keys
from salon.extensions import db
from salon.models import Participant
from salon.services.calendar_text import participant_addresses
from salon.services.invitations import address_digest

SALT = "salon.agenda-link"
PATH = "/agenda/"  # the route public.agenda_link serves it


def agenda_token(participant_id: int, address: str) -> str:
    """Return the signed token of the agenda link sent to this address."""
    return keys.serializer(SALT).dumps({"p": participant_id, "e": address_digest(address.strip().lower())})


def agenda_link(participant_id: int, address: str) -> str:
    """Return the absolute agenda link sent to this address."""
    base = current_app.config["SALON_BASE_URL"].rstrip("/")
    return f"{base}{PATH}{agenda_token(participant_id, address)}"


def participant_from_agenda_token(token: str) -> Participant | None:
    """Return the participant an agenda link shows, or None (tampered, person removed, refused entry)."""
    try:
        data = keys.serializer(SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    participant = db.session.get(
        Participant,
        data["p"],
        options=[
            joinedload(Participant.fair),
            joinedload(Participant.organisation),
            selectinload(Participant.attendees),
        ],
    )
    if participant is None or participant.status == "refused":
        return None
    sent_to = {address_digest(address.lower()) for _, address in participant_addresses(participant)}
    return participant if data.get("e") in sent_to else None
