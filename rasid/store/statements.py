"""Writing and reading statements. Dialect-aware upsert keeps re-loading idempotent."""

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from followthemoney import model
from followthemoney.statement.util import BASE_ID
from followthemoney.types import registry
from sqlalchemy import Connection, Table, delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from rasid.model.markings import Marking
from rasid.model.statement import RasidStatement
from rasid.model.text import normalize_text
from rasid.store.tables import name_index, statement
from rasid.store.visibility import dataset_filter

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
CHUNK = 500  # ids per IN (...) clause

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


def upsert_statements(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert statement rows; a row whose id exists updates the columns that may change."""
    if not rows:
        return
    ins = _insert(conn, statement)
    update = {col: ins.excluded[col] for col in UPDATE_ON_CONFLICT}
    update["first_seen"] = func.min(statement.c.first_seen, ins.excluded.first_seen)
    if conn.dialect.name == "postgresql":
        update["first_seen"] = func.least(statement.c.first_seen, ins.excluded.first_seen)
    conn.execute(ins.on_conflict_do_update(index_elements=["id"], set_=update), list(rows))
    names = [_name_row(r) for r in rows if r["prop"] in NAME_PROPS]
    if names:
        conn.execute(
            _insert(conn, name_index).on_conflict_do_nothing(index_elements=["statement_id"]),
            names,
        )


def _name_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "statement_id": row["id"],
        "entity_id": row["canonical_id"],
        "dataset": row["dataset"],
        "text_norm": normalize_text(row["value"]),
    }


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in ids:
        batch.append(item)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def load_statements(
    conn: Connection, canonical_ids: Iterable[str], datasets: Iterable[str] | None
) -> Iterator[RasidStatement]:
    """The statements about these entities, limited to readable datasets (None: all)."""
    visible = dataset_filter(datasets)
    for batch in _chunks(canonical_ids):
        query = select(statement).where(statement.c.canonical_id.in_(batch))
        if visible is not None:
            query = query.where(visible)
        for row in conn.execute(query.order_by(statement.c.canonical_id, statement.c.prop)):
            yield from_row(row)


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
    """Update the query planner's statistics on the statement tables (after a large write)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE statement, name_index"))
    else:
        conn.execute(text("ANALYZE statement"))
        conn.execute(text("ANALYZE name_index"))


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
