"""Seed data of the load test: a fair taking wishes and a published fair with meetings and feeds."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from salon.extensions import db
from salon.models import (
    Fair,
    FairSession,
    Meeting,
    MeetingSeat,
    MeetingTable,
    Organisation,
    OrganisationMember,
    Participant,
    Slot,
    User,
)
from salon.services.accounts import hash_password
from salon.services.calendar_feeds import regenerate_participant_feed


def _fair(slug: str, phase: str, slots: int, tables: int) -> Fair:
    fair = Fair(
        slug=slug, name=f"Salon de charge {slug}", phase=phase, venue="Halle 1", address="Montpellier"
    )
    db.session.add(fair)
    zone = ZoneInfo("Europe/Paris")
    day = date(2027, 3, 18)
    for label, hour in (("am", 9), ("pm", 14)):
        start = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
        session = FairSession(
            fair=fair,
            label=label,
            name=label,
            day=day,
            starts_at=start,
            ends_at=start + timedelta(minutes=25 * slots),
        )
        for i in range(slots):
            s = start + timedelta(minutes=25 * i)
            db.session.add(Slot(fair=fair, session=session, starts_at=s, ends_at=s + timedelta(minutes=20)))
    for i in range(tables):
        db.session.add(MeetingTable(fair=fair, name=str(i + 1), position=i))
    db.session.flush()
    return fair


def _meetings(fair: Fair, buyers: list[Participant], suppliers: list[Participant]) -> int:
    """Fill every table in every slot with a rotating buyer-supplier pair (no one twice in a slot).

    Both sides rotate through everyone, so every participant has meetings (about 6 each with 200
    participants), and a buyer meets a different supplier in each slot.
    """
    width = min(len(fair.tables), len(buyers), len(suppliers))
    count = 0
    for s_index, slot in enumerate(fair.slots):
        for t_index in range(width):
            rank = t_index + s_index * width
            buyer = buyers[rank % len(buyers)]
            supplier = suppliers[(rank + s_index) % len(suppliers)]
            a, b = sorted((buyer.id, supplier.id))
            meeting = Meeting(
                fair_id=fair.id, participant_a_id=a, participant_b_id=b, occurrence=s_index, slot_id=slot.id,
                table_id=fair.tables[t_index].id, uid=f"{uuid.uuid4()}@load",
            )  # fmt: skip
            db.session.add(meeting)
            db.session.flush()
            db.session.add_all(
                [MeetingSeat(meeting_id=meeting.id, participant_id=p, slot_id=slot.id) for p in (a, b)]
            )
            count += 1
    return count


def seed_fairs(users: int, password: str) -> list[dict]:
    """Create `users` accounts, each a participant of both fairs; return what each simulated user needs."""
    wishes = _fair("charge-souhaits", "wishes", slots=8, tables=40)
    published = _fair("charge-publie", "published", slots=8, tables=40)
    digest = hash_password(password)
    rows = []
    for n in range(users):
        side = "buyer" if n % 2 == 0 else "supplier"
        user = User(
            email=f"charge{n}@charge.example.org",
            password_hash=digest,
            full_name=f"Personne {n}",
            email_confirmed_at=datetime.now(UTC),
            consent_at=datetime.now(UTC),
        )
        org = Organisation(name=f"Structure {n}", kind=side, city="Montpellier", offer="Offre " * 20)
        db.session.add_all([user, org, OrganisationMember(organisation=org, user=user, role="admin")])
        w = Participant(fair=wishes, organisation=org, side=side, status="approved")
        p = Participant(fair=published, organisation=org, side=side, status="approved")
        db.session.add_all([w, p])
        rows.append((n, user, side, w, p))
    db.session.flush()
    buyers = [p for _, _, side, _, p in rows if side == "buyer"]
    suppliers = [p for _, _, side, _, p in rows if side == "supplier"]
    _meetings(published, buyers, suppliers)
    other_side = {
        "buyer": [w.id for _, _, s, w, _ in rows if s == "supplier"],
        "supplier": [w.id for _, _, s, w, _ in rows if s == "buyer"],
    }
    people = []
    for n, user, side, w, p in rows:
        targets = other_side[side][n % 7 :: 7][:12] or other_side[side][:12]
        people.append(
            {
                "email": user.email,
                "wish_pid": w.id,
                "agenda_pid": p.id,
                "targets": targets,
                "feed": regenerate_participant_feed(p, user),
                "slug": published.slug,
                "address": f"10.{n // 250}.{n % 250}.{1 + n % 200}",
            }
        )
    return people
