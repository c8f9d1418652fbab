"""Turn notification intents into outbox e-mails (text, HTML, .ics), the oldest first, a batch at a time.

A batch is one transaction: it takes the fair's write lock, so two renderers (or a renderer and a change
of the agenda) never interleave and the e-mails keep the order of the changes they report; it loads what
its intents show in a fixed number of queries; it writes the outbox messages and deletes the intents. A
renderer that dies mid-batch commits nothing: the same intents are rendered again, never twice.
Each e-mail states its meetings as the intent recorded them (place, status, SEQUENCE), even if they
changed again since: a later change has intents of its own, rendered after this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from salon.extensions import db
from salon.models import (
    Fair,
    Meeting,
    MeetingTable,
    NotificationIntent,
    OutboxMessage,
    Participant,
    Slot,
    User,
)
from salon.models.base import utcnow
from salon.services.agenda_links import agenda_link
from salon.services.calendar import meeting_message, participant_calendar
from salon.services.calendar_text import event_location, people_options
from salon.services.mail import compose_email
from salon.services.publishing import ACTIVE, lock_fair

BATCH = 100  # e-mails per transaction: the fair's lock is held while they render (half a second or so)
LATE = timedelta(minutes=5)  # e-mails waiting longer than this: the job or the mail timer is not running


@dataclass
class Preparing:
    """A fair's e-mails still being prepared: how many, since when, and whether that is too long."""

    count: int
    since: datetime | None

    @property
    def late(self) -> bool:
        return self.since is not None and utcnow() - self.since > LATE


def pending_notices(fair_id: int | None = None) -> int:
    """Count the e-mails still to be rendered (of one fair, or of every fair)."""
    query = select(func.count()).select_from(NotificationIntent)
    if fair_id is not None:
        query = query.where(NotificationIntent.fair_id == fair_id)
    return db.session.scalar(query) or 0


def preparing(fair_id: int) -> Preparing:
    """Return how many of the fair's e-mails are still being prepared, and since when."""
    query = select(func.count(), func.min(NotificationIntent.created_at)).where(
        NotificationIntent.fair_id == fair_id
    )
    count, since = db.session.execute(query).one()
    return Preparing(count or 0, since)


def fairs_with_notices() -> list[int]:
    """Return the fairs that have e-mails to render, oldest intent first."""
    query = select(NotificationIntent.fair_id).group_by(NotificationIntent.fair_id)
    return list(db.session.scalars(query.order_by(func.min(NotificationIntent.id))))


def render_batch(fair_id: int, limit: int = BATCH) -> int:
    """Render the fair's oldest intents into the outbox and delete them (caller commits); return how many."""
    lock_fair(fair_id)
    query = select(NotificationIntent).where(NotificationIntent.fair_id == fair_id)
    intents = list(db.session.scalars(query.order_by(NotificationIntent.id).limit(limit)))
    if not intents:
        return 0
    shown = Shown.load(fair_id, intents)
    messages = [message for intent in intents if (message := _render_for(intent, shown)) is not None]
    db.session.add_all(messages)
    db.session.execute(
        delete(NotificationIntent)
        .where(NotificationIntent.id.in_([i.id for i in intents]))
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return len(intents)


class StatedMeeting:
    """A meeting as a notice states it: its row, with the place, status and SEQUENCE the intent recorded."""

    def __init__(self, row: Meeting, state: list, slots: dict, tables: dict) -> None:
        _id, self.sequence, self.slot_id, self.table_id, self.status, changed = state
        self.updated_at = datetime.fromisoformat(changed)
        self.slot, self.table = slots[self.slot_id], tables[self.table_id]
        self._row = row

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)  # uid, created_at, the participants...: what a notice cannot change


@dataclass
class Shown:
    """Everything a batch of intents shows, loaded at once."""

    fair: Fair
    slots: dict[int, Slot]
    tables: dict[int, MeetingTable]
    meetings: dict[int, Meeting]
    participants: dict[int, Participant]
    base_url: str
    locales: dict[str, str]  # the language each recipient with an account chose on the site

    @classmethod
    def load(cls, fair_id: int, intents: list[NotificationIntent]) -> Shown:
        """Load the fair, its slots and tables, the intents' meetings and everyone they involve."""
        ids = {state[0] for intent in intents for state in intent.state.get("meetings", [])}
        meetings = db.session.scalars(select(Meeting).where(Meeting.id.in_(ids))).all() if ids else []
        people = {i.participant_id for i in intents}
        people |= {pid for m in meetings for pid in (m.participant_a_id, m.participant_b_id)}
        participants = db.session.scalars(
            select(Participant).where(Participant.id.in_(people)).options(*people_options())
        ).all()
        return cls(
            fair=db.session.get(Fair, fair_id),
            slots=_of_fair(Slot, fair_id),
            tables=_of_fair(MeetingTable, fair_id),
            meetings={m.id: m for m in meetings},
            participants={p.id: p for p in participants},
            base_url=current_app.config["SALON_BASE_URL"].rstrip("/"),
            locales=_chosen_locales({i.to_address.lower() for i in intents}),
        )

    def language(self, address: str) -> str:
        """Return the language of the e-mail to this address: the one its reader chose, else the fair's."""
        return self.locales.get(address.lower()) or self.fair.language or "fr"

    def stated(self, states: list[list]) -> list[StatedMeeting]:
        """Return the meetings as the intent states them (a meeting deleted since is left out)."""
        return [
            StatedMeeting(self.meetings[s[0]], s, self.slots, self.tables)
            for s in states
            if s[0] in self.meetings and s[2] in self.slots and s[3] in self.tables
        ]


