"""Accounts: creation, argon2id password hashing, sign-in checks."""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from salon.extensions import db
from salon.models import Fair, Organisation, OrganisationMember, OrganiserMembership, Participant, User
from salon.models.accounts import new_session_nonce
from salon.models.base import utcnow
from salon.services import DomainError
from salon.services.passwords import MIN_PASSWORD_LENGTH, check_new_password

__all__ = ["MIN_PASSWORD_LENGTH"]


def _hasher() -> PasswordHasher:
    """Return an argon2id hasher with the configured parameters (rehash happens when they change)."""
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def normalise_email(email: str) -> str:
    """Return the e-mail address trimmed and lower-cased (the unique key of an account)."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher().hash(password)


def password_context(user: User) -> list[str]:
    """Return the words a password of this account must not be built from: name, address, fairs."""
    organisations = select(OrganisationMember.organisation_id).where(OrganisationMember.user_id == user.id)
    fair_names = db.session.scalars(
        select(Fair.name).where(
            Fair.id.in_(select(Participant.fair_id).where(Participant.organisation_id.in_(organisations)))
            | Fair.id.in_(select(OrganiserMembership.fair_id).where(OrganiserMembership.user_id == user.id))
        )
    )
    org_names = db.session.scalars(select(Organisation.name).where(Organisation.id.in_(organisations)))
    return [user.full_name, user.email, *fair_names, *org_names]


def set_password(user: User, password: str) -> None:
    """Replace the account's password (checked against its own words) and end all its sessions."""
    check_new_password(password, password_context(user))
    user.password_hash = hash_password(password)
    end_sessions(user)


def create_user(
    email: str, password: str, full_name: str = "", context: Iterable[str | None] = (), **fields
) -> User:
    """Create an account; refuse a weak password or an e-mail already used."""
    email = normalise_email(email)
    check_new_password(password, [email, full_name, *context])
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise DomainError(_("An account already uses this e-mail address."), "email")
    user = User(email=email, password_hash=hash_password(password), full_name=full_name, **fields)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the account if the password matches; rehash it when the parameters changed."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        _hasher().hash(password)  # spend the same time as a real check
        return None
    try:
        _hasher().verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user if user.is_active else None


def start_session(user: User) -> None:
    """Rotate the session nonce and stamp the login time (called at sign-in)."""
    user.session_nonce = new_session_nonce()
    user.last_login_at = utcnow()


def end_sessions(user: User) -> None:
    """Invalidate every session cookie of this account (called at sign-out)."""
    user.session_nonce = new_session_nonce()
