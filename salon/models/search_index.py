"""The organisations' full-text index: SQLite FTS5 or PostgreSQL text search over `search_text`.

`Organisation.search_text` (folded by salon.text.fold) is the one source; the database indexes it:
- SQLite: an FTS5 table (unicode61, remove_diacritics 2) whose rows follow `organisations` by triggers;
- PostgreSQL: a GIN index over to_tsvector('salon_fold', search_text), a configuration that copies `simple`
  (no stemming) with `unaccent` first.
The same statements are created with the tables (create_all) and by migration 0011.
"""

from __future__ import annotations

from sqlalchemy import DDL, event

from salon.models.organisation import Organisation

SQLITE_TABLE = "organisation_search"
# FTS5 keeps its data in shadow tables named after the virtual table.
INDEX_TABLES = frozenset(
    {SQLITE_TABLE, *(f"{SQLITE_TABLE}_{s}" for s in ("data", "idx", "content", "docsize", "config"))}
)
PG_CONFIG = "salon_fold"
PG_INDEX = "ix_organisations_search"

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS organisation_search USING fts5("
    "search_text, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO organisation_search (rowid, search_text) SELECT id, search_text FROM organisations",
    "CREATE TRIGGER IF NOT EXISTS organisations_search_insert AFTER INSERT ON organisations BEGIN "
    "INSERT INTO organisation_search (rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS organisations_search_update AFTER UPDATE OF search_text ON organisations "
    "BEGIN UPDATE organisation_search SET search_text = new.search_text WHERE rowid = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS organisations_search_delete AFTER DELETE ON organisations BEGIN "
    "DELETE FROM organisation_search WHERE rowid = old.id; END",
)
SQLITE_DROP = ("DROP TABLE IF EXISTS organisation_search",)

PG_CREATE = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "DO $$ BEGIN "
    "IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'salon_fold') THEN "
    "CREATE TEXT SEARCH CONFIGURATION salon_fold (COPY = simple); "
    "ALTER TEXT SEARCH CONFIGURATION salon_fold "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple; "
    "END IF; END $$",
    "CREATE INDEX IF NOT EXISTS ix_organisations_search ON organisations "
    "USING gin (to_tsvector('salon_fold'::regconfig, search_text))",
)
PG_DROP = ("DROP INDEX IF EXISTS ix_organisations_search",)


def _listen(when: str, statements: tuple[str, ...], dialect: str) -> None:
    for statement in statements:
        event.listen(Organisation.__table__, when, DDL(statement).execute_if(dialect=dialect))


_listen("after_create", SQLITE_CREATE, "sqlite")
_listen("before_drop", SQLITE_DROP, "sqlite")
_listen("after_create", PG_CREATE, "postgresql")
_listen("before_drop", PG_DROP, "postgresql")


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Tell Alembic's comparison to leave the full-text index's own tables alone."""
    return not ((type_ == "table" and name in INDEX_TABLES) or (type_ == "index" and name == PG_INDEX))
