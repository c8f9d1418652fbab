"""Participant forms: profile, catalogue search, wishes, availability, attendees, account deletion."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from salon import domain
from salon.forms import SingleLine
from salon.forms.registration import CHOOSE_FROM_LIST, ListField, validate_siret
from salon.labels import session_label
from salon.models import Participant
from salon.templating import local_time

LONG_TEXT = domain.LONG_TEXT
WEBSITE_MESSAGE = _l("Enter a full address, e.g. https://…")


def validate_website(form, field) -> None:  # noqa: ANN001
    """Refuse a website that is not a full http(s) address (no javascript:, ftp:, bare host)."""
    if (field.data or "").strip() and domain.website_problem(field.data) is not None:
        raise ValidationError(WEBSITE_MESSAGE)


class ListMultipleField(SelectMultipleField):
    """A multiple choice whose refusal says, in the page's language, to pick from the list."""

    def pre_validate(self, form) -> None:  # noqa: ANN001
        known = {str(value) for value, *_ in self.iter_choices()}
        if any(str(v) not in known for v in self.data or ()):
            raise ValidationError(CHOOSE_FROM_LIST)


class MultiCheckboxField(ListMultipleField):
    """A list of checkboxes (rendered inside a fieldset by the templates)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(labels: dict) -> list[tuple[str, object]]:
    return list(labels.items())


def departement_choices() -> list[tuple[str, str]]:
    """Return the départements as (code, "34 – Hérault") pairs."""
    return [(code, domain.departement_label(code)) for code in domain.DEPARTEMENTS]


class ProfileForm(FlaskForm):
    name = StringField(
        _l("Name of the organisation"),
        validators=[DataRequired(_l("Enter the name of the organisation.")), Length(max=200), SingleLine()],
    )
    siret = StringField(
        _l("SIRET number"),
        description=_l("14 digits; leave empty if the structure is still being created."),
        validators=[Optional(), Length(max=30), validate_siret, SingleLine()],
    )
    legal_form = StringField(_l("Legal form"), validators=[Optional(), Length(max=100), SingleLine()])
    buyer_kind = ListField(
        _l("Kind of buyer"), choices=[("", "—"), *_choices(domain.BUYER_KIND_LABELS)], validators=[Optional()]
    )
    structure_types = MultiCheckboxField(
        _l("ESS structure type"), choices=_choices(domain.STRUCTURE_TYPE_LABELS)
    )
    sectors = MultiCheckboxField(_l("Sectors"), choices=_choices(domain.SECTOR_LABELS))
    departements = ListMultipleField(
        _l("Départements served"),
        choices=departement_choices(),
        description=_l("Open your region and tick the départements you serve."),
    )
    city = StringField(_l("City"), validators=[Optional(), Length(max=100), SingleLine()])
    postcode = StringField(_l("Postcode"), validators=[Optional(), Length(max=10), SingleLine()])
    offer = TextAreaField(_l("What you offer"), validators=[Optional(), Length(max=LONG_TEXT)])
    references = TextAreaField(
        _l("References (clients, contracts)"), validators=[Optional(), Length(max=LONG_TEXT)]
    )
    capacity = StringField(
        _l("Capacity (staff, volumes)"), validators=[Optional(), Length(max=200), SingleLine()]
    )
    needs = TextAreaField(_l("Your needs"), validators=[Optional(), Length(max=LONG_TEXT)])
    purchases_planned = TextAreaField(_l("Purchases planned"), validators=[Optional(), Length(max=LONG_TEXT)])
    # A text field, not type="url": browsers refuse "www.example.org" there, which people type.
    website = StringField(
        _l("Website"),
        filters=[domain.complete_website],
        validators=[Optional(), validate_website, Length(max=300), SingleLine()],
        render_kw={"inputmode": "url", "autocomplete": "url"},
    )
    contact_email = EmailField(
        _l("Contact e-mail"),
        description=_l("Shown only to the participants you meet."),
        validators=[Optional(), Email(_l("Enter a valid e-mail address.")), Length(max=254), SingleLine()],
    )
    contact_phone = TelField(
        _l("Contact phone"),
        description=_l("Shown only to the participants you meet."),
        validators=[Optional(), Length(max=40), SingleLine()],
    )

    SUPPLIER_ONLY = ("structure_types", "offer", "references", "capacity")
    BUYER_ONLY = ("buyer_kind", "needs", "purchases_planned")

    def profile_data(self, side: str) -> dict:
        """Return the submitted fields that apply to this side."""
        skip = self.BUYER_ONLY if side == "supplier" else self.SUPPLIER_ONLY
        return {f.name: f.data for f in self if f.name not in skip and f.name != "csrf_token"}


class CatalogueSearchForm(FlaskForm):
    """The GET search form of the catalogue (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=200), SingleLine()])
    structure_type = SelectField(
        _l("Structure type"),
        choices=[("", _l("All")), *_choices(domain.STRUCTURE_TYPE_LABELS)],
        validators=[Optional()],
    )
    sector = SelectField(
        _l("Sector"), choices=[("", _l("All")), *_choices(domain.SECTOR_LABELS)], validators=[Optional()]
    )
    departement = SelectField(
        _l("Département"), choices=[("", _l("All")), *departement_choices()], validators=[Optional()]
    )
    reserved = BooleanField(_l("Eligible for reserved contracts (EA, ESAT, SIAE)"))
    buyer_kind = SelectField(
        _l("Kind of buyer"),
        choices=[("", _l("All")), *_choices(domain.BUYER_KIND_LABELS)],
        validators=[Optional()],
    )
    side = HiddenField(validators=[Optional(), AnyOf(("", "buyer", "supplier"))])
    page = IntegerField(validators=[Optional(), NumberRange(min=1)], default=1)


