"""Printable badges: one A6 badge per person with a QR code carrying the signed check-in URL."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from flask import render_template

from salon.models import Attendee, Fair
from salon.services.checkin import attendees_of_fair, checkin_url


@dataclass(frozen=True)
class Badge:
    """What a badge shows."""

    attendee_id: int
    name: str
    job_title: str
    organisation: str
    side: str
    qr_data_uri: str


def qr_data_uri(text: str) -> str:
    """Return an SVG data URI of a QR code for the text."""
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)


def badge_of(attendee: Attendee) -> Badge:
    """Return the badge of one person."""
    participant = attendee.participant
    return Badge(
        attendee.id,
        attendee.full_name,
        attendee.job_title,
        participant.organisation.name,
        participant.side,
        qr_data_uri(checkin_url(attendee)),
    )


def badges_pdf(fair: Fair, attendees: list[Attendee] | None = None, base_url: str = "") -> bytes:
    """Render the badges of the given people (default: everyone approved) as one PDF."""
    from weasyprint import HTML

    people = attendees if attendees is not None else attendees_of_fair(fair)
    html = render_template("dayof/badges.html", fair=fair, badges=[badge_of(a) for a in people])
    return HTML(string=html, base_url=base_url or None).write_pdf()
