"""organisation search: SQLite FTS5 table with triggers, or PostgreSQL unaccent text search and GIN index

Revision ID: 0011
Revises: 0003
Create Date: 2026-12-06 08:00:00

"""

from alembic import op


revision = "0011"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen copies of salon/models/search_index.py's statements at this revision.
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
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS organisations_search_insert",
    "DROP TRIGGER IF EXISTS organisations_search_update",
    "DROP TRIGGER IF EXISTS organisations_search_delete",
    "DROP TABLE IF EXISTS organisation_search",
)
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
PG_DROP = ("DROP INDEX IF EXISTS ix_organisations_search", "DROP TEXT SEARCH CONFIGURATION IF EXISTS salon_fold")


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    # search_text written before this revision lacks the type labels: `salon reindex-search` rewrites it.
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_CREATE)
    elif dialect == "postgresql":
        _run(PG_CREATE)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DROP)
    elif dialect == "postgresql":
        _run(PG_DROP)
