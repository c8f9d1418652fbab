"""Import step forms, built for each file: a field per column, a choice per unknown value."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField

from salon.forms.registration import ListField

IGNORE = "-"  # the value choice "leave this value out"
SIDE_CHOICES = [("", _l("— Given by a column —")), ("buyer", _l("Buyer")), ("supplier", _l("Supplier"))]


class HeaderForm(FlaskForm):
    step = HiddenField(default="header")
    header = ListField(_l("Row of the column headers"), choices=[])


class ColumnsForm(FlaskForm):
    step = HiddenField(default="columns")
    side = ListField(_l("Profile of every row without one"), choices=SIDE_CHOICES, default="")

    def column_fields(self) -> list:
        """Return the column fields, in the file's order."""
        return sorted((f for f in self if f.name.startswith("column_")), key=lambda f: int(f.name[7:]))


def columns_form(
    headers: list[str], fields: list[tuple[str, object]], formdata=None, data=None
) -> ColumnsForm:  # noqa: ANN001
    """Return the mapping form of a file: one choice of field per column."""

    class FileColumnsForm(ColumnsForm):
        pass

    choices = [("", _l("Ignore this column")), *fields]
    for i, header in enumerate(headers):
        setattr(FileColumnsForm, f"column_{i}", ListField(header, choices=choices, default=""))
    return FileColumnsForm(formdata=formdata, data=data)


class ValuesForm(FlaskForm):
    def value_fields(self) -> list:
        """Return the value fields, in the order of the page."""
        return sorted((f for f in self if f.name.startswith("value_")), key=lambda f: int(f.name[6:]))


def values_form(entries: list[tuple[str, list[str], bool]], formdata=None, data=None) -> ValuesForm:  # noqa: ANN001
    """Return the form of the unknown values: (value as written, codes offered, may be left out) each."""

    class FileValuesForm(ValuesForm):
        pass

    for i, (text, codes, optional) in enumerate(entries):
        choices = [("", "—"), *([(IGNORE, IGNORE)] if optional else []), *((c, c) for c in codes)]
        setattr(FileValuesForm, f"value_{i}", ListField(text, choices=choices, default=""))
    return FileValuesForm(formdata=formdata, data=data)
