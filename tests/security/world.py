"""Two fairs with organisers and participants, the roles that act on them, and URL parameter values."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field

from flask.testing import FlaskClient

from salon.extensions import db
from salon.models import (
    Attendee,
    DraftMeeting,
    MandatoryMeeting,
    Meeting,
    MeetingSeat,
    OrganiserInvitation,
    Participant,
    ParticipantClaim,
    PrintBuild,
    ScheduleRun,
    User,
)
from salon.models.base import utcnow
from tests.factories import make_fair, make_participant, make_user, make_wish

ROLES = ("anonymous", "participant", "organiser", "other_organiser", "other_participant", "outsider")
# participant         acts for P (buyer) at fair A, the object in the URL
# organiser           organises fair A
# other_organiser     organises fair B only
# other_participant   acts for Q (supplier) at fair A: same fair, another person
# outsider            acts for a participant of fair B only


@dataclass
class World:
    """Every object a URL can name, with the users of each role."""

    users: dict[str, User | None]
    fair: object
    other_fair: object
    participant: Participant
    other: Participant  # Q, the other participant's organisation at fair A
    target: Participant  # T, a supplier at fair A without account (met by P)
    foreign: Participant  # participant of fair B
    meeting: Meeting
    wish: object
    run: ScheduleRun
    mandatory: MandatoryMeeting
    attendee: Attendee
    foreign_meeting: Meeting
    foreign_run: ScheduleRun
    other_attendee: Attendee  # Q's attendee (same fair, another person)
    foreign_attendee: Attendee  # attendee of fair B
    foreign_mandatory: MandatoryMeeting | None = None
    print_build: PrintBuild | None = None  # a finished printout of fair A, and one of fair B
    foreign_print_build: PrintBuild | None = None
    tokens: dict[str, str] = field(default_factory=dict)
    feeds: dict[str, int] = field(default_factory=dict)
    invitations: dict[str, int] = field(default_factory=dict)
    claims: dict[str, int] = field(default_factory=dict)
    messages: dict[str, int] = field(default_factory=dict)  # a failed outbox message of each fair
    uploads: dict[str, int] = field(default_factory=dict)


def _meeting(fair, a: Participant, b: Participant, slot, table) -> Meeting:
    lo, hi = sorted((a, b), key=lambda p: p.id)
    meeting = Meeting(
        fair_id=fair.id,
        participant_a_id=lo.id,
        participant_b_id=hi.id,
        slot_id=slot.id,
        table_id=table.id,
        uid=f"{uuid.uuid4()}@salon.test",
    )
    db.session.add(meeting)
    db.session.flush()
    for p in (lo, hi):
        db.session.add(MeetingSeat(meeting_id=meeting.id, participant_id=p.id, slot_id=slot.id))
    db.session.flush()
    return meeting


def _blank_pdf() -> bytes:
    """Return a one-page PDF without text."""
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(595, 842)
    writer.write(out)
    return out.getvalue()


def build_world(phase: str = "published") -> World:
    """Create fairs A and B, their organisers, participants, a wish, a meeting and a finished run."""
    organiser = make_user(can_create_fairs=True)
    other_organiser = make_user(can_create_fairs=True)
    users = {
        "anonymous": None,
        "participant": make_user(),
        "organiser": organiser,
        "other_organiser": other_organiser,
        "other_participant": make_user(),
        "outsider": make_user(),
    }
    fair = make_fair(name="Salon A", organiser=organiser, phase=phase)
    other_fair = make_fair(name="Salon B", organiser=other_organiser, phase=phase)
    p = make_participant(fair, side="buyer", user=users["participant"])
    q = make_participant(fair, side="supplier", user=users["other_participant"])
    t = make_participant(fair, side="supplier")
    foreign = make_participant(other_fair, side="buyer", user=users["outsider"])
    other_fair_supplier = make_participant(other_fair, side="supplier")
    wish = make_wish(p, t, priority=3)
    make_wish(q, p, priority=2)
    meeting = _meeting(fair, p, t, fair.slots[0], fair.tables[0])
    _meeting(fair, q, p, fair.slots[1], fair.tables[0])
    b_slot, b_table = other_fair.slots[0], other_fair.tables[0]
    foreign_meeting = _meeting(other_fair, foreign, other_fair_supplier, b_slot, b_table)
    run = ScheduleRun(fair_id=fair.id, status="done", solver_status="optimal")
    foreign_run = ScheduleRun(fair_id=other_fair.id, status="done", solver_status="optimal")
    mandatory = MandatoryMeeting(fair_id=fair.id, participant_a_id=p.id, participant_b_id=t.id)
    attendees = [
        Attendee(participant=x, full_name=f"Camille {i}", email=f"camille{i}@example.org", user_id=u.id)
        for i, (x, u) in enumerate(((p, users["participant"]), (q, users["other_participant"]),
                                    (foreign, users["outsider"])))
    ]  # fmt: skip
    db.session.add_all([run, foreign_run, mandatory, *attendees])
    db.session.flush()
    lo, hi = sorted((p.id, t.id))
    blo, bhi = sorted((foreign.id, other_fair_supplier.id))
    drafts = [
        DraftMeeting(run_id=run.id, participant_a_id=lo, participant_b_id=hi, slot_id=fair.slots[2].id,
                     table_id=fair.tables[1].id),
        DraftMeeting(run_id=foreign_run.id, participant_a_id=blo, participant_b_id=bhi, slot_id=b_slot.id,
                     table_id=b_table.id),
    ]  # fmt: skip
    db.session.add_all(drafts)
    db.session.flush()
    world = World(users, fair, other_fair, p, q, t, foreign, meeting, wish, run, mandatory, attendees[0],
                  foreign_meeting, foreign_run, attendees[1], attendees[2])  # fmt: skip
    world.foreign_mandatory = MandatoryMeeting(
        fair_id=other_fair.id, participant_a_id=foreign.id, participant_b_id=other_fair_supplier.id
    )
    db.session.add(world.foreign_mandatory)
    db.session.flush()
    blank = _blank_pdf()  # a real PDF: the French crawl reads the text of every file it downloads
    world.print_build, world.foreign_print_build = (
        PrintBuild(fair_id=f.id, document="tables", status="done", pdf=blank, pages=1, size=len(blank))
        for f in (fair, other_fair)
    )
    db.session.add_all([world.print_build, world.foreign_print_build])
    db.session.flush()
    _add_tokens(world)
    _add_claims(world, other_fair_supplier)
    _add_messages(world)
    db.session.commit()
    return world


def _add_claims(world: World, other_fair_supplier: Participant) -> None:
    """Requests to act for an entry (found by its SIRET), waiting for the organisers of each fair."""
    mine = ParticipantClaim(
        fair_id=world.fair.id, participant=world.target, user=world.users["outsider"], via="siret"
    )
    foreign = ParticipantClaim(
        fair_id=world.other_fair.id,
        participant=other_fair_supplier,
        user=world.users["other_participant"],
        via="siret",
    )
    db.session.add_all([mine, foreign])
    db.session.flush()
    world.claims = {"fair": mine.id, "foreign": foreign.id}


def _add_messages(world: World) -> None:
    """Give each fair a failed e-mail in its outbox (the organiser's e-mails page can resend it)."""
    from salon.services.mail import queue_email

    for key, fair in (("fair", world.fair), ("foreign", world.other_fair)):
        message = queue_email(f"{key}@example.org", "Agenda", "Bonjour", kind="agenda_published", fair=fair)
        message.status, message.last_error = "failed", "connect: [Errno 111] Connection refused"
        world.messages[key] = message.id


def _add_tokens(world: World) -> None:
    """Create calendar feeds and signed links, keeping their clear tokens for the URLs."""
    from salon.services import (
        agenda_links,
        board,
        calendar_feeds,
        calendar_text,
        checkin,
        invitations,
        outcomes,
        password_reset,
        registration,
    )

    tokens, feeds = world.tokens, world.feeds
    tokens["participant_feed"] = calendar_feeds.regenerate_participant_feed(world.participant, None)
    tokens["fair_feed"] = calendar_feeds.create_organiser_feed(world.fair, None)
    calendar_feeds.create_organiser_feed(world.other_fair, None)
    feeds["fair"] = calendar_feeds.organiser_feeds(world.fair)[0].id
    feeds["foreign"] = calendar_feeds.organiser_feeds(world.other_fair)[0].id
    tokens["checkin"] = checkin.make_checkin_token(world.attendee)
    tokens["foreign_checkin"] = checkin.make_checkin_token(world.foreign_attendee)
    tokens["outcome"] = outcomes.make_outcome_token(world.participant, utcnow())
    tokens["foreign_outcome"] = outcomes.make_outcome_token(world.foreign, utcnow())
    tokens["confirm"] = registration.confirmation_token(world.users["participant"])
    tokens["board"] = board.board_token(world.fair)
    tokens["reset"] = password_reset.reset_token(world.users["participant"])
    address = calendar_text.participant_addresses(world.participant)[0][1]
    tokens["agenda"] = agenda_links.agenda_token(world.participant.id, address)
    tokens["foreign_agenda"] = agenda_links.agenda_token(world.foreign.id, address)  # not its address
    # Fair A invited the outsider's address before it had an account: only the outsider may accept.
    expires = utcnow() + invitations.VALID_FOR
    mine = OrganiserInvitation(fair=world.fair, email=world.users["outsider"].email, expires_at=expires)
    foreign = OrganiserInvitation(fair=world.other_fair, email="b@example.org", expires_at=expires)
    db.session.add_all([mine, foreign])
    db.session.flush()
    world.invitations = {"fair": mine.id, "foreign": foreign.id}
    tokens["invitation"] = invitations.invitation_token(mine)
    _add_uploads(world)


def _add_uploads(world: World) -> None:
    """Keep an import in progress at each fair (a file every step accepts as it is)."""
    from salon.services import import_uploads

    data = b"Raison sociale;Profil;Courriel\nESAT Monde;fournisseur;monde@example.org\n"
    organisers = (world.users["organiser"], world.users["other_organiser"])
    for key, fair, user in (
        ("fair", world.fair, organisers[0]),
        ("foreign", world.other_fair, organisers[1]),
    ):
        world.uploads[key] = import_uploads.start_upload(fair, user, "annuaire.csv", data).id


def sign_in(client: FlaskClient, user: User | None) -> None:
    """Put the user's session in the client's cookie (no form, so it works with CSRF on)."""
    if user is None:
        return
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
