"""Domain vocabulary of the ESS fairs: structure types, buyer kinds, sectors, places, SIRET checks."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from salon.text import has_control_characters

# ESS structure types (codes match salon.models.organisation.STRUCTURE_TYPES).
STRUCTURE_TYPE_LABELS = {
    "aci": _l("SIAE – ACI (integration workshop and site)"),
    "ai": _l("SIAE – AI (intermediary association)"),
    "ei": _l("SIAE – EI (integration enterprise)"),
    "etti": _l("SIAE – ETTI (temporary-work integration enterprise)"),
    "eiti": _l("SIAE – EITI (self-employment integration enterprise)"),
    "ea": _l("EA (adapted enterprise)"),
    "esat": _l("ESAT (sheltered work establishment)"),
    "scop": _l("SCOP (worker cooperative)"),
    "scic": _l("SCIC (multi-stakeholder cooperative)"),
    "association": _l("Association"),
    "fondation": _l("Foundation"),
    "mutuelle": _l("Mutual"),
    "cooperative": _l("Cooperative"),
    "esus": _l("ESUS-approved company"),
    "commerce_equitable": _l("Fair trade"),
    "qpv": _l("Firm in a priority neighbourhood (QPV)"),
}
SIAE_TYPES = frozenset({"aci", "ai", "ei", "etti", "eiti"})
ADAPTED_WORK_TYPES = frozenset({"ea", "esat"})
RESERVED_TYPES = SIAE_TYPES | ADAPTED_WORK_TYPES
RESERVED_LABEL = _l("Eligible for reserved contracts")

BUYER_KIND_LABELS = {
    "region": _l("Region"),
    "departement": _l("Département (local authority)"),
    "commune": _l("Municipality"),
    "intercommunalite": _l("Inter-municipal body"),
    "hopital": _l("Hospital"),
    "bailleur_social": _l("Social landlord"),
    "etat": _l("State service"),
    "etablissement_public": _l("Public body"),
    "grande_entreprise": _l("Large company"),
    "eti": _l("Mid-size company"),
    "pme": _l("Small or medium company"),
    "autre": _l("Other"),
}
PUBLIC_BUYER_KINDS = frozenset(
    {
        "region",
        "departement",
        "commune",
        "intercommunalite",
        "hopital",
        "bailleur_social",
        "etat",
        "etablissement_public",
    }
)

SECTOR_LABELS = {
    "nettoyage": _l("Cleaning"),
    "espaces_verts": _l("Green spaces"),
    "btp": _l("Building finishing and renovation"),
    "restauration": _l("Catering"),
    "blanchisserie": _l("Laundry"),
    "logistique": _l("Logistics and packing"),
    "reemploi": _l("Reuse and recycling"),
    "numerique": _l("Digital services and data entry"),
    "imprimerie": _l("Printing"),
    "mobilier": _l("Furniture"),
    "textile": _l("Textile"),
    "maintenance": _l("Maintenance"),
    "transport": _l("Transport"),
    "evenementiel": _l("Events"),
    "fournitures": _l("Office supplies"),
    "autre": _l("Other"),
}
# French search words per sector (the catalogue searches them whatever the page language).
SECTOR_KEYWORDS = {
    "nettoyage": "nettoyage proprete",
    "espaces_verts": "espaces verts",
    "btp": "second oeuvre btp renovation batiment",
    "restauration": "restauration traiteur",
    "blanchisserie": "blanchisserie",
    "logistique": "logistique conditionnement",
    "reemploi": "reemploi recyclage deee",
    "numerique": "numerisation saisie numerique",
    "imprimerie": "imprimerie",
    "mobilier": "mobilier",
    "textile": "textile",
    "maintenance": "maintenance",
    "transport": "transport",
    "evenementiel": "evenementiel evenements",
    "fournitures": "fournitures de bureau",
    "autre": "",
}

REGIONS = {
    "84": ("Auvergne-Rhône-Alpes", "01 03 07 15 26 38 42 43 63 69 73 74"),
    "27": ("Bourgogne-Franche-Comté", "21 25 39 58 70 71 89 90"),
    "53": ("Bretagne", "22 29 35 56"),
    "24": ("Centre-Val de Loire", "18 28 36 37 41 45"),
    "94": ("Corse", "2A 2B"),
    "44": ("Grand Est", "08 10 51 52 54 55 57 67 68 88"),
    "32": ("Hauts-de-France", "02 59 60 62 80"),
    "11": ("Île-de-France", "75 77 78 91 92 93 94 95"),
    "28": ("Normandie", "14 27 50 61 76"),
    "75": ("Nouvelle-Aquitaine", "16 17 19 23 24 33 40 47 64 79 86 87"),
    "76": ("Occitanie", "09 11 12 30 31 32 34 46 48 65 66 81 82"),
    "52": ("Pays de la Loire", "44 49 53 72 85"),
    "93": ("Provence-Alpes-Côte d'Azur", "04 05 06 13 83 84"),
    "01": ("Guadeloupe", "971"),
    "02": ("Martinique", "972"),
    "03": ("Guyane", "973"),
    "04": ("La Réunion", "974"),
    "06": ("Mayotte", "976"),
}
_DEPARTEMENT_NAMES = """01 Ain|02 Aisne|03 Allier|04 Alpes-de-Haute-Provence|05 Hautes-Alpes|
06 Alpes-Maritimes|
07 Ardèche|08 Ardennes|09 Ariège|10 Aube|11 Aude|12 Aveyron|13 Bouches-du-Rhône|14 Calvados|15 Cantal|
16 Charente|17 Charente-Maritime|18 Cher|19 Corrèze|2A Corse-du-Sud|2B Haute-Corse|21 Côte-d'Or|
22 Côtes-d'Armor|23 Creuse|24 Dordogne|25 Doubs|26 Drôme|27 Eure|28 Eure-et-Loir|29 Finistère|30 Gard|
31 Haute-Garonne|32 Gers|33 Gironde|34 Hérault|35 Ille-et-Vilaine|36 Indre|37 Indre-et-Loire|38 Isère|
39 Jura|40 Landes|41 Loir-et-Cher|42 Loire|43 Haute-Loire|44 Loire-Atlantique|45 Loiret|46 Lot|
47 Lot-et-Garonne|48 Lozère|49 Maine-et-Loire|50 Manche|51 Marne|52 Haute-Marne|53 Mayenne|
54 Meurthe-et-Moselle|55 Meuse|56 Morbihan|57 Moselle|58 Nièvre|59 Nord|60 Oise|61 Orne|62 Pas-de-Calais|
63 Puy-de-Dôme|64 Pyrénées-Atlantiques|65 Hautes-Pyrénées|66 Pyrénées-Orientales|67 Bas-Rhin|68 Haut-Rhin|
69 Rhône|70 Haute-Saône|71 Saône-et-Loire|72 Sarthe|73 Savoie|74 Haute-Savoie|75 Paris|76 Seine-Maritime|
77 Seine-et-Marne|78 Yvelines|79 Deux-Sèvres|80 Somme|81 Tarn|82 Tarn-et-Garonne|83 Var|84 Vaucluse|
85 Vendée|86 Vienne|87 Haute-Vienne|88 Vosges|89 Yonne|90 Territoire de Belfort|91 Essonne|
92 Hauts-de-Seine|93 Seine-Saint-Denis|94 Val-de-Marne|95 Val-d'Oise|971 Guadeloupe|972 Martinique|
973 Guyane|974 La Réunion|976 Mayotte"""
DEPARTEMENTS: dict[str, str] = dict(
    item.strip().split(" ", 1) for item in _DEPARTEMENT_NAMES.replace("\n", "").split("|")
)
DEPARTEMENT_REGION: dict[str, str] = {
    dep: code for code, (_name, deps) in REGIONS.items() for dep in deps.split()
}

LA_POSTE_SIREN = "356000000"
_SEPARATORS = re.compile(r"[\s\u00a0\u202f.\-]")


def regions_by_name() -> list[tuple[str, str, list[str]]]:
    """Return (code, name, département codes) for every region, in French alphabetical order."""

    def key(name: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()

    return [
        (code, name, deps.split())
        for code, (name, deps) in sorted(REGIONS.items(), key=lambda i: key(i[1][0]))
    ]


def departement_label(code: str) -> str:
    """Return "34 – Hérault" for a département code (the code alone if unknown)."""
    name = DEPARTEMENTS.get(code)
    return f"{code} – {name}" if name else code


def region_name(departement: str) -> str:
    """Return the region's name of a département code, or an empty string."""
    code = DEPARTEMENT_REGION.get(departement)
    return REGIONS[code][0] if code else ""


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def clean_siret(value: str) -> str:
    """Return the SIRET without spaces (spaces, no-break spaces, dots, dashes are accepted)."""
    return _SEPARATORS.sub("", value or "")


