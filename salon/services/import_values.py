"""Cell values to codes, for every vocabulary: codes, the labels shown in the app and common synonyms.

A cell of a list field may hold several values: ";", "|" and line breaks always separate them; ",", "/",
" - ", " et " and "&" separate them unless the words around make a known label ("Restauration, traiteur"
is one sector). Unknown values come back as they are written, for the organiser to pick a code.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from salon import domain
from salon.services import import_synonyms as synonyms
from salon.services.import_columns import header_key

VOCABULARIES = ("side", "structure_types", "buyer_kind", "sectors", "departements")
SINGLE = ("side", "buyer_kind")  # one value per cell
_HARD = re.compile(r"[;|\n\r\u2022]")
_SOFT = re.compile(r"\s*[,/&]\s*|\s+-\s+|\s+et\s+", re.IGNORECASE)
_NAF = re.compile(r"^(\d{2})[.\s]?(\d{2})\s?[A-Za-z]?$")
_STOP = frozenset("a au aux d de du des en et l la le les pour sur un une".split())
Picks = dict[str, list[str]]  # value key -> codes the organiser chose ([] = leave the value out)


def labels(vocabulary: str) -> dict[str, object]:
    """Return the codes of a vocabulary with their labels (lazy, in the page's language)."""
    if vocabulary == "side":
        return {"buyer": _l("Buyer"), "supplier": _l("Supplier")}
    if vocabulary == "departements":
        return {code: domain.departement_label(code) for code in domain.DEPARTEMENTS}
    return {
        "structure_types": domain.STRUCTURE_TYPE_LABELS,
        "buyer_kind": domain.BUYER_KIND_LABELS,
        "sectors": domain.SECTOR_LABELS,
    }[vocabulary]


def written_forms(vocabulary: str) -> dict[str, tuple[str, ...]]:
    """Return each code's accepted forms: code, labels in French and English, synonyms."""
    forms: dict[str, tuple[str, ...]] = {}
    extra = {
        "side": synonyms.SIDE,
        "structure_types": synonyms.STRUCTURE_TYPES,
        "buyer_kind": synonyms.BUYER_KINDS,
        "sectors": synonyms.SECTORS,
    }.get(vocabulary, {})
    for code, label in labels(vocabulary).items():
        with force_locale("fr"):
            french = str(label)
        with force_locale("en"):
            english = str(label)
        forms[code] = (code, french, english, *extra.get(code, ()))
    if vocabulary == "departements":
        for code, name in domain.DEPARTEMENTS.items():
            forms[code] += (name, f"{name} {code}", code.lstrip("0"))
    return forms


@lru_cache(maxsize=len(VOCABULARIES))
def lookup(vocabulary: str) -> dict[str, tuple[str, ...]]:
    """Return value key -> codes for a vocabulary (a region's name gives its départements)."""
    table: dict[str, tuple[str, ...]] = {}
    for code, forms in written_forms(vocabulary).items():
        for form in forms:
            table.setdefault(header_key(form), (code,))
    if vocabulary == "departements":
        for name, deps in domain.REGIONS.values():
            table.setdefault(header_key(name), tuple(deps.split()))
    return table


@dataclass
class Reading:
    """The codes found in one cell, and its values no code matched (key -> as written)."""

    codes: list[str] = field(default_factory=list)
    unknown: dict[str, str] = field(default_factory=dict)
    known: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # key -> (as written, codes)


def read_cell(vocabulary: str, cell: str, picks: Picks | None = None) -> Reading:
    """Return the codes of a cell, using the organiser's picks for values no synonym knows."""
    picks = picks or {}
    reading = Reading()
    for piece in [cell] if vocabulary in SINGLE else _HARD.split(cell):
        parts = [(0, len(piece))] if vocabulary in SINGLE else _parts(piece)
        for text, codes in _match(vocabulary, piece, parts):
            key = header_key(text)
            if codes is not None:
                reading.known.setdefault(key, (text, codes))
            elif key in picks:
                codes = tuple(picks[key])
            else:
                reading.unknown.setdefault(key, text)
                continue
            reading.codes += [c for c in codes if c not in reading.codes]
    return reading


def _parts(piece: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each part of a piece between soft separators."""
    parts, start = [], 0
    for separator in _SOFT.finditer(piece):
        parts.append((start, separator.start()))
        start = separator.end()
    return [*parts, (start, len(piece))]


def _match(vocabulary: str, piece: str, parts: list[tuple[int, int]]) -> list[tuple[str, tuple | None]]:
    """Match the longest known run of parts from the left; runs of unknown parts stay together."""
    found: list[tuple[str, tuple | None]] = []
    i, unknown_from = 0, None
    while i < len(parts):
        j, codes = _longest(vocabulary, piece, parts, i)
        if codes is None:
            unknown_from = i if unknown_from is None else unknown_from
            i += 1
            continue
        if unknown_from is not None:
            found.append((piece[parts[unknown_from][0] : parts[i - 1][1]].strip(), None))
            unknown_from = None
        found.append((piece[parts[i][0] : parts[j][1]].strip(), codes))
        i = j + 1
    if unknown_from is not None:
        found.append((piece[parts[unknown_from][0] :].strip(), None))
    return [(text, codes) for text, codes in found if text]


def _longest(vocabulary: str, piece: str, parts: list[tuple[int, int]], i: int) -> tuple[int, tuple | None]:
    """Return the last part of the longest known run starting at part i, with its codes."""
    for j in range(len(parts) - 1, i - 1, -1):
        codes = _known(vocabulary, piece[parts[i][0] : parts[j][1]].strip())
        if codes is not None:
            return j, codes
    return i, None


def _known(vocabulary: str, text: str) -> tuple[str, ...] | None:
    """Return the codes a written value means, or None."""
    codes = lookup(vocabulary).get(header_key(text))
    if codes is None and vocabulary == "sectors":
        codes = _naf_sector(text)
    if codes is None and vocabulary == "departements":
        number = re.match(r"^\s*(\d{1,3}|2[ab])\b", text, re.IGNORECASE)
        rest = header_key(text[number.end() :]) if number else ""
        code = lookup(vocabulary).get(header_key(number.group(1))) if number else None
        if code and (not rest or header_key(domain.DEPARTEMENTS[code[0]]) == rest):
            codes = code
    return codes


def _naf_sector(text: str) -> tuple[str, ...] | None:
    """Return the sector of a NAF/APE code such as "81.21Z" (the longest known prefix)."""
    found = _NAF.match(text.strip())
    if not found:
        return None
    digits = found.group(1) + found.group(2)
    for length in (4, 2):
        if digits[:length] in synonyms.NAF_SECTORS:
            return (synonyms.NAF_SECTORS[digits[:length]],)
    return None


@lru_cache(maxsize=1024)
def suggest(vocabulary: str, text: str, limit: int = 3) -> list[str]:
    """Return the codes closest to an unknown value (spelling or shared words), best first."""
    key = header_key(text)
    table = lookup(vocabulary)
    scores: dict[str, float] = {}
    for close in difflib.get_close_matches(key, table, n=8, cutoff=0.6):
        score = difflib.SequenceMatcher(None, key, close).ratio()
        for code in table[close]:
            scores[code] = max(scores.get(code, 0.0), score)
    words = set(key.split()) - _STOP
    for candidate, codes in table.items():
        shared = words & set(candidate.split())
        if shared and len(codes) == 1:
            scores[codes[0]] = max(scores.get(codes[0], 0.0), 0.5 + 0.1 * len(shared))
    return sorted(scores, key=lambda code: -scores[code])[:limit]
