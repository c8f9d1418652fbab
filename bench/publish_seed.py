"""Fairs for the publication benchmark: the demo fair (180 participants) or a SO EKO-size synthetic one.

The large fair is bench/synthetic.py's generator with a shape of its own (1,100 participants, 600 buyers
and 500 ESS suppliers at their home tables, 12,000 wishes, 20 slots), so its schedule has several thousand
meetings. Every participant has one attendee with an address and every fifth a second one, as organisations
often send two people; the fair is written to the database as an organiser would have built it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bench.synthetic import FairShape, generate
from salon.extensions import db
from salon.models import (
    Attendee,
    Fair,
    FairSession,
    MeetingTable,
    Organisation,
    OrganiserMembership,
    Participant,
    Slot,
    User,
    Wish,
)
from salon.services.accounts import hash_password

LARGE = FairShape(buyers=600, suppliers=500, wishes=12_000, slots=20)
PRIORITY = {10: 3, 3: 2, 1: 1}  # the generator's weights as the app's priorities
ORGANISER_EMAIL, PASSWORD = "organisatrice@bench.example.org", "banc-d-essai-publication-2027"


def seed_fair(size: int) -> tuple[int, str, str]:
    """Create the fair of a size (180: the demo's; 1100: synthetic); return its id, the organiser's login."""
    if size == 180:
        from salon.demo import ORGANISER_EMAIL as DEMO_EMAIL
        from salon.demo import PASSWORD as DEMO_PASSWORD
        from salon.demo import create_demo_fair

        fair, _created = create_demo_fair()
        fair.phase = "scheduling"
        db.session.commit()
        return fair.id, DEMO_EMAIL, DEMO_PASSWORD
    if size != 1100:
        raise ValueError(f"size must be 180 or 1100, got {size}")
    return _large_fair().id, ORGANISER_EMAIL, PASSWORD


def _large_fair() -> Fair:
    instance = generate(LARGE, seed=1, name="publication-1100")
    fair = Fair(
        slug="bench-publication-1100", name="SO EKO — rendez-vous d'affaires (banc d'essai)",
        venue="Parc des expositions", address="Bordeaux", timezone="Europe/Paris", phase="scheduling",
        contact_email="contact@bench.example.org",
    )  # fmt: skip
    db.session.add(fair)
    slots = _slots(fair, instance.slots)
    tables = {name: MeetingTable(fair=fair, name=name, position=i) for i, name in enumerate(instance.tables)}
    db.session.add_all(tables.values())
    people = {}
    for n, p in enumerate(instance.participants):
        org = Organisation(
            name=f"{'Acheteur' if p.side == 'buyer' else 'Structure ESS'} {p.id.upper()}", kind=p.side,
            city="Bordeaux", contact_email=f"contact-{p.id}@bench.example.org",
        )  # fmt: skip
        people[p.id] = Participant(
            fair=fair, organisation=org, side=p.side, status="approved", max_meetings=p.max_meetings,
            min_meetings=p.min_meetings, home_table=tables.get(p.table or ""),
            unavailable_slots=[slots[s] for s in p.unavailable],
        )  # fmt: skip
        count = 2 if n % 5 == 0 else 1
        for k in range(count):
            people[p.id].attendees.append(
                Attendee(full_name=f"Personne {k + 1} {p.id}", email=f"{p.id}-{k + 1}@bench.example.org")
            )
    db.session.add_all(people.values())
    db.session.flush()
    db.session.add_all(
        Wish(fair_id=fair.id, source_id=people[w.source].id, target_id=people[w.target].id,
             priority=PRIORITY[w.weight])
        for w in instance.wishes
    )  # fmt: skip
    _organiser(fair)
    db.session.commit()
    return fair


def _slots(fair: Fair, specs) -> dict[str, Slot]:  # noqa: ANN001
    """Add the sessions and slots of the instance; return the slots by the instance's ids."""
    slots, sessions = {}, {}
    for spec in specs:
        start, end = datetime.fromisoformat(spec.start), datetime.fromisoformat(spec.end)
        session = sessions.get(spec.session)
        if session is None:
            session = sessions[spec.session] = FairSession(
                fair=fair, label=spec.session, name=spec.session, day=date(2027, 3, 18), starts_at=start,
                ends_at=end,
            )  # fmt: skip
        session.ends_at = max(session.ends_at, end)
        slots[spec.id] = Slot(fair=fair, session=session, starts_at=start, ends_at=end)
    db.session.add_all(slots.values())
    return slots


def _organiser(fair: Fair) -> None:
    user = User(
        email=ORGANISER_EMAIL, password_hash=hash_password(PASSWORD), full_name="Organisatrice du banc",
        email_confirmed_at=datetime.now(UTC), consent_at=datetime.now(UTC), can_create_fairs=True,
    )  # fmt: skip
    db.session.add_all([user, OrganiserMembership(fair=fair, user=user, role="owner")])
