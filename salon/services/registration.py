"""Registration: an account, its organisation and its participation in a fair; e-mail confirmation."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import select

from salon import keys
from salon.extensions import db
from salon.models import Attendee, Fair, Organisation, OrganisationMember, Participant, ParticipantClaim, User
from salon.models.base import utcnow
from salon.services import DomainError, NotAllowed, accounts, participant_access, profiles

CONFIRM_SALT = "salon.confirm-email"
DEFAULT_CONFIRM_MAX_AGE = 3 * 24 * 3600  # three days
CONFIRM_PATH = "/register/confirm/"  # the route public.confirm_email serves it


def registration_open(fair: Fair) -> bool:
    """Say whether the fair accepts registrations now (phase and deadline)."""
    if fair.phase not in ("registration", "wishes"):
        return False
    return fair.registration_deadline is None or utcnow() <= fair.registration_deadline


def _check_open(fair: Fair) -> None:
    if not registration_open(fair):
        raise NotAllowed(_("Registration for this fair is closed."))


def confirmation_token(user: User) -> str:
    """Return a signed token that confirms this account's e-mail address."""
    return keys.timed_serializer(CONFIRM_SALT).dumps({"u": user.id, "e": user.email})


def confirmation_link(user: User) -> str:
    """Return the absolute confirmation link for this account."""
    base = current_app.config["SALON_BASE_URL"].rstrip("/")
    return f"{base}{CONFIRM_PATH}{confirmation_token(user)}"


def confirm_email(token: str) -> tuple[User, bool]:
    """Mark the account's e-mail as confirmed (and say if it was new); refuse a bad or expired link."""
    max_age = current_app.config.get("SALON_CONFIRM_MAX_AGE", DEFAULT_CONFIRM_MAX_AGE)
    try:
        data = keys.timed_serializer(CONFIRM_SALT).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise DomainError(_("This confirmation link has expired. Ask for a new one."), "token") from exc
    except BadSignature as exc:
        raise DomainError(_("This confirmation link is not valid."), "token") from exc
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("e"):
        raise DomainError(_("This confirmation link is not valid."), "token")
    if user.email_confirmed_at is not None:
        return user, False
    user.email_confirmed_at = utcnow()
    participant_access.address_confirmed(user)
    return user, True


def send_confirmation(user: User, fair: Fair | None = None) -> None:
    """Queue the confirmation e-mail in the outbox (sent after the transaction commits)."""
    from salon.services.mail import queue_email

    where = _(" for “%(fair)s”", fair=fair.name) if fair is not None else ""
    body = _(
        "Hello,\n\nTo confirm your e-mail address and finish your registration%(where)s, open this link:\n"
        "%(link)s\n\nThe link is valid for three days. If you did not register, ignore this message.\n",
        where=where,
        link=confirmation_link(user),
    )
    queue_email(
        to=user.email, subject=_("Confirm your e-mail address"), body_text=body, kind="confirm", fair=fair
    )


def _check_side(side: str) -> None:
    if side not in ("buyer", "supplier"):
        raise DomainError(_("Say whether you come as a buyer or as a supplier."), "side")


def join_fair(
    user: User,
    fair: Fair,
    side: str,
    organisation_name: str = "",
    siret: str | None = None,
    organisation: Organisation | None = None,
) -> Participant | ParticipantClaim:
    """Register an organisation (new, or one the user acts for) at the fair; pending approval.

    When the organisers entered it already (same address, or same SIRET), the entry is claimed instead:
    the claim is returned (see salon.services.participant_access).
    """
    _check_open(fair)
    _check_side(side)
    if organisation is not None:
        _check_member(user, organisation)
    siret_digits = organisation.siret if organisation is not None else profiles.check_siret(siret)
    claims = participant_access.claim_entries(user, fair, siret_digits)
    if claims:
        return claims[0]
    if organisation is None:
        organisation = _new_organisation(user, side, organisation_name, siret_digits)
    existing = db.session.scalar(
        select(Participant).where(Participant.fair_id == fair.id, Participant.organisation == organisation)
    )
    if existing is not None:
        raise DomainError(_("This organisation is already registered for this fair."), "organisation_name")
    participant = Participant(fair=fair, organisation=organisation, side=side, status="pending")
    db.session.add(participant)
    db.session.add(
        Attendee(
            participant=participant,
            user_id=user.id,
            full_name=user.full_name or user.email,
            email=user.email,
            phone=user.phone,
        )
    )
    db.session.flush()
    return participant


def _new_organisation(user: User, side: str, name: str, siret: str | None) -> Organisation:
    """Create the organisation a person registers, with that person as its admin."""
    if not name.strip():
        raise DomainError(_("Enter the name of the organisation."), "organisation_name")
    organisation = Organisation(name=name.strip(), kind=side, siret=siret)
    db.session.add(organisation)
    db.session.add(OrganisationMember(organisation=organisation, user=user, role="admin"))
    profiles.refresh_search_text(organisation)
    return organisation


def _check_member(user: User, organisation: Organisation) -> None:
    member = db.session.scalar(
        select(OrganisationMember.id).where(
            OrganisationMember.organisation_id == organisation.id, OrganisationMember.user_id == user.id
        )
    )
    if member is None:
        raise DomainError(_("Choose values from the list."), "organisation")


def register(
    fair: Fair,
    *,
    email: str,
    password: str,
    full_name: str,
    side: str,
    organisation_name: str,
    siret: str | None = None,
    phone: str = "",
    consent: bool = False,
    locale: str | None = None,
) -> Participant | ParticipantClaim:
    """Create an unconfirmed account, its organisation and its participation; queue the confirmation.

    `locale`: the language the person registered in, kept for the e-mails they receive later.

    An entry the organisers made already is claimed rather than copied (see join_fair).
    """
    _check_open(fair)
    if not consent:
        raise DomainError(_("Accept the use of your data to take part in the fair."), "consent")
    if not full_name.strip():
        raise DomainError(_("Enter your name."), "full_name")
    _check_side(side)
    profiles.check_siret(siret)
    user = accounts.create_user(
        email,
        password,
        full_name=full_name.strip(),
        context=(organisation_name, fair.name),
        phone=phone.strip(),
        consent_at=utcnow(),
        locale=locale,
    )
    participant = join_fair(user, fair, side, organisation_name, siret)
    send_confirmation(user, fair)
    return participant
