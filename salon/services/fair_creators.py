"""Who may create fairs: the right Salon's administrator gives (`salon organiser ...`), never a web form."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from salon.extensions import db
from salon.models import User
from salon.services import DomainError, accounts


def account_for(email: str) -> User | None:
    """Return the account using this address, if any."""
    return db.session.scalar(select(User).where(User.email == accounts.normalise_email(email)))


def allow_fair_creation(email: str, full_name: str = "", password: str | None = None) -> User:
    """Let the account of `email` create fairs, creating it with `password` when there is none yet."""
    user = account_for(email)
    if user is None:
        address = accounts.normalise_email(email)
        if "@" not in address or len(address) > 254:
            raise DomainError(_("Enter a valid e-mail address."), "email")
        if password is None:
            raise DomainError(
                _("No account uses this e-mail address: choose a password to create it."), "password"
            )
        user = accounts.create_user(address, password, full_name=full_name.strip())
    user.can_create_fairs = True
    db.session.flush()
    return user


def withdraw_fair_creation(email: str) -> User:
    """Take back the right to create fairs (the fairs the account organises stay its own)."""
    user = account_for(email)
    if user is None:
        raise DomainError(_("No account uses this e-mail address."), "email")
    user.can_create_fairs = False
    db.session.flush()
    return user


def fair_creators() -> list[User]:
    """Return the accounts that may create fairs, by address."""
    return list(db.session.scalars(select(User).where(User.can_create_fairs.is_(True)).order_by(User.email)))
