"""Writing and reading statements. Dialect-aware upsert keeps re-loading idempotent."""

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from followthemoney import model
from followthemoney.statement.util import BASE_ID
from followthemoney.types import registry
from sqlalchemy import ColumnElement, Connection, Table, and_, delete, func, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from rasid.model.markings import Marking
from rasid.model.statement import RasidStatement
from rasid.model.text import normalize_text
from rasid.store.bulk import copy_merge, execute_many
from rasid.store.chunks import chunks
from rasid.store.tables import name_index, statement
from rasid.store.visibility import dataset_filter, masker

# On a repeated claim: the claim is seen again (last_seen) and may have been re-marked or
# re-graded. first_seen and the retention dates derived from it stay as first recorded.
UPDATE_ON_CONFLICT = (
    "last_seen",
    "marking",
    "handling",
    "source_grade",
    "info_grade",
    "legal_basis",
    "origin",
)
SQLITE_ANALYSIS_LIMIT = 10_000  # index entries SQLite's ANALYZE reads per index
COPY_FROM = 200  # statements written at once from which PostgreSQL gets them by COPY

# Properties indexed for name search: FtM's name-typed properties, less the hidden ones that
# FtM derives from other entities (namesMentioned on a Membership, for instance).
NAME_PROPS = frozenset(
    prop.name
    for schema in model.schemata.values()
    for prop in schema.properties.values()
    if prop.type == registry.name and not prop.hidden
)


def utcnow() -> datetime:
    """The current UTC time, naive (how the store keeps timestamps), to the second."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def parse_seen(value: str | datetime | None, default: datetime) -> datetime:
    """Read an FtM ISO timestamp (or None) into the store's naive UTC datetime."""
    if value is None or value == "":
        return default
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def to_row(stmt: RasidStatement, now: datetime) -> dict[str, Any]:
    """The database row for a statement (timestamps default to ``now``)."""
    first = parse_seen(stmt.first_seen, now)
    return {
        "id": stmt.id,
        "entity_id": stmt.entity_id,
        "canonical_id": stmt.canonical_id or stmt.entity_id,
        "schema": stmt.schema,
        "prop": stmt.prop,
        "prop_type": stmt.prop_type,
        "value": stmt.value,
        "lang": stmt.lang,
        # The original text is kept as given, less NUL characters no database stores.
        "original_value": stmt.original_value.replace("\x00", "") if stmt.original_value else None,
        "dataset": stmt.dataset,
        "origin": stmt.origin,
        "external": stmt.external,
        "first_seen": first,
        "last_seen": parse_seen(stmt.last_seen, max(first, now)),
        "marking": str(stmt.marking),
        "handling": stmt.handling,
        "source_grade": stmt.source_grade,
        "info_grade": stmt.info_grade,
        "legal_basis": stmt.legal_basis,
        "retention_class": stmt.retention_class,
        "mask_after": stmt.mask_after,
        "delete_after": stmt.delete_after,
    }


def from_row(row: Any) -> RasidStatement:
    """A statement from a database row."""
    return RasidStatement(
        row.entity_id,
        row.prop,
        row.schema,
        row.value,
        row.dataset,
        lang=row.lang,
        original_value=row.original_value,
        first_seen=row.first_seen.isoformat(),
        external=row.external,
        id=row.id,
        canonical_id=row.canonical_id,
        last_seen=row.last_seen.isoformat(),
        origin=row.origin,
        marking=Marking(row.marking),
        handling=row.handling,
        source_grade=row.source_grade,
        info_grade=row.info_grade,
        legal_basis=row.legal_basis,
        retention_class=row.retention_class,
        mask_after=_as_date(row.mask_after),
        delete_after=_as_date(row.delete_after),
    )


def _as_date(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _insert(conn: Connection, table: Table) -> Any:
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table)


def _dialect_insert(dialect: Dialect, table: Table) -> Any:
    module = postgresql if dialect.name == "postgresql" else sqlite
    return module.insert(table)


def _upsert(dialect: Dialect) -> Any:
    """Insert a statement; a known one is seen again (``UPDATE_ON_CONFLICT``), its
    first_seen the earlier of the two."""
    return _seen_again(_dialect_insert(dialect, statement), dialect.name)


def _seen_again(ins: Any, dialect: str = "postgresql") -> Any:
    """An insert of statements made an upsert (see ``_upsert``)."""
    update = {col: ins.excluded[col] for col in UPDATE_ON_CONFLICT}
    earliest = func.least if dialect == "postgresql" else func.min
    update["first_seen"] = earliest(statement.c.first_seen, ins.excluded.first_seen)
    return ins.on_conflict_do_update(index_elements=["id"], set_=update)


def _add_names(dialect: Dialect) -> Any:
    ins = _dialect_insert(dialect, name_index)
    return ins.on_conflict_do_nothing(index_elements=["statement_id"])


