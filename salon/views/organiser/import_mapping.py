"""The import's mapping steps: a Salon field for each column of the file, a code for each unknown value."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms.importing import IGNORE, HeaderForm, columns_form, values_form
from salon.services import DomainError, import_uploads
from salon.services.import_columns import FIELDS, REQUIRED
from salon.services.import_rows import Mapping, Sheet, recognised_values, row_values, unknown_values
from salon.services.import_table import HEADER_SEARCH
from salon.services.import_values import labels
from salon.services.importing import mapping_problems
from salon.views.organiser import bp
from salon.views.organiser.importing import upload_or_404

PREVIEW_ROWS = 5


def _header_form(sheet: Sheet, formdata=None) -> HeaderForm:  # noqa: ANN001
    form = HeaderForm(formdata=formdata, data={"header": str(sheet.header)})
    form.header.choices = [
        (str(i), _("Row %(n)d: %(cells)s", n=number, cells=" | ".join(cells)[:80]))
        for i, (number, cells) in enumerate(sheet.rows[:HEADER_SEARCH])
    ]
    return form


def _examples(sheet: Sheet, column: int, count: int = 3) -> list[str]:
    """Return the first values of a column."""
    found = [cells[column] for _n, cells in sheet.data if column < len(cells) and cells[column]]
    return found[:count]


@bp.route("/fairs/<int:fair_id>/import/<int:upload_id>/columns", methods=["GET", "POST"])
@login_required
def import_columns(fair_id: int, upload_id: int):
    fair = organiser_fair_or_404(fair_id)
    upload = upload_or_404(fair, upload_id)
    sheet, mapping = import_uploads.sheet_of(upload), import_uploads.mapping_of(upload)
    posted = request.form if request.method == "POST" else None
    on_header = posted is not None and request.form.get("step") == "header"
    header_form = _header_form(sheet, posted if on_header else None)
    if on_header and header_form.validate():
        import_uploads.set_header(upload, int(header_form.header.data), fair, current_user)
        db.session.commit()
        flash(_("Columns matched again from the new header row."), "success")
        return redirect(url_for("organiser.import_columns", fair_id=fair.id, upload_id=upload.id), 303)
    initial = {f"column_{i}": field for i, field in enumerate(mapping.columns)} | {"side": mapping.side}
    form = columns_form(sheet.headers, list(FIELDS.items()), None if on_header else posted, initial)
    if posted is not None and not on_header and form.validate():
        try:
            import_uploads.set_columns(upload, [f.data for f in form.column_fields()], form.side.data)
        except DomainError as exc:
            db.session.rollback()
            form.side.errors = [*form.side.errors, exc.message]
        else:
            db.session.commit()
            return redirect(url_for("organiser.import_values", fair_id=fair.id, upload_id=upload.id), 303)
    page = _columns_page(sheet, form)
    return render_template(
        "organiser/import_columns.html", fair=fair, upload=upload, form=form, header_form=header_form, **page
    ), (422 if posted is not None else 200)


def _columns_page(sheet: Sheet, form) -> dict:  # noqa: ANN001
    """Return what the columns page shows beside its forms: first values, preview of the chosen mapping."""
    chosen = Mapping([f.data or "" for f in form.column_fields()], form.side.data or "")
    examples = [_examples(sheet, i) for i in range(len(sheet.headers))]
    return {
        "columns": list(zip(form.column_fields(), examples, strict=True)),
        "required": [FIELDS[name] for name in REQUIRED],
        # Said before the first "Continue": a directory export never gives the profile of its rows.
        "missing": {
            n: str(FIELDS[n])
            for n in REQUIRED
            if not chosen.field_columns(n) and not (n == "side" and chosen.side)
        },
        "preview_fields": [(name, FIELDS[name]) for name in FIELDS if chosen.field_columns(name)],
        "preview": [(n, row_values(chosen, cells)) for n, cells in sheet.data[:PREVIEW_ROWS]],
        "row_count": len(sheet.data),
        "header_row": sheet.rows[sheet.header][0],
    }


def _grouped(pairs: list) -> list[tuple[str, list]]:
    """Return the (unknown value, field) pairs grouped by vocabulary, in the vocabularies' order."""
    groups: dict[str, list] = {}
    for entry, field in pairs:
        groups.setdefault(entry.vocabulary, []).append((entry, field))
    return list(groups.items())


@bp.route("/fairs/<int:fair_id>/import/<int:upload_id>/values", methods=["GET", "POST"])
@login_required
def import_values(fair_id: int, upload_id: int):
    fair = organiser_fair_or_404(fair_id)
    upload = upload_or_404(fair, upload_id)
    sheet, mapping = import_uploads.sheet_of(upload), import_uploads.mapping_of(upload)
    if mapping_problems(mapping):
        flash(_("Choose the columns first: a required field is missing."), "error")
        return redirect(url_for("organiser.import_columns", fair_id=fair.id, upload_id=upload.id))
    entries = unknown_values(sheet, mapping)
    options = [(u.text, list(labels(u.vocabulary)), u.vocabulary != "side") for u in entries]
    initial = {f"value_{i}": (IGNORE if u.pick == [] else (u.pick or [""])[0]) for i, u in enumerate(entries)}
    posted = request.form if request.method == "POST" else None
    form = values_form(options, posted, initial)
    if posted is not None and form.validate():
        picks: dict[str, dict[str, list[str]]] = {}
        for entry, field in zip(entries, form.value_fields(), strict=True):
            if field.data:
                picks.setdefault(entry.vocabulary, {})[entry.key] = (
                    [] if field.data == IGNORE else [field.data]
                )
            else:
                field.errors = [_("Choose a value, or leave it out.")]
        left = import_uploads.set_values(upload, picks)
        db.session.commit()
        if not left:
            return redirect(url_for("organiser.import_check", fair_id=fair.id, upload_id=upload.id), 303)
    return render_template(
        "organiser/import_values.html",
        fair=fair,
        upload=upload,
        form=form,
        groups=_grouped(list(zip(entries, form.value_fields(), strict=True))),
        labels={v: labels(v) for v in ("side", "structure_types", "buyer_kind", "sectors", "departements")},
        recognised=recognised_values(sheet, mapping),
        fields=FIELDS,
    ), (422 if posted is not None else 200)
