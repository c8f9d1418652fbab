"""The catalogue of the other side: search (accent- and case-free), filters, pages, suggestions."""

from __future__ import annotations

import functools
import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import contains_eager
from sqlalchemy.sql.elements import ColumnElement

from salon import domain
from salon.extensions import db
from salon.models import Organisation, Participant
from salon.services import search, wishes
from salon.services.profiles import normalise_text
from salon.text import lower_first

PER_PAGE = 20
_suggested: OrderedDict[tuple, list[tuple[int, int, str]]] = OrderedDict()
_suggested_lock = threading.Lock()
_STOP_WORDS = frozenset(
    "de des du la le les un une et en pour par sur dans au aux a ou avec nos notre vos votre leur "
    "the and for of to in on".split()
)


@dataclass
class Page:
    """One page of results."""

    items: list[Participant]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


@dataclass
class Filters:
    """What the visitor asked for."""

    q: str = ""
    structure_type: str = ""
    sector: str = ""
    departement: str = ""
    reserved: bool = False
    buyer_kind: str = ""
    side: str = ""  # the side browsed; empty for the other side


def other_side(side: str) -> str:
    """Return the side a participant looks for."""
    return "supplier" if side == "buyer" else "buyer"


def _json_contains(column, code: str) -> ColumnElement[bool]:
    # JSON lists of codes, matched as text on both SQLite and PostgreSQL: '"code"' cannot match a longer code.
    return cast(column, String).like(f'%"{code}"%')


def browsed_side(viewer: Participant, side: str = "") -> str:
    """Return the side shown: the one asked for when the viewer may meet it, else the other side."""
    return side if side in wishes.meetable_sides(viewer) else other_side(viewer.side)


def _conditions(viewer: Participant, side: str = "") -> list[ColumnElement[bool]]:
    return [
        Participant.fair_id == viewer.fair_id,
        Participant.side == browsed_side(viewer, side),
        Participant.status == "approved",
        Participant.id != viewer.id,
    ]


def _base_query(viewer: Participant, side: str = ""):
    # The organisation comes with the participant in the same row: no query per card or suggestion.
    return (
        select(Participant)
        .join(Organisation, Participant.organisation_id == Organisation.id)
        .options(contains_eager(Participant.organisation))
        .where(*_conditions(viewer, side))
    )


def _apply_filters(query, filters: Filters):
    if filters.buyer_kind in domain.BUYER_KIND_LABELS:
        query = query.where(Organisation.buyer_kind == filters.buyer_kind)
    if filters.structure_type in domain.STRUCTURE_TYPE_LABELS:
        query = query.where(_json_contains(Organisation.structure_types, filters.structure_type))
    if filters.sector in domain.SECTOR_LABELS:
        query = query.where(_json_contains(Organisation.sectors, filters.sector))
    if filters.departement in domain.DEPARTEMENTS:
        query = query.where(_json_contains(Organisation.departements, filters.departement))
    if filters.reserved:
        query = query.where(
            or_(*(_json_contains(Organisation.structure_types, t) for t in sorted(domain.RESERVED_TYPES)))
        )
    return query


