"""`salon demo --participants N`: a larger fair in the SO EKO shape, for benchmarks and trials.

About one participant in eleven is an ESS exhibitor at its own (home) table; the others are buyers who walk
from stand to stand, a few meetings each. Seeded by N, so the same N gives the same fair every time.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from salon import demo_data as data
from salon import demo_data_sud as sud
from salon.demo import ORGANISER_EMAIL, SEED, _account, add_day, add_demo_logins, fake_siret
from salon.extensions import db
from salon.models import Attendee, Fair, Organisation, OrganiserMembership, Participant, Wish
from salon.services.profiles import refresh_search_text
from salon.text import lower_first

DAY = date(2027, 6, 10)
EXHIBITOR_SHARE = 11  # one exhibitor for ten buyers, as at SO EKO (about 100 exhibitors, 1,000 buyers)


def slug_for(participants: int) -> str:
    """Return the slug of the demo fair with this many participants."""
    return f"so-eko-demo-{participants}"


def _fair(participants: int, exhibitors: int) -> Fair:
    zone = ZoneInfo("Europe/Paris")
    fair = Fair(
        slug=slug_for(participants),
        name=f"SO EKO — rendez-vous d'affaires de l'ESS en Provence-Alpes-Côte d'Azur (démo, {participants})",
        description="Salon d'affaires de démonstration : les exposants de l'ESS reçoivent les acheteurs "
        "publics et privés de la région sur leur stand, en rendez-vous de 20 minutes.",
        venue="Parc Chanot", address="Rond-point du Prado, 13008 Marseille",
        timezone="Europe/Paris", phase="wishes", meeting_minutes=20, pause_minutes=5,
        registration_deadline=datetime(2027, 5, 14, 23, 59, tzinfo=zone),
        wishes_deadline=datetime(2027, 5, 28, 23, 59, tzinfo=zone),
        max_wishes_buyer=8, max_wishes_supplier=20, contact_email="contact@demo.example.org",
    )  # fmt: skip
    db.session.add(fair)
    add_day(fair, DAY, tables=exhibitors)
    return fair


def _organisation(rng: random.Random, name: str, kind: str, town: str | None, **fields) -> Organisation:
    city = town or rng.choice(sud.WEIGHTED_TOWNS)
    dep, postcode = sud.TOWN_INFO[city]
    org = Organisation(
        name=name, kind=kind, siret=fake_siret(rng), city=city, postcode=postcode, departements=[dep],
        contact_email=f"contact{rng.randrange(10**7)}@demo.example.org", **fields,
    )  # fmt: skip
    db.session.add(org)
    return org


def _buyer_names(rng: random.Random, count: int) -> list[tuple[str, str, str | None]]:
    """Return (kind, name, town) of `count` buyers: public buyers and communes first, then companies."""
    names = list(sud.PUBLIC_BUYERS) + [("commune", sud.commune_name(t), t) for t in sud.TOWN_INFO]
    pairs = [f"{a} {w}" for a, w in itertools.product(sud.ACTIVITIES, sud.REGION_WORDS)]
    pairs += [f"{w} {a}" for w, a in itertools.product(sud.REGION_WORDS, sud.ACTIVITIES)]
    companies = rng.sample(pairs, min(len(pairs), max(0, count - len(names))))
    names += [(rng.choice(sud.COMPANY_KINDS), name, None) for name in companies]
    return names[:count]


def _buyers(rng: random.Random, fair: Fair, count: int) -> list[Participant]:
    sectors = [code for code, _ in data.SECTORS]
    labels = dict(data.SECTORS)
    buyers = []
    for kind, name, town in _buyer_names(rng, count):
        wanted = rng.sample(sectors, 2)
        needs = "Besoins : " + " ; ".join(lower_first(labels[s]) for s in wanted) + "."
        org = _organisation(rng, name, "buyer", town, buyer_kind=kind, sectors=wanted, needs=needs)
        buyers.append(
            Participant(fair=fair, organisation=org, side="buyer", status="approved", max_meetings=3)
        )
    return buyers


def _exhibitors(rng: random.Random, fair: Fair, count: int) -> list[Participant]:
    sectors = [code for code, _ in data.SECTORS]
    labels = dict(data.SECTORS)
    names = list(itertools.product(data.SUPPLIER_WORDS, sud.EXHIBITOR_PLACES))
    exhibitors = []
    for table, (word, place) in zip(fair.tables, rng.sample(names, count), strict=True):
        types, form, label = rng.choice(data.SUPPLIER_KINDS)
        offer_sectors = rng.sample(sectors, rng.choice((1, 2)))
        org = _organisation(
            rng, f"{word} {place}", "supplier", sud.EXHIBITOR_PLACES[place],
            structure_types=list(types), legal_form=form, sectors=offer_sectors, ess_status=label,
            offer=f"{label} : " + " ; ".join(labels[s] for s in offer_sectors) + ".",
        )  # fmt: skip
        exhibitors.append(
            Participant(fair=fair, organisation=org, side="supplier", status="approved", home_table=table)
        )
    return exhibitors


def _people(rng: random.Random, buyers: list[Participant], exhibitors: list[Participant]) -> None:
    """Add one person per buyer and two per exhibitor stand."""
    for p, count, jobs in [(b, 1, sud.BUYER_JOBS) for b in buyers] + [
        (e, 2, sud.EXHIBITOR_JOBS) for e in exhibitors
    ]:
        db.session.add(p)
        for _ in range(count):
            name = f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"
            db.session.add(
                Attendee(
                    participant=p,
                    full_name=name,
                    job_title=rng.choice(jobs),
                    email=p.organisation.contact_email,
                )
            )


def _wishes(rng: random.Random, fair: Fair, buyers: list[Participant], exhibitors: list[Participant]) -> None:
    """Buyers ask for a few stands (some stands are popular); exhibitors ask for a handful of buyers."""
    popularity = [1.0 / (i + 1) ** 0.6 for i in range(len(exhibitors))]
    seen: set[tuple[int, int]] = set()
    pairs = [(b, e) for b in buyers for e in rng.choices(exhibitors, weights=popularity, k=rng.randint(2, 5))]
    pairs += [(e, b) for e in exhibitors for b in rng.sample(buyers, min(len(buyers), rng.randint(3, 10)))]
    for src, dst in pairs:
        if (id(src), id(dst)) not in seen:
            seen.add((id(src), id(dst)))
            priority = rng.choices((3, 2, 1), weights=(2, 5, 3))[0]
            db.session.add(Wish(fair_id=fair.id, source=src, target=dst, priority=priority))


def create_big_fair(participants: int) -> tuple[Fair, bool]:
    """Create the SO EKO-style fair with this many participants unless it exists; return (fair, created)."""
    fair = db.session.scalar(select(Fair).where(Fair.slug == slug_for(participants)))
    if fair is not None:
        return fair, False
    rng = random.Random(SEED * 10_000 + participants)
    exhibitors_count = max(1, round(participants / EXHIBITOR_SHARE))
    fair = _fair(participants, exhibitors_count)
    organiser = _account(ORGANISER_EMAIL, "Claire Organisatrice (CRESS)", can_create_fairs=True)
    db.session.add(OrganiserMembership(fair=fair, user=organiser, role="owner"))
    db.session.flush()
    exhibitors = _exhibitors(rng, fair, exhibitors_count)
    buyers = _buyers(rng, fair, participants - exhibitors_count)
    _people(rng, buyers, exhibitors)
    db.session.flush()
    for p in buyers + exhibitors:
        refresh_search_text(p.organisation)
    _wishes(rng, fair, buyers, exhibitors)
    add_demo_logins(buyers, exhibitors)
    db.session.commit()
    return fair, True
