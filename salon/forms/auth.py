"""Sign-in form, and the account form of an invited organiser."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from salon.forms import SingleLine
from salon.services.accounts import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter a valid e-mail address.")),
            Length(max=254),
            SingleLine(),
        ],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=1024)]
    )


def new_password_field() -> PasswordField:
    """Return the field of a new password (the account rules' minimum length)."""
    return PasswordField(
        _l("Password"),
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=1024,
                message=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
    )


def password_again_field() -> PasswordField:
    """Return the field that repeats the new password of the field named "password"."""
    return PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords differ.")),
        ],
    )


class InvitedAccountForm(FlaskForm):
    """An account for an invited address: the address comes from the invitation, not from the form."""

    full_name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Enter your name.")), Length(max=200), SingleLine()]
    )
    password = new_password_field()
    password_again = password_again_field()


class ForgotPasswordForm(FlaskForm):
    """The address that should receive a reset link."""

    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter a valid e-mail address.")),
            Length(max=254),
        ],
    )


class NewPasswordForm(FlaskForm):
    """A new password, typed twice (reset link)."""

    password = new_password_field()
    password_again = password_again_field()


class ChangePasswordForm(NewPasswordForm):
    """A new password, with the current one to prove it is the account's owner."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=1024)],
    )
