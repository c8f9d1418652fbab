"""Fair set-up: presets, sessions and slots, tables, phases, and who organises a fair."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from salon.extensions import db
from salon.models import (
    DraftMeeting,
    Fair,
    FairSession,
    Meeting,
    MeetingTable,
    OrganiserMembership,
    Participant,
    Slot,
    User,
)
from salon.services import DomainError, NotAllowed, require_single_line
from salon.services.deadlines import check_deadlines
from salon.text import fold

# Allowed moves between phases; "published" is reached by publishing a schedule.
TRANSITIONS = {
    "draft": ("registration",),
    "registration": ("draft", "wishes"),
    "wishes": ("registration", "scheduling"),
    "scheduling": ("wishes",),
    "published": ("scheduling", "closed"),
    "closed": ("published",),
}
PRESETS: dict[str, dict[str, Any]] = {
    # Coventis: ~120 ESS suppliers at tables, buyers walking round; short meetings, one day.
    "coventis": {
        "meeting_minutes": 20,
        "pause_minutes": 5,
        "max_wishes_buyer": 15,
        "max_wishes_supplier": 10,
        "tables": 60,
        "sessions": (("am", time(9, 0), time(12, 30)), ("pm", time(14, 0), time(17, 30))),
    },
    # SO EKO: ~1,000 buyers and ~100 suppliers; suppliers hold a stand, many short meetings.
    "so-eko": {
        "meeting_minutes": 15,
        "pause_minutes": 5,
        "max_wishes_buyer": 8,
        "max_wishes_supplier": 30,
        "tables": 100,
        "sessions": (("am", time(9, 30), time(12, 30)), ("pm", time(14, 0), time(17, 0))),
    },
}
SUPPLIER_MEETINGS = ("off", "home", "home-or-shared")
EDITABLE = (
    "name",
    "description",
    "venue",
    "address",
    "timezone",
    "contact_email",
    "registration_deadline",
    "wishes_deadline",
    "meeting_minutes",
    "pause_minutes",
    "max_wishes_buyer",
    "max_wishes_supplier",
    "weight_high",
    "weight_mid",
    "weight_low",
    "supplier_meetings",
)


@dataclass(frozen=True)
class SessionSpec:
    """A half-day to generate on each day: label suffix, start and end (local wall-clock times)."""

    label: str
    starts: time
    ends: time


def slugify(text: str) -> str:
    """Return a URL slug made of lower-case ASCII words."""
    return fold(text).replace(" ", "-")[:60].strip("-") or "salon"


def _unique_slug(name: str) -> str:
    base, n = slugify(name), 1
    slug = base
    while db.session.scalar(select(Fair.id).where(Fair.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_fair(user: User, name: str, preset: str | None = None, days: list[date] | None = None) -> Fair:
    """Create a fair owned by `user`, filled from a preset when given."""
    if not user.can_create_fairs:
        raise NotAllowed(_("Your account may not create fairs: ask the Salon administrator."), "user")
    if not name.strip():
        raise DomainError(_("Enter the name of the fair."), "name")
    if preset is not None and preset not in PRESETS:
        raise DomainError(_("Unknown preset."), "preset")
    fair = Fair(name=name.strip(), slug=_unique_slug(name))
    db.session.add(fair)
    db.session.add(OrganiserMembership(fair=fair, user=user, role="owner"))
    if preset:
        settings = PRESETS[preset]
        for key in ("meeting_minutes", "pause_minutes", "max_wishes_buyer", "max_wishes_supplier"):
            setattr(fair, key, settings[key])
        db.session.flush()
        if days:
            specs = [SessionSpec(label, start, end) for label, start, end in settings["sessions"]]
            generate_slots(fair, days, specs)
        set_tables(fair, count=settings["tables"])
    db.session.flush()
    return fair


def update_fair(fair: Fair, **fields: Any) -> Fair:
    """Change the fair's settings (name, place, deadlines, meeting length, caps, weights)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError(_("Unknown field."), sorted(unknown)[0])
    if "timezone" in fields and fields["timezone"] not in available_timezones():
        raise DomainError(_("Unknown time zone."), "timezone")
    check_deadlines(fair, fields)
    for key in ("meeting_minutes", "weight_high", "weight_mid", "weight_low"):
        if key in fields and (fields[key] is None or fields[key] < 1):
            raise DomainError(_("Enter a whole number of at least 1."), key)
    if fields.get("supplier_meetings", "off") not in SUPPLIER_MEETINGS:
        raise DomainError(_("Choose values from the list."), "supplier_meetings")
    if fields.get("pause_minutes") is not None and fields["pause_minutes"] < 0:
        raise DomainError(_("Enter a whole number of at least 0."), "pause_minutes")
    for key, value in fields.items():
        setattr(fair, key, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    return fair


def schedule_frozen(fair: Fair) -> bool:
    """Return True when meetings already use the fair's slots and tables."""
    meeting = db.session.scalar(select(Meeting.id).where(Meeting.fair_id == fair.id).limit(1))
    return meeting is not None or fair.phase in ("published", "closed")


def generate_slots(fair: Fair, days: list[date], sessions: list[SessionSpec]) -> int:
    """Replace the fair's sessions and slots: meetings of `meeting_minutes` separated by `pause_minutes`."""
    if schedule_frozen(fair):
        raise NotAllowed(_("Slots cannot be regenerated once meetings are published."), "slots")
    if not days or not sessions:
        raise DomainError(_("Give at least one day and one session."), "days")
    if any(s.starts >= s.ends for s in sessions):
        raise DomainError(_("Each session must end after it starts."), "sessions")
    fair.slots.clear()
    db.session.flush()
    for old in list(fair.sessions):
        fair.sessions.remove(old)
    db.session.flush()
    zone, count = ZoneInfo(fair.timezone), 0
    length = timedelta(minutes=fair.meeting_minutes)
    for n, day in enumerate(sorted(set(days)), start=1):
        for spec in sessions:
            start = datetime.combine(day, spec.starts, tzinfo=zone)
            end = datetime.combine(day, spec.ends, tzinfo=zone)
            part = _("morning") if spec.starts < time(12) else _("afternoon")
            session = FairSession(
                fair=fair,
                label=f"j{n}-{spec.label}",
                day=day,
                starts_at=start,
                ends_at=end,
                name=f"{format_date(day, 'EEEE d MMMM')} — {part}",
            )
            db.session.add(session)
            for at in slot_starts(fair, start, end):
                db.session.add(Slot(fair=fair, session=session, starts_at=at, ends_at=at + length))
                count += 1
    db.session.flush()
    return count


def slot_starts(fair: Fair, start: datetime, end: datetime) -> list[datetime]:
    """Return the starts of the meetings that fit between start and end, pauses included."""
    step = timedelta(minutes=fair.meeting_minutes + fair.pause_minutes)
    length = timedelta(minutes=fair.meeting_minutes)
    starts, at = [], start
    while at + length <= end:
        starts.append(at)
        at += step
    return starts


def delete_slot(fair: Fair, slot: Slot) -> None:
    """Remove one slot (e.g. a plenary talk) while no meeting uses it."""
    if slot.fair_id != fair.id:
        raise DomainError(_("Unknown slot."), "slot")
    used = db.session.scalar(select(Meeting.id).where(Meeting.slot_id == slot.id).limit(1))
    drafted = db.session.scalar(select(DraftMeeting.id).where(DraftMeeting.slot_id == slot.id).limit(1))
    if used is not None or drafted is not None:
        raise NotAllowed(_("This slot holds meetings: move them first."), "slot")
    fair.slots.remove(slot)
    db.session.delete(slot)
    db.session.flush()


def set_tables(fair: Fair, count: int | None = None, names: list[str] | None = None) -> list[MeetingTable]:
    """Set the tables by count (1..n) or by a list of names; tables that hold meetings must stay."""
    wanted = [n.strip() for n in names or [] if n.strip()] if names is not None else []
    if names is None:
        if count is None or count < 1 or count > 1000:
            raise DomainError(_("Enter a number of tables between 1 and 1000."), "count")
        wanted = [str(i) for i in range(1, count + 1)]
    if not wanted or len(set(wanted)) != len(wanted) or any(len(n) > 40 for n in wanted):
        raise DomainError(_("Give distinct table names of at most 40 characters."), "names")
    for name in wanted:
        require_single_line("names", name)
    existing = {t.name: t for t in fair.tables}
    for name, table in existing.items():
        if name not in wanted:
            if _table_used(table):
                raise NotAllowed(
                    _("Table %(name)s holds meetings and cannot be removed.", name=name), "names"
                )
            fair.tables.remove(table)
            db.session.delete(table)
    for position, name in enumerate(wanted):
        table = existing.get(name)
        if table is None:
            table = MeetingTable(fair=fair, name=name)
            db.session.add(table)
        table.position = position
    db.session.flush()
    fair.tables.sort(key=lambda t: t.position)
    return list(fair.tables)


def _table_used(table: MeetingTable) -> bool:
    for model in (Meeting, DraftMeeting):
        if db.session.scalar(select(model.id).where(model.table_id == table.id).limit(1)) is not None:
            return True
    return (
        db.session.scalar(select(Participant.id).where(Participant.home_table_id == table.id).limit(1))
        is not None
    )


def set_phase(fair: Fair, phase: str) -> None:
    """Move the fair to another phase along the allowed transitions."""
    if phase not in TRANSITIONS.get(fair.phase, ()):
        raise NotAllowed(_("The fair cannot go from this phase to that one."), "phase")
    if phase == "registration" and (not fair.slots or not fair.tables):
        raise NotAllowed(_("Set up the slots and tables before opening registration."), "phase")
    fair.phase = phase
    db.session.flush()


def memberships(fair: Fair) -> list[OrganiserMembership]:
    """Return the fair's organisers, owners first."""
    return sorted(fair.organisers, key=lambda m: (m.role != "owner", m.user.email))


def require_owner(fair: Fair, user: User) -> None:
    """Refuse unless `user` owns the fair."""
    role = next((m.role for m in fair.organisers if m.user_id == user.id), None)
    if role != "owner":
        raise NotAllowed(_("Only an owner of the fair can manage its organisers."), "user")


def invite_organiser(fair: Fair, by: User, email: str, role: str = "organiser") -> OrganiserMembership:
    """Give an existing account access to the fair as a co-organiser (or owner); see invitations.invite."""
    require_owner(fair, by)
    if role not in ("owner", "organiser"):
        raise DomainError(_("Unknown role."), "role")
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise DomainError(_("No account uses this e-mail address: ask them to create one first."), "email")
    if any(m.user_id == user.id for m in fair.organisers):
        raise DomainError(_("This person already organises the fair."), "email")
    membership = OrganiserMembership(fair=fair, user=user, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


def remove_organiser(fair: Fair, by: User, membership: OrganiserMembership) -> None:
    """Remove a co-organiser; the last owner stays."""
    require_owner(fair, by)
    if membership.fair_id != fair.id:
        raise DomainError(_("Unknown organiser."), "membership")
    owners = [m for m in fair.organisers if m.role == "owner"]
    if membership.role == "owner" and len(owners) == 1:
        raise NotAllowed(_("A fair keeps at least one owner."), "membership")
    fair.organisers.remove(membership)
    db.session.delete(membership)
    db.session.flush()


def fair_counts(fair: Fair) -> dict[str, int]:
    """Return headline numbers for the dashboard."""
    rows = db.session.execute(
        select(Participant.side, Participant.status, func.count())
        .where(Participant.fair_id == fair.id)
        .group_by(Participant.side, Participant.status)
    ).all()
    counts = {f"{side}_{status}": n for side, status, n in rows}
    counts["slots"], counts["tables"] = len(fair.slots), len(fair.tables)
    return counts
