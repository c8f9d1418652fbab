"""Registration forms: a new account with its organisation, or an existing account joining a fair."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TelField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from salon.domain import siret_problem
from salon.forms import SingleLine
from salon.forms.auth import new_password_field, password_again_field

SIDE_CHOICES = [
    ("supplier", _l("Supplier: an ESS structure")),
    ("buyer", _l("Buyer: public or private purchaser")),
]


def validate_siret(form, field) -> None:  # noqa: ANN001
    """Refuse a SIRET without 14 digits or with a wrong checksum (empty is allowed)."""
    if not (field.data or "").strip():
        return
    problem = siret_problem(field.data)
    if problem == "checksum":
        raise ValidationError(_l("This SIRET number is not valid: check the 14 digits."))
    if problem == "siren":
        raise ValidationError(_l("This is a SIREN (9 digits): a SIRET has 14 digits."))
    if problem is not None:
        raise ValidationError(_l("A SIRET number has exactly 14 digits."))


CHOOSE_FROM_LIST = _l("Choose values from the list.")


class ListField(SelectField):
    """A single choice whose refusal says, in the page's language, to pick from the list."""

    def pre_validate(self, form) -> None:  # noqa: ANN001
        if str(self.data) not in {str(value) for value, *_ in self.iter_choices()}:
            raise ValidationError(CHOOSE_FROM_LIST)


class ListRadioField(RadioField):
    """Radio buttons whose refusal says, in the page's language, to pick from the list."""

    def pre_validate(self, form) -> None:  # noqa: ANN001
        if self.data not in {value for value, *_ in self.iter_choices()}:
            raise ValidationError(_l("Say whether you come as a buyer or as a supplier."))


class _OrganisationFields:
    side = ListRadioField(
        _l("I come as"),
        choices=SIDE_CHOICES,
        validators=[DataRequired(_l("Say whether you come as a buyer or as a supplier."))],
    )
    organisation_name = StringField(
        _l("Name of the organisation"),
        validators=[DataRequired(_l("Enter the name of the organisation.")), Length(max=200), SingleLine()],
    )
    siret = StringField(
        _l("SIRET number (optional)"),
        description=_l("14 digits. A structure still being created can add it later."),
        validators=[Optional(), Length(max=30), validate_siret, SingleLine()],
    )


class RegistrationForm(_OrganisationFields, FlaskForm):
    full_name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Enter your name.")), Length(max=200), SingleLine()]
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter a valid e-mail address.")),
            Length(max=254),
            SingleLine(),
        ],
    )
    phone = TelField(_l("Phone (optional)"), validators=[Optional(), Length(max=40), SingleLine()])
    password = new_password_field()
    password_again = password_again_field()
    consent = BooleanField(
        _l("I agree that the organiser uses these data to run the fair and shows my public profile."),
        validators=[DataRequired(_l("Accept the use of your data to take part in the fair."))],
    )


class JoinFairForm(FlaskForm):
    """A signed-in person registers an organisation (new, or one they act for) at a fair."""

    side = _OrganisationFields.side
    organisation = ListField(_l("Organisation"), choices=[("new", _l("A new organisation"))])
    organisation_name = StringField(
        _l("Name of the new organisation"), validators=[Optional(), Length(max=200), SingleLine()]
    )
    siret = _OrganisationFields.siret

    def validate_organisation_name(self, field) -> None:  # noqa: ANN001
        """Ask for a name when the organisation is new."""
        if self.organisation.data == "new" and not (field.data or "").strip():
            raise ValidationError(_l("Enter the name of the organisation."))


class ResendConfirmationForm(FlaskForm):
    """An empty form (CSRF only) to send the confirmation e-mail again."""
