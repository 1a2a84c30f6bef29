"""Dialect-specific full-text index over ``name_index.text_norm`` and queries against it.

SQLite: an FTS5 external-content table kept in step by triggers. PostgreSQL: a generated
``tsvector`` column with a GIN index. Both index text already folded by
``rasid.model.text.normalize_text``, with the 'simple' (no stemming) tokenisation.
"""

from sqlalchemy import Connection, text

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


# ts_rank normalisation 2 divides by the document length, so that, as with bm25, a short
# name matching exactly ranks above a long one containing the same words.
def match_sql(dialect: str, words: list[str]) -> tuple[str, dict[str, str]]:
    """SQL selecting ``statement_id`` and a ``score`` (higher is better) for rows matching
    every word as a prefix, and its parameters. Words must be normalised (``\\w`` only)."""
    if dialect == "sqlite":
        query = " AND ".join(f'"{w}"*' for w in words)
        sql = (
            "SELECT name_index.statement_id AS statement_id, -name_fts.rank AS score "
            "FROM name_fts JOIN name_index ON name_index.id = name_fts.rowid "
            "WHERE name_fts MATCH :query"
        )
        return sql, {"query": query}
    query = " & ".join(f"{w}:*" for w in words)
    sql = (
        "SELECT statement_id, ts_rank(tsv, to_tsquery('simple', :query), 2) AS score "
        "FROM name_index WHERE tsv @@ to_tsquery('simple', :query)"
    )
    return sql, {"query": query}
