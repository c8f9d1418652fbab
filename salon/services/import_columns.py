"""Which column of an import file is which Salon field: the headers of the usual directory exports.

Headers are compared folded (salon.text.fold: no accents, case or punctuation) and singular ("Secteurs
d'activités" is "Secteur d'activité"). The synonyms cover the exports of socialement-responsable.org (IAE),
Handeco (EA/ESAT), the SCOP directory, Adive and the CRESS lists of ESS enterprises.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from salon.services.import_table import HEADER_SEARCH, Row
from salon.text import fold

# Salon field -> its label on the mapping page (the order of the page and of the template).
FIELDS = {
    "name": _l("Name of the organisation"),
    "side": _l("Profile (buyer or supplier)"),
    "siret": _l("SIRET number"),
    "contact_email": _l("Contact e-mail"),
    "contact": _l("Contact person"),
    "contact_first_name": _l("Contact person's first name"),
    "contact_last_name": _l("Contact person's last name"),
    "contact_phone": _l("Contact phone"),
    "city": _l("City"),
    "postcode": _l("Postcode"),
    "structure_types": _l("ESS structure type"),
    "legal_form": _l("Legal form"),
    "buyer_kind": _l("Kind of buyer"),
    "sectors": _l("Sectors"),
    "departements": _l("Départements served"),
    "offer": _l("What you offer"),
    "needs": _l("Needs"),
    "purchases_planned": _l("Purchases planned"),
    "references": _l("References (clients, contracts)"),
    "capacity": _l("Capacity (staff, volumes)"),
    "website": _l("Website"),
}
REQUIRED = ("name", "side", "contact_email")
LIST_FIELDS = ("structure_types", "sectors", "departements")  # several columns may feed these
# Accepted headers per field, as they are written; the first is the template's header.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("Nom de la structure", "Raison sociale", "Dénomination", "Dénomination sociale", "Structure",
             "Entreprise", "Nom de l'entreprise", "Nom de l'organisation", "Organisation", "Organisme",
             "Établissement", "Nom de l'établissement", "Nom commercial", "Enseigne", "Company",
             "Company name", "Organisation name", "Name", "Nom"),
    "side": ("Profil", "Côté", "Type de participant", "Rôle", "Acheteur ou fournisseur", "Side"),
    "siret": ("SIRET", "N° SIRET", "Numéro SIRET", "Numéro de SIRET", "Code SIRET",
              "SIRET de l'établissement"),
    "contact_email": ("E-mail", "Courriel", "Mail", "Email", "Mél", "Adresse e-mail", "Adresse mail",
                      "Adresse électronique", "E-mail du contact", "Courriel du contact", "E-mail contact",
                      "E-mail de contact", "E-mail address"),
    "contact": ("Contact", "Nom du contact", "Prénom Nom", "Nom Prénom", "Interlocuteur",
                "Personne à contacter", "Référent", "Contact name"),
    "contact_first_name": ("Prénom", "Prénom du contact", "Prénom contact"),
    "contact_last_name": ("Nom de famille", "Nom de famille du contact"),
    "contact_phone": ("Téléphone", "Tél.", "Tel", "Portable", "Mobile", "Numéro de téléphone",
                      "Téléphone du contact", "Téléphone fixe", "Phone", "Phone number"),
    "city": ("Ville", "Commune", "Localité", "City"),
    "postcode": ("Code postal", "CP", "Postcode"),
    "structure_types": ("Type de structure", "Type de structure ESS", "Statut", "Statut ESS",
                        "Forme juridique", "Statut juridique", "Catégorie", "Famille", "Type",
                        "Type d'entreprise", "Type d'établissement", "Type de SIAE", "Agrément",
                        "Structure types"),
    "legal_form": ("Forme juridique détaillée",),
    "buyer_kind": ("Type d'acheteur", "Type acheteur", "Catégorie d'acheteur", "Type de collectivité",
                   "Buyer kind"),
    "sectors": ("Secteurs", "Secteur d'activité", "Activité", "Domaine", "Domaine d'activité", "Prestations",
                "Code NAF", "Code APE", "Code NAF / APE", "NAF", "APE", "Activité principale", "Filière",
                "Secteur d'intervention", "Sector"),
    "departements": ("Départements", "Département", "Dépt", "Dpt", "Dép.", "Département d'intervention",
                     "Zone d'intervention", "Zone géographique d'intervention", "Territoire d'intervention",
                     "Départements couverts"),
    "offer": ("Offre", "Offre de services", "Description", "Description de l'activité", "Présentation",
              "Produits et services", "Offer"),
    "needs": ("Besoins", "Needs"),
    "purchases_planned": ("Achats prévus", "Achats envisagés", "Projets d'achat"),
    "references": ("Références", "Références clients"),
    "capacity": ("Capacité", "Capacité de production"),
    "website": ("Site web", "Site internet", "Site", "Website", "URL", "Web"),
}  # fmt: skip
# A header that names a taken field may name another: "Nom" beside "Raison sociale" is the contact's name.
FALLBACK = {"nom": "contact_last_name", "forme juridique": "legal_form", "statut juridique": "legal_form",
            "prestation": "offer"}  # fmt: skip
_PLURAL_MARK = re.compile(r"\((?:s|e|es|x)\)", re.IGNORECASE)


def header_key(text: object) -> str:
    """Return the comparison key of a header or value: folded, "(s)" dropped, each word singular."""
    return _key(str(text or ""))


@lru_cache(maxsize=65536)  # a directory export repeats the same few values thousands of times
def _key(text: str) -> str:
    words = fold(_PLURAL_MARK.sub("", text)).split()
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in words)


_BY_KEY = {header_key(h): field for field, headers in HEADERS.items() for h in headers}
_RANK = {header_key(h): i for headers in HEADERS.values() for i, h in enumerate(headers)}


def match_header(header: str) -> str | None:
    """Return the field a header names, whole or by one of its "/" parts ("Code postal / CP")."""
    key = header_key(header)
    if key in _BY_KEY:
        return _BY_KEY[key]
    for part in header.split("/"):
        if header_key(part) in _BY_KEY:
            return _BY_KEY[header_key(part)]
    return None


def auto_columns(headers: list[str], remembered: dict[str, str] | None = None) -> list[str]:
    """Return the field of each column ("" = ignored): remembered choices first, then the synonyms."""
    remembered = remembered or {}
    columns = [remembered.get(header_key(h), "") if header_key(h) in remembered else None for h in headers]
    taken = {c for c in columns if c}
    guesses = sorted(
        ((i, match_header(h)) for i, h in enumerate(headers) if columns[i] is None),
        key=lambda guess: _RANK.get(header_key(headers[guess[0]]), 99),
    )
    for i, field in guesses:
        if field in taken:
            field = FALLBACK.get(header_key(headers[i]))
        if field and field not in taken:
            columns[i] = field
            taken.add(field)
    return [c or "" for c in columns]


def find_header(rows: list[Row]) -> int:
    """Return the index of the header row: of the first rows, the one naming the most known fields."""
    best, best_count = 0, 0
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH]):
        count = len({match_header(c) for c in cells if c} - {None})
        if count > best_count:
            best, best_count = index, count
    if best_count == 0:
        best = next((i for i, (_n, cells) in enumerate(rows[:HEADER_SEARCH]) if len(cells) > 1), 0)
    return best


TEMPLATE_FIELDS = ("name", "side", "siret", "contact_email", "contact", "contact_phone", "city",
                   "postcode", "structure_types", "buyer_kind", "sectors", "departements", "offer", "needs",
                   "website")  # fmt: skip
TEMPLATE_HEADERS = {field: HEADERS[field][0] for field in TEMPLATE_FIELDS}
