"""`salon demo`: a realistic Coventis-style demo fair, created idempotently, then served on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from salon import demo_data as data
from salon.extensions import db
from salon.models import (
    Attendee,
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
from salon.services.profiles import refresh_search_text
from salon.text import lower_first

SLUG = "coventis-demo-2027"
PASSWORD = "salon-demo-2027"  # noqa: S105  (public demo logins, printed on the console)
ORGANISER_EMAIL = "organisation@demo.example.org"
DAY = date(2027, 3, 18)
SEED = 2027


def luhn_complete(digits: str) -> str:
    """Append the check digit that makes `digits` pass the Luhn test."""
    for last in "0123456789":
        candidate = digits + last
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def fake_siret(rng: random.Random) -> str:
    """Return a valid-looking 14-digit SIRET (Luhn on the SIREN and on the whole number)."""
    siren = luhn_complete("".join(rng.choice("0123456789") for _ in range(8)))
    return luhn_complete(siren + "".join(rng.choice("0123456789") for _ in range(4)))


def _account(email: str, name: str, **fields) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email, password_hash=hash_password(PASSWORD), full_name=name,
            email_confirmed_at=datetime.now(UTC), consent_at=datetime.now(UTC), **fields,
        )  # fmt: skip
        db.session.add(user)
    return user


def _fair() -> Fair:
    zone = ZoneInfo("Europe/Paris")
    fair = Fair(
        slug=SLUG, name="Coventis — rendez-vous d'affaires de l'achat responsable (démo)",
        description="Salon d'affaires de démonstration : acheteurs publics et privés d'Occitanie et "
        "structures de l'ESS se rencontrent en rendez-vous individuels de 20 minutes.",
        venue="Parc des expositions de Montpellier", address="Route de la Foire, 34470 Pérols",
        timezone="Europe/Paris", phase="wishes", meeting_minutes=20, pause_minutes=5,
        registration_deadline=datetime(2027, 2, 15, 23, 59, tzinfo=zone),
        wishes_deadline=datetime(2027, 3, 4, 23, 59, tzinfo=zone),
        max_wishes_buyer=15, max_wishes_supplier=10, contact_email="contact@demo.example.org",
    )  # fmt: skip
    db.session.add(fair)
    add_day(fair, DAY, tables=40)
    return fair


def add_day(fair: Fair, day: date, tables: int) -> None:
    """Add a morning and an afternoon of eight 20-minute slots (5-minute pauses), and numbered tables."""
    zone = ZoneInfo(fair.timezone)
    step = timedelta(minutes=25)
    for label, name, hour, count in (("am", "Matin", 9, 8), ("pm", "Après-midi", 14, 8)):
        start = datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)
        session = FairSession(
            fair=fair, label=label, name=name, day=day, starts_at=start, ends_at=start + step * count
        )
        db.session.add(session)
        for i in range(count):
            s = start + step * i
            db.session.add(Slot(fair=fair, session=session, starts_at=s, ends_at=s + timedelta(minutes=20)))
    for i in range(tables):
        db.session.add(MeetingTable(fair=fair, name=str(i + 1), position=i))


def _person(rng: random.Random) -> str:
    return f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"


def _buyers() -> list[tuple[str, str, str | None]]:
    names = [(kind, name, town) for _, kind, name, town in data.BUYERS]
    names += [("commune", name, town) for name, town in data.COMMUNES]
    names += list(data.COMPANIES)
    return names[:60]


def _organisation(
    rng: random.Random, name: str, kind: str, town: str | None = None, **fields
) -> Organisation:
    """Add an organisation in `town`, or in a town drawn at random when its name names no place."""
    drawn, _dep = rng.choice(data.TOWNS)  # drawn even when unused: the seeded data after it stays the same
    city = town or drawn
    dep, postcode = data.TOWN_INFO[city]
    org = Organisation(
        name=name, kind=kind, siret=fake_siret(rng), city=city, postcode=postcode, departements=[dep],
        contact_email=f"contact{rng.randrange(10**6)}@demo.example.org", **fields,
    )  # fmt: skip
    db.session.add(org)
    return org


def _participants(rng: random.Random, fair: Fair) -> tuple[list[Participant], list[Participant]]:
    sectors = [code for code, _ in data.SECTORS]
    labels = dict(data.SECTORS)
    buyers, suppliers = [], []
    for kind, name, town in _buyers():
        wanted = rng.sample(sectors, 3)
        needs = "Besoins : " + " ; ".join(lower_first(labels[s]) for s in wanted) + "."
        org = _organisation(
            rng,
            name,
            "buyer",
            town,
            buyer_kind=kind,
            sectors=wanted,
            needs=needs,
            purchases_planned="Marchés à renouveler en 2027 : " + lower_first(labels[wanted[0]]) + ".",
        )
        buyers.append(
            Participant(fair=fair, organisation=org, side="buyer", status="approved", max_meetings=12)
        )
    used = set()
    while len(suppliers) < 120:
        types, form, label = rng.choice(data.SUPPLIER_KINDS)
        word, place = rng.choice(data.SUPPLIER_WORDS), rng.choice(list(data.SUPPLIER_PLACES))
        name = f"{word} {place}"
        if name in used:
            continue
        used.add(name)
        offer_sectors = rng.sample(sectors, rng.choice((1, 2)))
        offer = f"{label} : " + " ; ".join(labels[s] for s in offer_sectors) + "."
        org = _organisation(
            rng,
            name,
            "supplier",
            data.SUPPLIER_PLACES[place],
            structure_types=list(types),
            legal_form=form,
            sectors=offer_sectors,
            offer=offer,
            ess_status=label,
            capacity=f"{rng.randrange(5, 80)} salariés en parcours",
        )
        suppliers.append(
            Participant(fair=fair, organisation=org, side="supplier", status="approved", max_meetings=10)
        )
    for p in buyers + suppliers:
        db.session.add(p)
        db.session.add(Attendee(participant=p, full_name=_person(rng), email=p.organisation.contact_email))
    return buyers, suppliers


def _wishes(rng: random.Random, fair: Fair, buyers: list[Participant], suppliers: list[Participant]) -> None:
    popularity = [1.0 / (i + 1) ** 0.8 for i in range(len(buyers))]  # a few buyers are wanted by many
    seen: set[tuple[int, int]] = set()

    def add(src: Participant, dst: Participant, priority: int | None, veto: bool = False) -> None:
        key = (id(src), id(dst))
        if key not in seen:
            seen.add(key)
            db.session.add(Wish(fair_id=fair.id, source=src, target=dst, priority=priority, veto=veto))

    for s in suppliers:
        for b in dict.fromkeys(rng.choices(buyers, weights=popularity, k=rng.randint(3, 8))):
            add(s, b, rng.choices((3, 2, 1), weights=(2, 5, 3))[0])
    for b in buyers:
        for s in rng.sample(suppliers, rng.randint(4, 10)):
            add(b, s, rng.choices((3, 2, 1), weights=(2, 5, 3))[0])
        if rng.random() < 0.1:
            add(b, rng.choice(suppliers), None, veto=True)


def create_demo_fair() -> tuple[Fair, bool]:
    """Create the demo fair and its accounts unless they exist; return (fair, created)."""
    fair = db.session.scalar(select(Fair).where(Fair.slug == SLUG))
    if fair is not None:
        return fair, False
    rng = random.Random(SEED)
    fair = _fair()
    organiser = _account(ORGANISER_EMAIL, "Claire Organisatrice (CRESS)", can_create_fairs=True)
    db.session.add(OrganiserMembership(fair=fair, user=organiser, role="owner"))
    buyers, suppliers = _participants(rng, fair)
    db.session.flush()
    for p in buyers + suppliers:
        refresh_search_text(p.organisation)
    _wishes(rng, fair, buyers, suppliers)
    add_demo_logins(buyers, suppliers)
    db.session.commit()
    return fair, True


def add_demo_logins(buyers: list[Participant], suppliers: list[Participant]) -> None:
    """Give the first two buyers and suppliers the demo participant logins."""
    for i, p in enumerate(buyers[:2] + suppliers[:2]):
        who = "acheteur" if p.side == "buyer" else "fournisseur"
        user = _account(f"{who}{i % 2 + 1}@demo.example.org", p.attendees[0].full_name)
        db.session.add(OrganisationMember(organisation=p.organisation, user=user, role="admin"))


def demo_base_url(host: str, port: int) -> str:
    """Return the address the demo is reached at, for links in e-mails and calendars."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:  # a host name
        address = None
    if address is not None and address.is_unspecified:  # every interface: the loopback answers too
        host = "127.0.0.1" if address.version == 4 else "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _print_logins(fair: Fair, base_url: str) -> None:
    click.echo(f"Demo fair: {fair.name}")
    click.echo(f"  organiser : {ORGANISER_EMAIL} / {PASSWORD}")
    for who in ("acheteur1", "acheteur2", "fournisseur1", "fournisseur2"):
        click.echo(f"  participant: {who}@demo.example.org / {PASSWORD}")
    click.echo(f"Salon is served at {base_url}/ (Ctrl+C to stop)")


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Create the demo fair and stop.")
@click.option(
    "--participants",
    type=click.IntRange(22, 5000),
    help="Seed a larger SO EKO-style fair of this many participants (one exhibitor at a home table for "
    "ten buyers) instead of the 180-participant Coventis-style one.",
)
@click.option("--publish", is_flag=True, help="Also solve the fair and publish its schedule.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool, participants: int | None, publish: bool) -> None:
    """Upgrade the database, create the demo fair (the same every time) and serve the app."""
    from flask_migrate import upgrade

    from salon.demo_big import create_big_fair
    from salon.demo_publish import publish_demo

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    base_url = demo_base_url(host, port)
    # Links in e-mails and calendars point where the demo really answers, whatever --host and --port.
    app.config["SALON_BASE_URL"] = base_url
    upgrade()
    fair, created = create_big_fair(participants) if participants else create_demo_fair()
    click.echo("Demo fair created." if created else "Demo fair already there: kept as it is.")
    if publish:
        click.echo(publish_demo(fair))
    _print_logins(fair, base_url)
    if no_serve:
        return
    # The demo is served over plain HTTP on the loopback address: Secure cookies would never come back.
    app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    from salon import keys

    if keys.key_problem(app.config.get("SECRET_KEY")):
        keys.use_local_key(app)  # the demo on this machine signs with a random key of its own
    from werkzeug.serving import run_simple

    from salon import demo_mail

    catcher = demo_mail.start(app)
    click.echo(f"E-mails are caught, not sent: read them at {base_url}/demo/mailbox")
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        catcher.close()
