"""After the fair: each participant records what its held meetings produced, through a signed link.

The link is e-mailed after the fair and again three months later; it carries an expiry date and a link
used after it is refused.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature
from sqlalchemy import or_, select

from salon import keys
from salon.extensions import db
from salon.models import Fair, Meeting, MeetingOutcome, Participant, Slot
from salon.models.base import utcnow
from salon.models.dayof import OUTCOMES
from salon.services import DomainError, NotAllowed

SALT = "salon-outcome"
LINK_DAYS = 45
ROUNDS = {"after": timedelta(hours=12), "three_months": timedelta(days=91)}


def make_outcome_token(participant: Participant, now: datetime, days: int = LINK_DAYS) -> str:
    """Return a signed token for the participant's outcome form, valid `days` days."""
    expires = int((now + timedelta(days=days)).timestamp())
    return keys.serializer(SALT).dumps({"p": participant.id, "f": participant.fair_id, "e": expires})


def outcome_url(participant: Participant, now: datetime) -> str:
    """Return the full URL of the outcome form."""
    base = current_app.config.get("SALON_BASE_URL", "").rstrip("/")
    return f"{base}/p/outcomes/{make_outcome_token(participant, now)}"


def participant_from_outcome_token(token: str, now: datetime | None = None) -> Participant:
    """Return the participant a link names; refuse a forged or expired link."""
    try:
        data = keys.serializer(SALT).loads(token)
    except BadSignature:
        raise DomainError(_("This link is not valid."), "token") from None
    now = now or utcnow()
    if not isinstance(data, dict) or not isinstance(data.get("e"), int):
        raise DomainError(_("This link is not valid."), "token")
    if now.timestamp() > data["e"]:
        raise NotAllowed(_("This link has expired. Ask the organiser for a new one."), "token")
    participant = db.session.get(Participant, data.get("p"))
    if participant is None or participant.fair_id != data.get("f"):
        raise DomainError(_("This link is not valid."), "token")
    return participant


def held_meetings(participant: Participant) -> list[Meeting]:
    """Return the participant's held meetings, in time order."""
    return list(
        db.session.scalars(
            select(Meeting)
            .join(Slot, Slot.id == Meeting.slot_id)
            .where(
                Meeting.fair_id == participant.fair_id,
                Meeting.status == "held",
                or_(Meeting.participant_a_id == participant.id, Meeting.participant_b_id == participant.id),
            )
            .order_by(Slot.starts_at)
        )
    )


def outcomes_of(participant: Participant) -> dict[int, MeetingOutcome]:
    """Return the participant's recorded outcomes by meeting id."""
    rows = db.session.scalars(select(MeetingOutcome).where(MeetingOutcome.participant_id == participant.id))
    return {o.meeting_id: o for o in rows}


def parse_amount(text: str | None) -> Decimal | None:
    """Read an optional euro amount ("1 200,50" or "1200.50"); refuse a negative or unreadable one."""
    if text is None or not str(text).strip():
        return None
    cleaned = str(text).replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise DomainError(_("Enter an amount in euros, e.g. 1200 or 1200,50."), "amount") from None
    if value < 0 or value >= Decimal("1e10") or not value.is_finite():
        raise DomainError(_("Enter an amount in euros, e.g. 1200 or 1200,50."), "amount")
    return value.quantize(Decimal("0.01"))


def record_outcome(
    participant: Participant, meeting_id: int, outcome: str, amount: Decimal | None = None
) -> MeetingOutcome:
    """Record (or correct) the outcome of one of the participant's held meetings."""
    if outcome not in OUTCOMES:
        raise DomainError(_("Choose an outcome."), "outcome")
    meeting = db.session.get(Meeting, meeting_id)
    pair = (meeting.participant_a_id, meeting.participant_b_id) if meeting else ()
    if meeting is None or meeting.fair_id != participant.fair_id or participant.id not in pair:
        raise DomainError(_("This meeting is not one of yours."), "meeting")
    if meeting.status != "held":
        raise NotAllowed(_("Only a meeting that took place can have an outcome."), "meeting")
    row = outcomes_of(participant).get(meeting.id)
    if row is None:
        row = MeetingOutcome(meeting_id=meeting.id, participant_id=participant.id, outcome=outcome)
        db.session.add(row)
    row.outcome = outcome
    row.amount_eur = amount
    row.recorded_at = utcnow()
    db.session.flush()
    return row


def fair_end(fair: Fair) -> datetime | None:
    """Return when the fair's last slot ends."""
    return max((s.ends_at for s in fair.slots), default=None)


def send_outcome_requests(fair: Fair, now: datetime) -> int:
    """E-mail the outcome form link the day after the fair and three months later (once each)."""
    from salon.services.reminder_mails import outcome_request_mail
    from salon.services.reminders import send_mail_once

    end = fair_end(fair)
    if end is None or fair.phase not in ("published", "closed") or fair.purged_at is not None:
        return 0
    sent = 0
    for name, delay in ROUNDS.items():
        if now < end + delay:
            continue
        for participant in _participants_with_held(fair):
            url = outcome_url(participant, now)
            for a in participant.attendees:
                build = partial(outcome_request_mail, fair, a, url, LINK_DAYS)
                sent += send_mail_once(fair, f"outcome:{name}:a{a.id}", a, build, f"outcome_{name}")
    return sent


def _participants_with_held(fair: Fair) -> list[Participant]:
    ids = set()
    for a, b in db.session.execute(
        select(Meeting.participant_a_id, Meeting.participant_b_id).where(
            Meeting.fair_id == fair.id, Meeting.status == "held"
        )
    ):
        ids.update((a, b))
    if not ids:
        return []
    return list(
        db.session.scalars(select(Participant).where(Participant.id.in_(ids)).order_by(Participant.id))
    )
