"""Badges: A4 sheets of 2 x 4 labels (105 x 74 mm), one per person, with the QR code of their check-in."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from salon.extensions import db
from salon.models import Attendee, Fair, Participant
from salon.services.checkin import checkin_url
from salon.services.printouts import Prepared, fit
from salon.text import fold

PER_SHEET = 8  # 2 columns x 4 rows
SHEETS_PER_CHUNK = 20  # 160 labels


@dataclass(frozen=True)
class Badge:
    """What a badge shows."""

    name: str
    job_title: str
    organisation: str
    side: str
    table: str | None  # the exhibitor's home table
    checkin_url: str


def badge_of(attendee: Attendee) -> Badge:
    """Return the badge of one person."""
    participant = attendee.participant
    table = participant.home_table.name if participant.home_table is not None else None
    return Badge(
        attendee.full_name,
        attendee.job_title,
        participant.organisation.name,
        participant.side,
        table,
        checkin_url(attendee),
    )


def fair_badges(fair: Fair) -> list[Badge]:
    """Return the badge of every person of the fair's approved participants, by organisation then name."""
    people = db.session.scalars(
        select(Attendee)
        .join(Participant)
        .options(
            joinedload(Attendee.participant).options(
                joinedload(Participant.organisation), joinedload(Participant.home_table)
            )
        )
        .where(Participant.fair_id == fair.id, Participant.status == "approved")
    )
    badges = [badge_of(a) for a in people]
    return sorted(badges, key=lambda b: (fold(b.organisation), fold(b.name)))


def prepare_badges(fair: Fair) -> Prepared:
    """Write the HTML of the fair's badges on label sheets, SHEETS_PER_CHUNK sheets per chunk."""
    badges = fair_badges(fair)
    sheets = [badges[i : i + PER_SHEET] for i in range(0, len(badges), PER_SHEET)]
    step = SHEETS_PER_CHUNK
    parts = [sheets[i : i + step] for i in range(0, len(sheets), step)] or [[]]
    chunks = [
        (render_template("print/badges.html", fair=fair, sheets=part, fit=fit), sum(map(len, part)))
        for part in parts
    ]
    return Prepared(chunks, len(badges), None)
