"""The live table board at the entrance: each table's current and next meeting, by a signed URL.

The board is public by a per-fair signed URL rather than organiser-only: the screen at the entrance is a
kiosk that nobody signs in on, and it shows only what the room already shows (table numbers and
organisation names, no person's name or contact). The URL is unguessable (HMAC of the fair id and the fair's
board key with the app's secret key). The organiser revokes it by renewing the key (`renew_board_key`): every
earlier URL of that fair then answers 404; a new SECRET_KEY revokes every board URL once the previous key
leaves SECRET_KEY_FALLBACKS.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from itsdangerous import BadSignature
from sqlalchemy import select

from salon import keys
from salon.extensions import db
from salon.labels import buyer_first
from salon.models import Fair, Meeting, MeetingTable, Participant, Slot

SALT = "salon-board"


def board_token(fair: Fair) -> str:
    """Return the fair's board token."""
    return keys.serializer(SALT).dumps({"f": fair.id, "k": fair.board_key})


def renew_board_key(fair: Fair) -> None:
    """Give the fair a new board key: the board URLs given so far stop working (the caller commits)."""
    fair.board_key = secrets.token_urlsafe(16)


def fair_from_board_token(token: str) -> Fair | None:
    """Return the fair a board token names, or None for a bad token."""
    try:
        data = keys.serializer(SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("f"), int):
        return None
    fair = db.session.get(Fair, data["f"])
    if fair is None or data.get("k", "") != fair.board_key:
        return None
    return fair


@dataclass(frozen=True)
class TableLine:
    """One table on the board."""

    table: str
    current: str
    current_status: str
    next: str


def slots_around(fair: Fair, now: datetime) -> tuple[Slot | None, Slot | None]:
    """Return the slot under way (or None between slots) and the next slot to start."""
    current = next((s for s in fair.slots if s.starts_at <= now < s.ends_at), None)
    upcoming = next((s for s in fair.slots if s.starts_at > now), None)
    return current, upcoming


def board_lines(fair: Fair, current: Slot | None, upcoming: Slot | None) -> list[TableLine]:
    """Return each table's current and next meeting (organisation names only)."""
    slot_ids = [s.id for s in (current, upcoming) if s is not None]
    rows = db.session.scalars(
        select(Meeting).where(Meeting.fair_id == fair.id, Meeting.slot_id.in_(slot_ids))
    ).all() if slot_ids else []  # fmt: skip
    ids = {p for m in rows for p in (m.participant_a_id, m.participant_b_id)}
    names = {
        p.id: p.organisation.name
        for p in db.session.scalars(select(Participant).where(Participant.id.in_(ids)))
    } if ids else {}  # fmt: skip
    by_key = {}
    for m in rows:
        if m.status in ("scheduled", "held") or (m.slot_id, m.table_id) not in by_key:
            by_key[(m.slot_id, m.table_id)] = m
    lines = []
    for table in db.session.scalars(
        select(MeetingTable).where(MeetingTable.fair_id == fair.id).order_by(MeetingTable.position)
    ):
        cur = by_key.get((current.id, table.id)) if current else None
        nxt = by_key.get((upcoming.id, table.id)) if upcoming else None
        lines.append(
            TableLine(table.name, _pair(cur, names), cur.status if cur else "", _pair(nxt, names, True))
        )
    return lines


def _pair(m: Meeting | None, names: dict[int, str], active_only: bool = False) -> str:
    if m is None or (active_only and m.status not in ("scheduled", "held")):
        return ""
    first, second = buyer_first(m)  # the buyer first, as on the organiser's pages
    return f"{names.get(first.id, '?')} — {names.get(second.id, '?')}"
