"""Dialect-specific full-text index over ``name_index.text_norm`` and queries against it.

SQLite: an FTS5 external-content table kept in step by triggers. PostgreSQL: a generated
``tsvector`` column with a GIN index. Both index text already folded by
``rasid.model.text.normalize_text``, with the 'simple' (no stemming) tokenisation.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    FromClause,
    String,
    bindparam,
    column,
    func,
    literal_column,
    table,
    text,
)

from rasid.store.tables import name_index

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE name_fts USING fts5(text_norm, content='name_index', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER name_index_ai AFTER INSERT ON name_index BEGIN "
    "INSERT INTO name_fts(rowid, text_norm) VALUES (new.id, new.text_norm); END",
    "CREATE TRIGGER name_index_ad AFTER DELETE ON name_index BEGIN "
    "INSERT INTO name_fts(name_fts, rowid, text_norm) VALUES('delete', old.id, old.text_norm);"
    " END",
    "CREATE TRIGGER name_index_au AFTER UPDATE ON name_index BEGIN "
    "INSERT INTO name_fts(name_fts, rowid, text_norm) VALUES('delete', old.id, old.text_norm);"
    " INSERT INTO name_fts(rowid, text_norm) VALUES (new.id, new.text_norm); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS name_index_au",
    "DROP TRIGGER IF EXISTS name_index_ad",
    "DROP TRIGGER IF EXISTS name_index_ai",
    "DROP TABLE IF EXISTS name_fts",
]
POSTGRES_DDL = [
    "ALTER TABLE name_index ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', text_norm)) STORED",
    "CREATE INDEX ix_name_index_tsv ON name_index USING GIN (tsv)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS ix_name_index_tsv",
    "ALTER TABLE name_index DROP COLUMN IF EXISTS tsv",
]


def create(conn: Connection) -> None:
    """Create the full-text index for the connection's dialect."""
    ddl = SQLITE_DDL if conn.dialect.name == "sqlite" else POSTGRES_DDL
    for statement in ddl:
        conn.execute(text(statement))


def drop(conn: Connection) -> None:
    """Remove the full-text index for the connection's dialect."""
    ddl = SQLITE_DROP if conn.dialect.name == "sqlite" else POSTGRES_DROP
    for statement in ddl:
        conn.execute(text(statement))


def settle(conn: Connection) -> None:
    """Fold the names written since the last vacuum into the full-text index proper, after
    a large write (PostgreSQL; SQLite's FTS5 needs nothing).

    PostgreSQL first puts new rows of a GIN index in a pending list, moved into the index
    by a vacuum, or by the write that takes the list past ``gin_pending_list_limit`` (4 MB
    by default). Every search reads the whole list: after an import of a million
    statements it held 23,000 names and made a search take twice as long (bench/README.md,
    API load). A server whose autovacuum is off, or has not come by yet, would keep them
    there."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT gin_clean_pending_list(to_regclass('ix_name_index_tsv'))"))


@dataclass(frozen=True)
class Match:
    """How a query finds the ``name_index`` rows whose name has every word as a prefix:
    the rows to select from (``name_index``, joined with the FTS5 table on SQLite), the
    condition, a score (higher is better) and the parameters of both.

    The score and condition are read on the very rows the query selects: a search that
    matched in a subquery and joined back to ``name_index`` for the entity read the whole
    table for a common word (36 ms against 5 on PostgreSQL, 130,000 names, bench/README.md,
    API load)."""

    rows: FromClause
    condition: ColumnElement[bool]
    score: ColumnElement[Any]
    params: dict[str, str]


_WORDS = bindparam("fts_query", type_=String())
_FTS5 = table("name_fts", column("rowid"), column("rank"))


# ts_rank normalisation 2 divides by the document length, so that, as with bm25, a short
# name matching exactly ranks above a long one containing the same words.
def match(dialect: str, words: list[str]) -> Match:
    """The rows matching every word as a prefix. Words must be normalised (``\\w`` only)."""
    if dialect == "sqlite":
        query = " AND ".join(f'"{w}"*' for w in words)
        rows = name_index.join(_FTS5, _FTS5.c.rowid == name_index.c.id)
        condition = literal_column("name_fts").op("MATCH", return_type=Boolean)(_WORDS)
        return Match(rows, condition, -_FTS5.c.rank, {"fts_query": query})
    query = " & ".join(f"{w}:*" for w in words)
    vector: ColumnElement[Any] = literal_column("name_index.tsv")
    terms = func.to_tsquery(literal_column("'simple'"), _WORDS)
    condition = vector.op("@@", return_type=Boolean)(terms)
    return Match(name_index, condition, func.ts_rank(vector, terms, 2), {"fts_query": query})
