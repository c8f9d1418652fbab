"""Calendar subscription feeds: secret tokens (256 bits, stored only as a SHA-256 hash), revocable."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from salon.extensions import db
from salon.models import CalendarFeed, Fair, MeetingTable, Participant, User
from salon.services.calendar import fair_calendar, participant_calendar, table_calendar
from salon.services.calendar_cache import (
    CalendarDocument,
    fair_document,
    participant_document,
    table_document,
)

_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest stored in place of a token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _create(kind: str, fair: Fair, user: User | None, **target: int | None) -> str:
    """Store a new feed and return its token (the only time it is known in clear)."""
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(
        token_hash=hash_token(token),
        kind=kind,
        fair_id=fair.id,
        created_by_id=user.id if user is not None else None,
        **target,
    )
    db.session.add(feed)
    db.session.flush()
    return token


def regenerate_participant_feed(participant: Participant, user: User | None) -> str:
    """Revoke the participant's feeds and create a new one; return its token."""
    db.session.execute(
        update(CalendarFeed)
        .where(
            CalendarFeed.kind == "participant",
            CalendarFeed.participant_id == participant.id,
            CalendarFeed.revoked_at.is_(None),
        )
        .values(revoked_at=datetime.now(UTC))
        .execution_options(synchronize_session="fetch")
    )
    return _create("participant", participant.fair, user, participant_id=participant.id)


def revoke_participant_feeds(participant: Participant) -> int:
    """Revoke every active feed of the participant; return how many."""
    feeds = participant_feeds(participant)
    for feed in feeds:
        feed.revoked_at = datetime.now(UTC)
    db.session.flush()
    return len(feeds)


def participant_feeds(participant: Participant) -> list[CalendarFeed]:
    """Return the participant's active feeds."""
    query = select(CalendarFeed).where(
        CalendarFeed.kind == "participant",
        CalendarFeed.participant_id == participant.id,
        CalendarFeed.revoked_at.is_(None),
    )
    return list(db.session.scalars(query.order_by(CalendarFeed.created_at)))


def create_organiser_feed(fair: Fair, user: User | None, table: MeetingTable | None = None) -> str:
    """Create a feed of the whole fair, or of one of its tables; return its token."""
    if table is not None:
        if table.fair_id != fair.id:
            raise ValueError("table of another fair")
        return _create("table", fair, user, table_id=table.id)
    return _create("fair", fair, user)


def organiser_feeds(fair: Fair) -> list[CalendarFeed]:
    """Return the fair's active organiser feeds (whole fair and tables)."""
    query = select(CalendarFeed).where(
        CalendarFeed.fair_id == fair.id,
        CalendarFeed.kind.in_(("fair", "table")),
        CalendarFeed.revoked_at.is_(None),
    )
    return list(db.session.scalars(query.order_by(CalendarFeed.created_at, CalendarFeed.id)))


def revoke_feed(feed: CalendarFeed) -> None:
    """Revoke a feed: its URL answers 404 from now on."""
    if feed.revoked_at is None:
        feed.revoked_at = datetime.now(UTC)
        db.session.flush()


def feed_by_token(token: str) -> CalendarFeed | None:
    """Return the active feed a token opens, or None (unknown, malformed or revoked)."""
    if not _TOKEN_SHAPE.match(token or ""):
        return None
    query = select(CalendarFeed).where(CalendarFeed.token_hash == hash_token(token))
    # The fair and the participant come in the same row (then `participant.fair` needs no query).
    query = query.options(joinedload(CalendarFeed.fair), joinedload(CalendarFeed.participant))
    feed = db.session.scalar(query)
    if feed is None or feed.revoked_at is not None:
        return None
    return feed


def feed_calendar(feed: CalendarFeed) -> bytes:
    """Build the .ics a feed serves."""
    if feed.kind == "participant":
        return participant_calendar(feed.participant, method="PUBLISH")
    if feed.kind == "table":
        return table_calendar(feed.table)
    return fair_calendar(feed.fair)


def feed_document(feed: CalendarFeed) -> CalendarDocument:
    """Return the .ics a feed serves with its validators (kept rendered while nothing in it changes)."""
    if feed.kind == "participant":
        # A feed has no session: it speaks the language its maker chose on the site, else the fair's.
        maker = db.session.get(User, feed.created_by_id) if feed.created_by_id else None
        return participant_document(feed.participant, maker.locale if maker else None)
    if feed.kind == "table":
        return table_document(feed.table)
    return fair_document(feed.fair)
