"""Organiser forms: validation only, no writes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from salon.forms import SingleLine

PRESET_CHOICES = [("", _l("No preset")), ("coventis", "Coventis"), ("so-eko", "SO EKO")]
SIDE_CHOICES = [("buyer", _l("Buyer")), ("supplier", _l("Supplier"))]


class FairCreateForm(FlaskForm):
    name = StringField(_l("Name of the fair"), validators=[DataRequired(), Length(max=200), SingleLine()])
    preset = SelectField(_l("Preset"), choices=PRESET_CHOICES, default="")
    first_day = DateField(_l("First day"), validators=[Optional()])
    days = IntegerField(_l("Number of days"), default=1, validators=[Optional(), NumberRange(1, 7)])


class FairSettingsForm(FlaskForm):
    name = StringField(_l("Name of the fair"), validators=[DataRequired(), Length(max=200), SingleLine()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200), SingleLine()])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300), SingleLine()])
    timezone = StringField(
        _l("Time zone"), default="Europe/Paris", validators=[DataRequired(), Length(max=64), SingleLine()]
    )
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email(), SingleLine()])
    registration_deadline = DateTimeLocalField(_l("Registration deadline"), validators=[Optional()])
    wishes_deadline = DateTimeLocalField(_l("Wishes deadline"), validators=[Optional()])
    meeting_minutes = IntegerField(
        _l("Meeting length (minutes)"), validators=[DataRequired(), NumberRange(5, 120)]
    )
    pause_minutes = IntegerField(
        _l("Pause between meetings (minutes)"), validators=[Optional(), NumberRange(0, 60)]
    )
    max_wishes_buyer = IntegerField(_l("Wish cap per buyer"), validators=[Optional(), NumberRange(0, 500)])
    max_wishes_supplier = IntegerField(
        _l("Wish cap per supplier"), validators=[Optional(), NumberRange(0, 500)]
    )
    weight_high = IntegerField(_l("Weight of “must meet”"), validators=[DataRequired(), NumberRange(1, 1000)])
    weight_mid = IntegerField(
        _l("Weight of “would like to meet”"), validators=[DataRequired(), NumberRange(1, 1000)]
    )
    weight_low = IntegerField(
        _l("Weight of “if possible”"), validators=[DataRequired(), NumberRange(1, 1000)]
    )
    supplier_meetings = SelectField(
        _l("Meetings between suppliers (co-contracting)"),
        choices=[
            ("off", _l("No: suppliers meet buyers only")),
            ("home", _l("Yes: two exhibitors meet at the stand of one of them")),
            ("home-or-shared", _l("Yes: at the stand of one of them or at a shared table")),
        ],
        default="off",
        description=_l(
            "Suppliers may then browse other suppliers and ask to meet them, to answer tenders together "
            "(a “groupement” of SIAE, EA, SCOP...). Buyers keep their own catalogue."
        ),
    )


class SlotsForm(FlaskForm):
    days = TextAreaField(_l("Days (one date per line, YYYY-MM-DD)"), validators=[DataRequired()])
    am_start = TimeField(_l("Morning starts"), validators=[Optional()])
    am_end = TimeField(_l("Morning ends"), validators=[Optional()])
    pm_start = TimeField(_l("Afternoon starts"), validators=[Optional()])
    pm_end = TimeField(_l("Afternoon ends"), validators=[Optional()])


class TablesForm(FlaskForm):
    count = IntegerField(_l("Number of tables"), validators=[Optional(), NumberRange(1, 1000)])
    names = TextAreaField(_l("Or table names, one per line"), validators=[Optional()])


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail of the co-organiser"), validators=[DataRequired(), Email(), SingleLine()])
    role = SelectField(_l("Role"), choices=[("organiser", _l("Organiser")), ("owner", _l("Owner"))])


class ParticipantForm(FlaskForm):
    side = SelectField(_l("Profile"), choices=SIDE_CHOICES)
    name = StringField(
        _l("Name of the organisation"), validators=[DataRequired(), Length(max=200), SingleLine()]
    )
    siret = StringField(_l("SIRET"), validators=[Optional(), Length(max=20), SingleLine()])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200), SingleLine()])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email(), SingleLine()])
    contact_phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40), SingleLine()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=100), SingleLine()])
    postcode = StringField(_l("Postcode"), validators=[Optional(), Length(max=10), SingleLine()])
    note = TextAreaField(_l("Private note"), validators=[Optional(), Length(max=500)])


class ConstraintsForm(FlaskForm):
    min_meetings = IntegerField(
        _l("Minimum meetings"), default=0, validators=[Optional(), NumberRange(0, 200)]
    )
    max_meetings = IntegerField(_l("Maximum meetings"), validators=[Optional(), NumberRange(0, 200)])
    home_table_id = SelectField(_l("Home table"), coerce=str, validators=[Optional()])
    unavailable = SelectMultipleField(_l("Unavailable slots"), coerce=int, validators=[Optional()])


class MandatoryForm(FlaskForm):
    participant_a = SelectField(_l("Buyer"), coerce=int)
    participant_b = SelectField(_l("Supplier"), coerce=int)
    session_id = SelectField(_l("Session (optional)"), coerce=str, validators=[Optional()])
    second_meeting = BooleanField(_l("This pair has a mandatory meeting already: add a second meeting"))


def set_pair_choices(form: FlaskForm, co_contracting: bool, people: list) -> None:
    """Offer a buyer and a supplier; with co-contracting on, a buyer or a supplier, and a supplier."""
    buyers = [(p.id, p.organisation.name) for p in people if p.side == "buyer"]
    suppliers = [(p.id, p.organisation.name) for p in people if p.side == "supplier"]
    form.participant_b.choices = suppliers
    form.participant_a.choices = buyers + suppliers if co_contracting else buyers
    if co_contracting:
        form.participant_a.label.text = _l("Buyer or supplier")


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or Excel file"), validators=[FileRequired()])


class MoveForm(FlaskForm):
    slot_id = SelectField(_l("Slot"), coerce=int)
    table_id = SelectField(_l("Table"), coerce=int)


class SwapForm(FlaskForm):
    other_id = SelectField(_l("Swap with"), coerce=int)


class AddMeetingForm(FlaskForm):
    participant_a = SelectField(_l("Buyer"), coerce=int)
    participant_b = SelectField(_l("Supplier"), coerce=int)
    slot_id = SelectField(_l("Slot"), coerce=int)
    table_id = SelectField(_l("Table"), coerce=int)


class SolveForm(FlaskForm):
    time_limit = IntegerField(_l("Time limit (seconds)"), validators=[Optional(), NumberRange(1, 3600)])


class PublishForm(FlaskForm):
    """The confirmation of a publication preview: the fingerprint of what the preview showed."""

    digest = HiddenField(
        validators=[
            DataRequired(_l("Confirm the publication from its preview.")),
            Regexp(r"^[0-9a-f]{64}$", message=_l("Confirm the publication from its preview.")),
        ]
    )
