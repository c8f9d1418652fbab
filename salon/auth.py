"""Who is signed in, and what they may reach (organiser of a fair, participant of a fair)."""

from __future__ import annotations

from flask import abort, g, session, url_for
from flask_login import current_user, login_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from salon.extensions import db
from salon.models import Fair, OrganisationMember, OrganiserMembership, Participant, User
from salon.services import accounts


def sign_in(user: User) -> None:
    """Sign a user in with a fresh session (no fixation), keeping the chosen language; commits."""
    accounts.start_session(user)
    db.session.commit()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)


def load_user(user_id: str) -> User | None:
    """Load the account named in the session cookie if its nonce is still current."""
    uid, _, nonce = user_id.partition(":")
    if not uid.isdigit():
        return None
    user = db.session.get(User, int(uid))
    if user is None or not user.is_active or user.session_nonce != nonce:
        return None
    return user


def organiser_fair_or_404(fair_id: int) -> Fair:
    """Return the fair if the signed-in user organises it; 404 otherwise (no hint it exists)."""
    if not current_user.is_authenticated:
        abort(404)
    membership = db.session.scalar(
        select(OrganiserMembership).where(
            OrganiserMembership.fair_id == fair_id, OrganiserMembership.user_id == current_user.id
        )
    )
    if membership is None:
        abort(404)
    return membership.fair


def participants_of_user(user: User, fair_id: int | None = None) -> list[Participant]:
    """Return the participants (organisation at a fair) the user acts for, with fair and organisation."""
    query = (
        select(Participant)
        .join(OrganisationMember, OrganisationMember.organisation_id == Participant.organisation_id)
        .options(joinedload(Participant.fair), joinedload(Participant.organisation))
        .where(OrganisationMember.user_id == user.id)
        .order_by(Participant.id)
    )
    if fair_id is not None:
        query = query.where(Participant.fair_id == fair_id)
    return list(db.session.scalars(query))


def participant_or_404(participant_id: int) -> Participant:
    """Return the participant if the signed-in user acts for it; 404 otherwise."""
    if not current_user.is_authenticated:
        abort(404)
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        abort(404)
    member = db.session.scalar(
        select(OrganisationMember).where(
            OrganisationMember.organisation_id == participant.organisation_id,
            OrganisationMember.user_id == current_user.id,
        )
    )
    if member is None:
        abort(404)
    return participant


def is_organiser(user: User) -> bool:
    """Tell whether the user organises a fair or may create one (shows the organiser menu)."""
    if not user.is_authenticated:
        return False
    if user.can_create_fairs:
        return True
    cache = g.setdefault("_salon_is_organiser", {})  # asked by the layout, maybe again by a page
    if user.id not in cache:
        query = select(OrganiserMembership.id).where(OrganiserMembership.user_id == user.id).limit(1)
        cache[user.id] = db.session.scalar(query) is not None
    return cache[user.id]


def home_for(user: User) -> str:
    """Return the page a person lands on after signing in: their fairs as organiser, or their fair."""
    organises = user.can_create_fairs or (
        db.session.scalar(
            select(OrganiserMembership.id).where(OrganiserMembership.user_id == user.id).limit(1)
        )
        is not None
    )
    if organises:
        return url_for("organiser.home")  # lists their fairs, and their participations when they have some
    participations = [p for p in participants_of_user(user) if p.status != "refused"]
    if len(participations) != 1:
        return url_for("participant.home")
    only = participations[0]
    if only.status == "approved" and only.fair.phase in ("published", "closed"):
        return url_for("participant.agenda", participant_id=only.id)
    return url_for("participant.profile", participant_id=only.id)
