"""Forgotten passwords: a signed link valid one hour, used once, that sets a new password.

The link names the account and a fingerprint of its current password hash: once a new password is set
the fingerprint changes, so the link (and every other reset link sent before) stops working. No table
is needed, and the answer to a request never tells whether the address has an account.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from salon.extensions import db
from salon.keys import timed_serializer
from salon.models import User
from salon.models.base import utcnow
from salon.services import DomainError, accounts, participant_access
from salon.services.mail import queue_email

RESET_SALT = "salon.password-reset"
VALID_FOR = timedelta(hours=1)
RESET_PATH = "/password/reset/"  # the route auth.password_reset serves it


def _serializer() -> URLSafeTimedSerializer:
    return timed_serializer(RESET_SALT)  # signed with SECRET_KEY, checked against the fallbacks too


def _fingerprint(user: User) -> str:
    """Return a digest of the current password hash: it changes when the link is used."""
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    """Return the signed token of a reset link for this account."""
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def reset_link(user: User) -> str:
    """Return the absolute reset link for this account."""
    base = current_app.config["SALON_BASE_URL"].rstrip("/")
    return f"{base}{RESET_PATH}{reset_token(user)}"


def request_reset(email: str) -> None:
    """Queue a reset link if an active account uses the address; do the same work visible either way."""
    user = db.session.scalar(select(User).where(User.email == accounts.normalise_email(email)))
    if user is None or not user.is_active:
        return
    context = {"user": user, "link": reset_link(user)}
    queue_email(
        to=user.email,
        subject=_("Choose a new password"),
        body_text=render_template("mail/password_reset.txt", **context),
        body_html=render_template("mail/password_reset.html", **context),
        kind="password_reset",
    )


def user_from_token(token: str) -> User:
    """Return the account a reset link names; refuse an expired, used or tampered link with the reason."""
    try:
        data = _serializer().loads(token, max_age=int(VALID_FOR.total_seconds()))
    except SignatureExpired as exc:
        raise DomainError(
            _("This link has expired (it is valid for one hour): ask for a new one."), "token"
        ) from exc
    except BadSignature as exc:
        raise DomainError(_("This link is not valid: ask for a new one."), "token") from exc
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.is_active:
        raise DomainError(_("This link is not valid: ask for a new one."), "token")
    if data.get("f") != _fingerprint(user):
        raise DomainError(
            _("This link has been used already (or the password was changed since): ask for a new one."),
            "token",
        )
    return user


def reset_password(token: str, password: str) -> User:
    """Set a new password through a reset link; end every session; the link proves the address."""
    user = user_from_token(token)
    accounts.set_password(user, password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        participant_access.address_confirmed(user)
    db.session.flush()
    return user