WISH_CHOICES = [
    ("3", _l("Must meet")),
    ("2", _l("Wanted")),
    ("1", _l("If possible")),
    ("veto", _l("I do not wish to meet them")),
    ("none", _l("No wish")),
]


class PriorityField(RadioField):
    """The wish's choice; an unknown value is refused with a clear message."""

    def pre_validate(self, form) -> None:  # noqa: ANN001
        if self.data not in {value for value, *_ in self.iter_choices()}:
            raise ValidationError(_l("Choose a priority."))


class WishForm(FlaskForm):
    target_id = HiddenField(validators=[DataRequired()])
    choice = PriorityField(
        _l("My wish"), choices=WISH_CHOICES, validators=[DataRequired(_l("Choose a priority."))]
    )
    next = HiddenField()


class AvailabilityForm(FlaskForm):
    sessions = MultiCheckboxField(_l("Whole sessions when you cannot meet"), coerce=int, choices=[])
    slots = MultiCheckboxField(_l("Slots when you cannot meet"), coerce=int, choices=[])


def availability_form(participant: Participant, formdata=None) -> AvailabilityForm:  # noqa: ANN001
    """Return the availability form of the participant, with its sessions and slots."""
    fair = participant.fair
    form = AvailabilityForm(formdata=formdata)
    form.sessions.choices = [(s.id, session_label(s)) for s in fair.sessions]
    form.slots.choices = [
        (s.id, f"{session_label(s.session)} {local_time(s.starts_at, fair)}–{local_time(s.ends_at, fair)}")
        for s in fair.slots
    ]
    if formdata is None:
        form.slots.data = [s.id for s in participant.unavailable_slots]
        form.sessions.data = []
    return form


class AttendeeForm(FlaskForm):
    full_name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the person's name.")), Length(max=200), SingleLine()]
    )
    job_title = StringField(_l("Job title"), validators=[Optional(), Length(max=200), SingleLine()])
    email = EmailField(
        _l("E-mail address"),
        validators=[Optional(), Email(_l("Enter a valid e-mail address.")), Length(max=254), SingleLine()],
    )
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=40), SingleLine()])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(_l("Enter your password."))])
    confirm = BooleanField(
        _l("I understand that my profile, wishes and meetings will be deleted."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
