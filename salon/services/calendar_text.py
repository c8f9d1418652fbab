"""Words of a meeting in calendars and e-mails: summary, location, description, recipients.

Call inside `force_locale(fair.language)`: every string is translated in the fair's language.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import inspect, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.routing import BuildError

from salon.extensions import db
from salon.labels import buyer_first, table_label
from salon.models import Fair, Meeting, Organisation, OrganisationMember, Participant, User

# Where a participant's profile is shown: to a participant, the counterpart page of their catalogue
# (/p/<viewer>/catalogue/<other>); in the organisers' feeds (no viewer), the organiser's participant page.
PROFILE_ENDPOINTS = ("participant.counterpart",)
ORGANISER_PROFILE_ENDPOINTS = ("organiser.participant_edit",)


def people_options(*sides) -> list:  # noqa: ANN002
    """Return loader options for the participants an e-mail or calendar shows (through `sides`, if given).

    Their organisation, its member accounts (the last resort of participant_addresses) and attendees come
    in a fixed number of queries, not a few per participant.
    """
    members = selectinload(Organisation.members).joinedload(OrganisationMember.user)
    own = [joinedload(Participant.organisation).options(members), selectinload(Participant.attendees)]
    return [joinedload(side).options(*own) for side in sides] if sides else own


def participant_addresses(participant: Participant) -> list[tuple[str, str]]:
    """Return (name, e-mail) of the people to tell: attendees, else the contact, else the members."""
    found = [(a.full_name, a.email.strip()) for a in participant.attendees if a.email.strip()]
    if not found and participant.organisation.contact_email.strip():
        found = [(participant.organisation.name, participant.organisation.contact_email.strip())]
    if not found:
        found = [(u.full_name, u.email) for u in _member_users(participant) if u.is_active]
    unique: dict[str, str] = {}
    for name, address in found:
        unique.setdefault(address.lower(), name)
    return [(name, address) for address, name in unique.items()]


def _member_users(participant: Participant) -> list[User]:
    """Return the accounts of the participant's organisation, by id (as loaded in bulk, if they were)."""
    organisation = participant.organisation
    if "members" not in inspect(organisation).unloaded:  # a bulk loader fetched them: no query per row
        return sorted((m.user for m in organisation.members), key=lambda u: u.id)
    query = (
        select(User)
        .join(OrganisationMember, OrganisationMember.user_id == User.id)
        .where(OrganisationMember.organisation_id == participant.organisation_id)
        .order_by(User.id)
    )
    return list(db.session.scalars(query))


def side_label(participant: Participant) -> str:
    """Return the participant's side in words."""
    return _("buyer") if participant.side == "buyer" else _("supplier")


def event_summary(meeting: Meeting, viewer: Participant | None) -> str:
    """Return the title: the counterpart for a participant, the pair for the organisers."""
    if viewer is not None:
        other = meeting.participant_b if viewer.id == meeting.participant_a_id else meeting.participant_a
        title = _("Meeting with %(name)s", name=other.organisation.name)
    else:
        first, second = buyer_first(meeting)
        title = _("Meeting: %(a)s / %(b)s", a=first.organisation.name, b=second.organisation.name)
    if meeting.status == "cancelled":
        title = _("Cancelled: %(title)s", title=title)
    return title


def event_location(meeting: Meeting, fair: Fair) -> str:
    """Return venue and table."""
    table = table_label(meeting.table.name)
    return f"{fair.venue}, {table}" if fair.venue.strip() else table


def contact_lines(participant: Participant) -> list[str]:
    """Return how to reach a participant: its attendees, else the organisation's contact."""
    lines = []
    for attendee in participant.attendees:
        bits = [attendee.full_name, attendee.job_title, attendee.email, attendee.phone]
        lines.append(" — ".join(b.strip() for b in bits if b and b.strip()))
    org = participant.organisation
    if not lines:
        bits = [org.contact_email, org.contact_phone]
        lines = [" — ".join(b.strip() for b in bits if b and b.strip())]
    return [line for line in lines if line]


def profile_url(viewer: Participant | None, other: Participant) -> str:
    """Return the absolute link to a participant's profile page (best route available)."""
    base = current_app.config["SALON_BASE_URL"].rstrip("/")
    # Bound without a request: feeds and e-mails are also built by the worker and the CLI.
    adapter = current_app.url_map.bind("localhost")
    if viewer is not None:
        endpoints = PROFILE_ENDPOINTS
        values = {"participant_id": viewer.id, "target_id": other.id}
    else:
        endpoints = ORGANISER_PROFILE_ENDPOINTS
        values = {"fair_id": other.fair_id, "participant_id": other.id}
    for endpoint in endpoints:
        try:
            return base + adapter.build(endpoint, values)
        except BuildError:
            continue
    return base + "/p/"


def _participant_block(participant: Participant, viewer: Participant | None) -> list[str]:
    """Return the lines describing one participant."""
    lines = [f"{participant.organisation.name} ({side_label(participant)})"]
    contacts = contact_lines(participant)
    if contacts:
        lines.append(_("Contact:"))
        lines.extend(f"- {c}" for c in contacts)
    lines.append(_("Profile: %(url)s", url=profile_url(viewer, participant)))
    return lines


def event_description(meeting: Meeting, viewer: Participant | None) -> str:
    """Return the body: counterpart (or both participants), contacts, profile links."""
    fair = db.session.get(Fair, meeting.fair_id)
    lines = [fair.name, ""]
    if meeting.status == "cancelled":
        lines += [_("This meeting is cancelled."), ""]
    if viewer is not None:
        other = meeting.participant_b if viewer.id == meeting.participant_a_id else meeting.participant_a
        lines.append(_("You meet:"))
        lines += _participant_block(other, viewer)
    else:
        for participant in (meeting.participant_a, meeting.participant_b):
            lines += _participant_block(participant, None) + [""]
    return "\n".join(lines).strip()
