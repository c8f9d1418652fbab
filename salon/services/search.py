"""Full-text search of organisations: one interface over SQLite FTS5 and PostgreSQL text search.

Both engines index `Organisation.search_text`, built here from every word a card shows (in French and in
English) and folded by salon.text.fold; a query is folded the same way, so accents, case and "œ" never
matter. Whole words match, the last word of each term by prefix; there are no mid-word matches ("ales" finds
Alès, not "Pyrénées-Orientales"). Synonyms of the fairs' vocabulary ("QPV" and "quartier prioritaire",
"CHU" and "hôpital") are expanded in the query, so both engines return the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import force_locale
from sqlalchemy import func, literal_column, select, text

from salon import domain
from salon.extensions import db
from salon.models import Organisation
from salon.models.search_index import PG_CONFIG, SQLITE_TABLE
from salon.text import fold

# Each group: folded phrases that mean the same thing to a buyer or a supplier of an ESS fair.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("qpv", "quartier prioritaire", "quartiers prioritaires", "quartier politique de la ville"),
    ("chu", "hopital", "hopitaux", "centre hospitalier", "hospital"),
    ("siae", "iae", "insertion par l activite economique", "structure d insertion"),
    ("ea", "entreprise adaptee"),
    ("esat", "etablissement et service d aide par le travail"),
    ("bailleur", "bailleur social", "logement social", "hlm", "office public de l habitat"),
    ("commune", "mairie", "ville de", "municipality"),
    ("epci", "intercommunalite", "communaute de communes", "communaute d agglomeration", "metropole"),
    ("esus", "entreprise solidaire d utilite sociale"),
)
# Words the index adds for what a structure type or buyer kind is called without its label.
_TYPE_WORDS = {
    **{code: "siae iae insertion" for code in domain.SIAE_TYPES},
    "ea": "entreprise adaptee handicap",
    "esat": "esat handicap travail protege",
    "scop": "cooperative",
    "scic": "cooperative",
    "qpv": "qpv quartier prioritaire",
    "commerce_equitable": "commerce equitable",
    "hopital": "chu centre hospitalier",
    "bailleur_social": "logement social hlm",
    "commune": "mairie ville",
}
Term = tuple[tuple[str, ...], ...]  # alternatives (phrases of words); every term of a query must match


def _labels(codes: Iterable[str], labels: dict) -> list[str]:
    words = []
    for code in codes:
        label = labels.get(code)
        if label is not None:
            for locale in ("fr", "en"):
                with force_locale(locale):
                    words.append(str(label))
        words.append(_TYPE_WORDS.get(code, ""))
    return words


def index_text(org: Organisation) -> str:
    """Return the folded text to index: what the card and profile say, in French and English."""
    parts: list[str] = [
        org.name, org.legal_form, org.city, org.postcode, org.territory, org.offer, org.needs,
        org.purchases_planned, org.references, org.capacity, org.ess_status,
    ]  # fmt: skip
    types = list(org.structure_types or ())
    parts += _labels(types, domain.STRUCTURE_TYPE_LABELS)
    parts += _labels([org.buyer_kind] if org.buyer_kind else [], domain.BUYER_KIND_LABELS)
    parts += _labels(org.sectors or (), domain.SECTOR_LABELS)
    parts += [domain.SECTOR_KEYWORDS.get(s, "") for s in org.sectors or ()]
    parts += [f"{d} {domain.DEPARTEMENTS.get(d, '')}" for d in org.departements or ()]
    if domain.reserved_contract_eligible(types):
        parts += _labels(["reserved"], {"reserved": domain.RESERVED_LABEL})
    return fold(" ".join(p for p in parts if p))


def parse_query(query: str) -> list[Term]:
    """Split a query into terms, each the alternatives it stands for (synonym groups expanded)."""
    words, terms, i = fold(query).split(), [], 0
    phrases = {tuple(p.split()): group for group in SYNONYMS for p in group}
    longest = max(len(p) for p in phrases)
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            group = phrases.get(tuple(words[i : i + size]))
            if group is not None:
                terms.append(tuple(tuple(p.split()) for p in group))
                i += size
                break
        else:
            terms.append(((words[i],),))
            i += 1
    return terms


def _fts5(terms: list[Term]) -> str:
    # Every token is quoted (no FTS5 operator can come from the visitor); "..."* makes the last one a prefix.
    def phrase(words: tuple[str, ...]) -> str:
        return '"' + " ".join(words) + '"*'

    return " AND ".join("(" + " OR ".join(phrase(p) for p in term) + ")" for term in terms)


def _tsquery(terms: list[Term]) -> str:
    # Folded words are [a-z0-9]+ only, so they cannot carry tsquery syntax.
    def phrase(words: tuple[str, ...]) -> str:
        return " <-> ".join([*words[:-1], words[-1] + ":*"])

    return " & ".join("(" + " | ".join(f"({phrase(p)})" for p in term) + ")" for term in terms)


def matching(query: str):
    """Return a subquery of (id, rank) of the organisations matching a query, best first by rank; or None."""
    terms = parse_query(query)
    if not terms:
        return None
    if db.session.get_bind().dialect.name == "postgresql":  # the migrations create one of the two indexes
        config = literal_column(f"'{PG_CONFIG}'::regconfig")
        vector = func.to_tsvector(config, Organisation.search_text)
        tsquery = func.to_tsquery(config, _tsquery(terms))
        return (
            select(Organisation.id.label("id"), (-func.ts_rank(vector, tsquery)).label("rank"))
            .where(vector.op("@@")(tsquery))
            .subquery()
        )
    return (
        select(literal_column("rowid").label("id"), literal_column(f"bm25({SQLITE_TABLE})").label("rank"))
        .select_from(text(SQLITE_TABLE))
        .where(text(f"{SQLITE_TABLE} MATCH :fts_query").bindparams(fts_query=_fts5(terms)))
        .subquery()
    )


def reindex_all() -> int:
    """Rewrite every organisation's indexed text (after an upgrade that changes what is indexed)."""
    count = 0
    for org in db.session.scalars(select(Organisation).order_by(Organisation.id)):
        org.search_text = index_text(org)
        count += 1
    db.session.flush()
    return count