def search_catalogue(viewer: Participant, filters: Filters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Return one page of approved participants of the other side matching the filters, best match first."""
    query = _apply_filters(_base_query(viewer, filters.side), filters)
    order = [func.lower(Organisation.name), Participant.id]
    hits = search.matching(filters.q)
    if hits is not None:
        query = query.join(hits, hits.c.id == Organisation.id)
        order.insert(0, hits.c.rank)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, min(page, max(1, math.ceil(total / per_page))))
    items = db.session.scalars(query.order_by(*order).offset((page - 1) * per_page).limit(per_page)).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


def catalogue_entry_or_none(viewer: Participant, target_id: int) -> Participant | None:
    """Return an approved participant of the same fair the viewer may meet, or None."""
    for side in wishes.meetable_sides(viewer):
        found = db.session.scalar(_base_query(viewer, side).where(Participant.id == target_id))
        if found is not None:
            return found
    return None


@functools.lru_cache(maxsize=4096)
def _words(*texts: str) -> frozenset[str]:
    # Kept per process: the same profiles are compared on every catalogue page (suggestions).
    return frozenset(
        w for w in normalise_text(" ".join(texts)).split() if len(w) > 3 and w not in _STOP_WORDS
    )


def _display_words(*texts: str) -> dict[str, str]:
    """Map each normalised word to how it is written in the texts ("reemploi" -> "réemploi")."""
    shown: dict[str, str] = {}
    for raw in re.findall(r"\w+", " ".join(texts)):
        shown.setdefault(normalise_text(raw), raw.lower())
    return shown


@dataclass
class Suggestion:
    """A counterpart worth meeting, its score and why, in one line."""

    participant: Participant
    score: int
    reason: str


def match(buyer: Organisation, supplier: Organisation) -> tuple[int, str]:
    """Score how well a buyer's needs and a supplier's offer fit, and explain it in one line."""
    score, reasons = 0, []
    sectors = sorted(set(buyer.sectors or ()) & set(supplier.sectors or ()))
    if sectors:
        score += 3 * len(sectors)
        labels = ", ".join(lower_first(domain.SECTOR_LABELS[s]) for s in sectors if s in domain.SECTOR_LABELS)
        reasons.append(_("common sector: %(sectors)s", sectors=labels))
    deps = set(buyer.departements or ()) & set(supplier.departements or ())
    if deps:
        score += 2
        reasons.append(_("same département") if len(deps) == 1 else _("same départements"))
    covered = _words(*(domain.SECTOR_KEYWORDS.get(s, "") for s in sectors))
    common = sorted(
        (_words(buyer.needs, buyer.purchases_planned) & _words(supplier.offer, supplier.references)) - covered
    )
    if common:
        score += min(len(common), 3)
        shown = _display_words(supplier.offer, supplier.references)
        reasons.append(_("common words: %(words)s", words=", ".join(shown.get(w, w) for w in common[:3])))
    public_buyer = buyer.buyer_kind in domain.PUBLIC_BUYER_KINDS
    if public_buyer and score and domain.reserved_contract_eligible(supplier.structure_types):
        score += 1
        reasons.append(_("eligible for reserved contracts"))
    return score, " ; ".join(reasons)


def _scored(viewer: Participant, limit: int) -> list[tuple[int, int, str]]:
    """Score every counterpart; return (participant id, score, reason) of the best, best first."""
    scored = []
    for other in db.session.scalars(_base_query(viewer)):
        if viewer.side == "buyer":
            score, reason = match(viewer.organisation, other.organisation)
        else:
            score, reason = match(other.organisation, viewer.organisation)
        if score > 0:
            scored.append((other.organisation.name.lower(), other.id, score, reason))
    scored.sort(key=lambda s: (-s[2], s[0], s[1]))
    return [(pid, score, reason) for _name, pid, score, reason in scored[:limit]]


def _suggestions_key(viewer: Participant, limit: int) -> tuple:
    """Return what the suggestions depend on: the viewer's profile, the counterparts' set and profiles."""
    version = db.session.execute(
        select(func.count(Participant.id), func.sum(Participant.id), func.max(Organisation.updated_at))
        .join(Organisation, Participant.organisation_id == Organisation.id)
        .where(*_conditions(viewer))
    ).one()
    org = viewer.organisation
    return (viewer.id, viewer.fair_id, viewer.side, org.id, org.updated_at, tuple(version), limit,
            str(get_locale()))  # fmt: skip


def suggest_counterparts(viewer: Participant, limit: int = 10) -> list[Suggestion]:
    """Return the best-matching participants of the other side, best first, each with its reason.

    The scores are kept per process while neither the viewer's profile nor any counterpart's (set,
    status, profile) changes: a page then loads only the few suggested participants.
    """
    key = _suggestions_key(viewer, limit)
    with _suggested_lock:
        best = _suggested.get(key)
    if best is None:
        best = _scored(viewer, limit)
        with _suggested_lock:
            _suggested[key] = best
            while len(_suggested) > 2048:
                _suggested.popitem(last=False)
    ids = [pid for pid, _score, _reason in best]
    found = {p.id: p for p in db.session.scalars(_base_query(viewer).where(Participant.id.in_(ids)))}
    return [Suggestion(found[pid], score, reason) for pid, score, reason in best if pid in found]