def _of_fair(model: type[Slot] | type[MeetingTable], fair_id: int) -> dict:
    """Return the fair's slots or tables by id (a notice may state one its meeting has left since)."""
    return {row.id: row for row in db.session.scalars(select(model).where(model.fair_id == fair_id))}


def _chosen_locales(addresses: set[str]) -> dict[str, str]:
    """Return the language chosen on the site by the accounts of these addresses (those that chose one)."""
    query = select(User.email, User.locale).where(User.email.in_(addresses), User.locale.is_not(None))
    return {email: locale for email, locale in db.session.execute(query)}


def _render_for(intent: NotificationIntent, shown: Shown) -> OutboxMessage | None:
    """Render one intent in its reader's language."""
    with force_locale(shown.language(intent.to_address)):
        return _render(intent, shown)


def _render(intent: NotificationIntent, shown: Shown) -> OutboxMessage | None:
    """Return the outbox message of one intent (None when what it is about no longer exists)."""
    language = shown.language(intent.to_address)
    viewer = shown.participants.get(intent.participant_id)
    meetings = shown.stated(intent.state.get("meetings", []))
    if viewer is None or (intent.kind != "agenda_published" and not meetings):
        return None
    if intent.kind == "agenda_published":
        meetings.sort(key=lambda m: (m.slot.starts_at, m.id))
        data = participant_calendar(viewer, "PUBLISH", meetings=meetings, locale=language)  # type: ignore[arg-type]
        subject = _("%(fair)s: your agenda is published", fair=shown.fair.name)
        extra = {
            "meetings": [m for m in meetings if m.is_active],
            "agenda_url": agenda_link(viewer.id, intent.to_address),
        }
        return _message(intent, shown, viewer, subject, _attachment(data, "PUBLISH", "agenda.ics"), extra)
    [meeting] = meetings
    method = "CANCEL" if intent.kind == "meeting_cancelled" else "REQUEST"
    other = meeting.participant_b if viewer.id == meeting.participant_a_id else meeting.participant_a
    data = meeting_message(meeting, method, viewer=viewer, locale=language)  # type: ignore[arg-type]
    attachment = _attachment(data, method, "cancel.ics" if method == "CANCEL" else "invite.ics")
    extra = {
        "meeting": meeting,
        "other": other,
        "cancelled_by": intent.state.get("cancelled_by"),  # a participant's id, "organisers", or not said
        "location": event_location(meeting, shown.fair),  # type: ignore[arg-type]
        "previous": _previous(intent.state.get("previous"), shown),
    }
    return _message(
        intent, shown, viewer, _subject(intent.kind, shown.fair, other, meeting), attachment, extra
    )


def _previous(place: list | None, shown: Shown) -> tuple[Slot, MeetingTable] | None:
    """Return where a moved meeting was (slot, table), if both still exist."""
    if not place or place[0] not in shown.slots or place[1] not in shown.tables:
        return None
    return shown.slots[place[0]], shown.tables[place[1]]


def _subject(kind: str, fair: Fair, other: Participant, meeting: StatedMeeting) -> str:
    """Return the subject line of a meeting notice."""
    name = other.organisation.name
    if kind == "meeting_cancelled":
        return _("%(fair)s: meeting with %(name)s cancelled", fair=fair.name, name=name)
    if meeting.sequence == 0:
        return _("%(fair)s: new meeting with %(name)s", fair=fair.name, name=name)
    return _("%(fair)s: meeting with %(name)s moved", fair=fair.name, name=name)


def _attachment(data: bytes, method: str, filename: str) -> dict:
    """Return an outbox attachment for an .ics with its iTIP method."""
    return {
        "filename": filename,
        "content_type": f"text/calendar; method={method}",
        "text": data.decode("utf-8"),
    }


def _message(
    intent: NotificationIntent, shown: Shown, viewer: Participant, subject: str, attachment: dict, extra: dict
) -> OutboxMessage:
    """Render the intent's text and HTML bodies and return its (unsaved) outbox message."""
    context = dict(extra, fair=shown.fair, participant=viewer, name=intent.to_name, base_url=shown.base_url,
                   mail_lang=shown.language(intent.to_address))  # fmt: skip
    return compose_email(
        to=intent.to_address,
        subject=subject,
        body_text=render_template(f"mail/{intent.kind}.txt", **context),
        body_html=render_template(f"mail/{intent.kind}.html", **context),
        attachments=[attachment],
        kind=intent.kind,
        fair=shown.fair,
    )
