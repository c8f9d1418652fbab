"""What the import accepts, for the import page and the downloadable template: every header and value."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from salon import domain
from salon.services.import_columns import FIELDS, HEADERS, TEMPLATE_HEADERS, header_key
from salon.services.import_values import VOCABULARIES, labels, written_forms

EXAMPLES = [
    {"name": "Ville de Lyon", "side": "Acheteur", "contact_email": "achats@example.org",
     "contact": "Claire Martin", "contact_phone": "04 72 00 00 00", "city": "Lyon", "postcode": "69001",
     "buyer_kind": "Commune", "sectors": "Nettoyage, propreté", "departements": "69",
     "needs": "Entretien des écoles"},
    {"name": "ESAT Les Ateliers", "side": "Fournisseur", "siret": "732 829 320 00074",
     "contact_email": "contact@example.org", "contact": "Karim Benali", "city": "Villeurbanne",
     "postcode": "69100", "structure_types": "ESAT", "sectors": "Espaces verts; Restauration, traiteur",
     "departements": "69; 01", "offer": "Entretien d'espaces verts", "website": "https://www.example.org"},
]  # fmt: skip


def accepted_headers() -> list[tuple[str, object, list[str]]]:
    """Return (field, label, accepted headers) for every field."""
    return [(name, label, list(HEADERS[name])) for name, label in FIELDS.items()]


def accepted_values() -> list[tuple[str, object, list[tuple[str, object, str, list[str]]]]]:
    """Return (vocabulary, label, [(code, label, English label, other forms)]) for every vocabulary."""
    found = []
    for vocabulary in VOCABULARIES:
        codes = []
        forms = written_forms(vocabulary)
        for code, label in labels(vocabulary).items():
            with force_locale("en"):
                english = str(label)
            seen = {header_key(label), header_key(code), header_key(english)}
            others = []
            for form in forms[code]:
                if header_key(form) not in seen:
                    seen.add(header_key(form))
                    others.append(form)
            codes.append((code, label, english if header_key(english) != header_key(label) else "", others))
        found.append((vocabulary, FIELDS[vocabulary], codes))
    return found


def regions() -> list[tuple[str, list[str]]]:
    """Return each region's name with its départements (a region's name stands for all of them)."""
    return [(name, deps) for _code, name, deps in domain.regions_by_name()]


def template_bytes(fmt: str) -> bytes:
    """Return the import template with two example rows; the Excel one also lists every header and value."""
    from salon.services.exporting import table_bytes  # exporting reads the template's columns

    headers = list(TEMPLATE_HEADERS.values())
    rows = [[example.get(name, "") for name in TEMPLATE_HEADERS] for example in EXAMPLES]
    if fmt != "xlsx":
        return table_bytes(headers, rows, fmt, "Participants")
    with force_locale("fr"):
        columns = [[str(label), ", ".join(names)] for _n, label, names in accepted_headers()]
        values = [
            [str(vocabulary_label), str(label), code, english, ", ".join(others)]
            for _v, vocabulary_label, codes in accepted_values()
            for code, label, english, others in codes
        ]
        sheets = [
            (_("Accepted columns"), [_("Field"), _("Accepted headers")], columns),
            (
                _("Accepted values"),
                [_("Field"), _("Value"), _("Code"), _("In English"), _("Also accepted")],
                values,
            ),
        ]
    return table_bytes(headers, rows, fmt, "Participants", more_sheets=sheets)