def siret_problem(value: str) -> str | None:
    """Return why a SIRET is invalid ("siren", "length", "digits", "checksum"), or None when it is valid."""
    digits = clean_siret(value)
    if not digits:
        return "length"
    if not digits.isascii() or not digits.isdigit():
        return "digits"
    if len(digits) == 9:
        return "siren"  # people often type the company's SIREN, the SIRET's first nine digits
    if len(digits) != 14:
        return "length"
    if digits[:9] == LA_POSTE_SIREN:
        # La Poste's establishments share one SIREN: INSEE checks that the sum of the 14 digits is a
        # multiple of 5 (the head office, 356 000 000 00048, also passes Luhn).
        ok = sum(int(c) for c in digits) % 5 == 0 or _luhn_ok(digits)
        return None if ok else "checksum"
    return None if _luhn_ok(digits) else "checksum"


def is_valid_siret(value: str) -> bool:
    """Say whether the SIRET has 14 digits and a correct checksum."""
    return siret_problem(value) is None


def reserved_contract_eligible(types: list[str] | tuple[str, ...] | set[str]) -> bool:
    """Say whether these structure types may answer reserved contracts (L2113-12 EA/ESAT, L2113-13 SIAE)."""
    return bool(RESERVED_TYPES.intersection(types or ()))


def reserved_contract_articles(types: list[str] | tuple[str, ...] | set[str]) -> list[str]:
    """Return the articles of the public procurement code under which these types are eligible."""
    articles = []
    if ADAPTED_WORK_TYPES.intersection(types or ()):
        articles.append("L2113-12")
    if SIAE_TYPES.intersection(types or ()):
        articles.append("L2113-13")
    return articles


LONG_TEXT = 4000  # characters of a free-text profile field (offer, needs, references...)


def complete_website(value: str | None) -> str | None:
    """Return the address with https:// added to a bare host ("www.example.org"), as people type it."""
    value = (value or "").strip()
    if value and "://" not in value and ":" not in value.split("/")[0]:
        return "https://" + value
    return value


def website_problem(url: str) -> str | None:
    """Return why a website address is refused ("scheme", "host"), or None for an http(s) address."""
    value = (url or "").strip()
    if has_control_characters(value) or " " in value:
        return "host"
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return "host"
    if parts.scheme.lower() not in ("http", "https"):
        return "scheme"
    labels = host.split(".")
    if len(labels) < 2 or not all(re.fullmatch(r"[a-z0-9\-]{1,63}|xn--[a-z0-9\-]+", p) for p in labels):
        return "host"
    return None
