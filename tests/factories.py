"""Plain factory functions that build real rows (flush, no commit) for tests."""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from salon.extensions import db
from salon.models import (
    Fair,
    FairSession,
    MeetingTable,
    Organisation,
    OrganisationMember,
    OrganiserMembership,
    Participant,
    Slot,
    User,
    Wish,
)
from salon.services.accounts import hash_password

PASSWORD = "correct horse battery staple"
STRONG_KEY = secrets.token_hex(32)  # for tests that build the production configuration (config.Config)
_seq = itertools.count(1)


def make_user(email: str | None = None, password: str = PASSWORD, **fields) -> User:
    """Create a confirmed account."""
    n = next(_seq)
    user = User(
        email=(email or f"user{n}@example.org").lower(),
        password_hash=hash_password(password),
        full_name=fields.pop("full_name", f"Personne {n}"),
        email_confirmed_at=fields.pop("email_confirmed_at", datetime.now(UTC)),
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_fair(
    name: str = "Salon test",
    slots_per_session: int = 4,
    tables: int = 3,
    day: date = date(2027, 3, 18),
    tz: str = "Europe/Paris",
    organiser: User | None = None,
    **fields,
) -> Fair:
    """Create a fair with a morning and an afternoon session of 20-minute slots and numbered tables."""
    n = next(_seq)
    fair = Fair(name=name, slug=fields.pop("slug", f"salon-{n}"), timezone=tz, **fields)
    db.session.add(fair)
    zone = ZoneInfo(tz)
    for label, name_, hour in (("am", "Matin", 9), ("pm", "Après-midi", 14)):
        start = datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)
        step = timedelta(minutes=fair.meeting_minutes or 20) + timedelta(minutes=fair.pause_minutes or 5)
        end = start + step * slots_per_session
        session = FairSession(fair=fair, label=label, name=name_, day=day, starts_at=start, ends_at=end)
        db.session.add(session)
        for i in range(slots_per_session):
            s = start + step * i
            db.session.add(
                Slot(
                    fair=fair,
                    session=session,
                    starts_at=s,
                    ends_at=s + timedelta(minutes=fair.meeting_minutes or 20),
                )
            )
    for i in range(tables):
        db.session.add(MeetingTable(fair=fair, name=str(i + 1), position=i))
    if organiser is not None:
        db.session.add(OrganiserMembership(fair=fair, user=organiser, role="owner"))
    db.session.flush()
    return fair


def make_organisation(
    name: str | None = None, kind: str = "supplier", user: User | None = None, **fields
) -> Organisation:
    """Create an organisation, with `user` as a member when given."""
    n = next(_seq)
    org = Organisation(name=name or f"Structure {n}", kind=kind, **fields)
    db.session.add(org)
    if user is not None:
        db.session.add(OrganisationMember(organisation=org, user=user, role="admin"))
    db.session.flush()
    return org


def make_participant(
    fair: Fair, side: str = "supplier", user: User | None = None, status: str = "approved", **fields
) -> Participant:
    """Create an approved participant (a new organisation) at the fair."""
    org = fields.pop("organisation", None) or make_organisation(
        kind=side, user=user, name=fields.pop("name", None)
    )
    participant = Participant(fair=fair, organisation=org, side=side, status=status, **fields)
    db.session.add(participant)
    db.session.flush()
    return participant


def make_wish(source: Participant, target: Participant, priority: int | None = 2, veto: bool = False) -> Wish:
    """Create a wish (or a veto) from source to target."""
    wish = Wish(
        fair_id=source.fair_id,
        source=source,
        target=target,
        priority=None if veto else priority,
        veto=veto,
    )
    db.session.add(wish)
    db.session.flush()
    return wish


def login(client, user: User, password: str = PASSWORD):
    """Sign in through the real login form."""
    return client.post("/login", data={"email": user.email, "password": password})