def upsert_statements(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert statement rows; a row whose id exists updates the columns that may change.
    (Rows of an import come by the thousand: ``execute_many`` writes them, and on
    PostgreSQL ``copy_merge`` when they are many and each id comes once.)"""
    many = conn.dialect.name == "postgresql" and len(rows) >= COPY_FROM
    if many and len({r["id"] for r in rows}) == len(rows):
        copy_merge(conn, statement, rows, _seen_again)
    else:
        execute_many(conn, _upsert, rows)
    execute_many(conn, _add_names, [_name_row(r) for r in rows if r["prop"] in NAME_PROPS])


def _name_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "statement_id": row["id"],
        "entity_id": row["canonical_id"],
        "dataset": row["dataset"],
        "text_norm": normalize_text(row["value"]),
    }


def of_entities(ids: Any) -> ColumnElement[bool]:
    """Statements whose ``entity_id`` is one of ``ids`` (a list, or a subquery of ids), in a
    form both indexes serve: an entity's own statements carry its id as ``canonical_id``
    unless it was merged into another, and only the merged ones are in the index on
    ``entity_id`` (``ix_statement_entity_id_merged``, whose condition the second branch
    repeats so that the database may use it)."""
    c = statement.c
    return or_(
        and_(c.canonical_id.in_(ids), c.entity_id == c.canonical_id),
        and_(c.entity_id.in_(ids), c.entity_id != c.canonical_id),
    )


def load_statements(
    conn: Connection, canonical_ids: Iterable[str], datasets: Iterable[str] | None
) -> Iterator[RasidStatement]:
    """The statements about these entities, limited to readable datasets (None: all), as
    the read's masking shows them (several masked values of one property of an entity in
    one dataset show as one)."""
    visible = dataset_filter(datasets)
    masking = masker(datasets)
    shown: set[str] = set()
    for batch in chunks(canonical_ids):
        query = select(statement).where(statement.c.canonical_id.in_(batch))
        if visible is not None:
            query = query.where(visible)
        for row in conn.execute(query.order_by(statement.c.canonical_id, statement.c.prop)):
            stmt = from_row(row)
            if masking is not None:
                stmt = masking.statement(stmt)
                if stmt.id != row.id:  # masked
                    if stmt.id in shown:
                        continue  # the same masked value is shown already
                    shown.add(str(stmt.id))
            yield stmt


def iter_dataset_statements(conn: Connection, dataset: str) -> Iterator[RasidStatement]:
    """Every statement of one dataset, grouped by entity."""
    query = (
        select(statement)
        .where(statement.c.dataset == dataset)
        .order_by(statement.c.canonical_id, statement.c.prop, statement.c.id)
    )
    for row in conn.execute(query.execution_options(yield_per=2000)):
        yield from_row(row)


def delete_unseen(conn: Connection, dataset: str, since: datetime) -> int:
    """Delete a dataset's statements not seen since ``since`` (a replacing import)."""
    ids = select(statement.c.id).where(
        statement.c.dataset == dataset, statement.c.last_seen < since
    )
    conn.execute(delete(name_index).where(name_index.c.statement_id.in_(ids)))
    result = conn.execute(
        delete(statement).where(statement.c.dataset == dataset, statement.c.last_seen < since)
    )
    return int(result.rowcount or 0)


def refresh_statistics(conn: Connection) -> None:
    """Update the query planner's statistics on the statement tables (after a large write).

    SQLite reads a sample of each index (``analysis_limit``), as PostgreSQL always does:
    a full pass over a table of millions of statements takes seconds and gives the planner
    nothing more it needs."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE statement, name_index"))
        return
    conn.execute(text(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}"))
    try:
        conn.execute(text("ANALYZE statement"))
        conn.execute(text("ANALYZE name_index"))
    finally:
        conn.execute(text("PRAGMA analysis_limit=0"))


def statistics_outdated(conn: Connection) -> bool:
    """True when the planner has no statistics on the statement table, or took them when
    the table held less than half of what it holds now (PostgreSQL: fewer rows than have
    changed since). Cheap: it reads the statistics and an index's end, never the table."""
    if conn.dialect.name == "postgresql":
        row = conn.execute(
            text(
                "SELECT c.reltuples, s.n_mod_since_analyze FROM pg_class c "
                "JOIN pg_stat_user_tables s ON s.relid = c.oid "
                "WHERE c.oid = to_regclass('statement')"
            )
        ).first()
        return row is None or row[0] <= 0 or row[1] > row[0]
    known = conn.execute(
        text("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
    ).first()
    stats: list[str] = []
    if known is not None:
        query = text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'statement'")
        stats = [str(stat) for stat in conn.execute(query).scalars() if stat]
    # Each index's entry starts with the rows it covers (a partial index covers fewer).
    counted = max((int(stat.split()[0]) for stat in stats), default=0)
    if counted == 0:
        return True
    # Rowids only grow as rows are added: the largest is an upper bound of the rows.
    rows = conn.execute(text("SELECT max(rowid) FROM statement")).scalar() or 0
    return int(rows) > 2 * counted


def count_statements(conn: Connection, datasets: Iterable[str] | None = None) -> int:
    """How many statements the (readable) datasets hold."""
    query = select(func.count()).select_from(statement)
    visible = dataset_filter(datasets)
    if visible is not None:
        query = query.where(visible)
    return int(conn.execute(query).scalar_one())


def entities_by_schema(conn: Connection, datasets: Iterable[str] | None = None) -> dict[str, int]:
    """Entity counts by schema: one entity per id statement (FtM's BASE_ID)."""
    query = (
        select(statement.c.schema, func.count(func.distinct(statement.c.canonical_id)))
        .where(statement.c.prop == BASE_ID)
        .group_by(statement.c.schema)
    )
    visible = dataset_filter(datasets)
    if visible is not None:
        query = query.where(visible)
    return {schema: int(n) for schema, n in conn.execute(query)}
