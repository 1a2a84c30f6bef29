"""Writing many rows with one statement, without SQLAlchemy's work per row.

``conn.execute(stmt, rows)`` compiles ``stmt`` once but then, for every row, builds the
parameters afresh and runs each value through its column type's conversion (SQLite keeps
dates as text, for instance). On an import of travel data that was most of the time spent
writing statements (see bench/README.md, traveller screening). ``execute_many`` does the
same work once per distinct value and column instead, and hands the rows to the driver:

* the statement is compiled by SQLAlchemy for the connection's dialect, and kept;
* each value is converted by the same type conversion SQLAlchemy would apply (a date
  column on SQLite is written exactly as SQLAlchemy writes it, so comparisons and reads
  see no difference), memoised per column: an import's rows share most of their dates.

On PostgreSQL ``copy_merge`` goes further for an upsert of many rows: the rows are copied
into a temporary table and merged with one statement.
"""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from psycopg import sql
from sqlalchemy import Connection, Table, column, select, table, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

Build = Callable[[Dialect], ClauseElement]  # makes the statement for a dialect
Convert = Callable[[Any], Any]
Merge = Callable[[postgresql.Insert], Any]  # adds the ON CONFLICT clause to an insert


@dataclass(frozen=True)
class Prepared:
    """A statement compiled for one dialect: its SQL, the parameters it takes in order,
    and the conversion of each (None: the value goes to the driver as it is)."""

    sql: str
    names: tuple[str, ...]
    converters: tuple[Convert | None, ...]
    positional: bool
    constants: dict[str, Any]  # parameters of the statement's own (literals), converted

    def parameters(self, rows: Sequence[dict[str, Any]]) -> list[Any]:
        """The driver's parameters for ``rows``: tuples (positional) or dicts."""
        columns = []
        for name, convert in zip(self.names, self.converters, strict=True):
            if name in self.constants:
                columns.append([self.constants[name]] * len(rows))
                continue
            values = [row[name] for row in rows]
            if convert is not None:
                values = _converted(values, convert)
            columns.append(values)
        if self.positional:
            return list(zip(*columns, strict=True))
        return [dict(zip(self.names, values, strict=True)) for values in zip(*columns, strict=True)]


def _converted(values: list[Any], convert: Convert) -> list[Any]:
    """Each value converted, each distinct value once."""
    seen: dict[Hashable, Any] = {}
    out = []
    for value in values:
        if value not in seen:
            seen[value] = convert(value)
        out.append(seen[value])
    return out


@lru_cache(maxsize=64)
def prepare(dialect: Dialect, build: Build, keys: tuple[str, ...]) -> Prepared:
    """``build(dialect)`` compiled for rows with these keys (kept: ``build`` is a function
    of the module using it, so the same one comes back every time)."""
    compiled = build(dialect).compile(dialect=dialect, column_keys=list(keys))
    assert isinstance(compiled, SQLCompiler)  # a DML statement compiles to one
    names = tuple(compiled.positiontup or compiled.binds)
    converters = tuple(
        compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    # A parameter no row gives is a value written in the statement (``x == ""``).
    constants = {}
    for name, convert in zip(names, converters, strict=True):
        if name not in keys:
            value = compiled.binds[name].effective_value
            constants[name] = convert(value) if convert is not None else value
    return Prepared(str(compiled), names, converters, compiled.positiontup is not None, constants)


def execute_many(conn: Connection, build: Build, rows: Sequence[dict[str, Any]]) -> None:
    """Run the statement ``build`` makes once for each row (rows with the same keys)."""
    if not rows:
        return
    prepared = prepare(conn.dialect, build, tuple(rows[0]))
    conn.exec_driver_sql(prepared.sql, prepared.parameters(rows))


def copy_merge(
    conn: Connection, target: Table, rows: Sequence[dict[str, Any]], merge: Merge
) -> None:
    """PostgreSQL: ``rows`` copied (``COPY``) into a temporary table shaped like ``target``,
    then written to it in one ``INSERT ... SELECT``, to which ``merge`` adds its ON CONFLICT
    clause. The driver sends the rows as one stream and the server writes them in one
    statement, instead of one statement per row each way: about three times faster.

    The rows must have the same keys, and no two the same conflict key (one statement may
    not update a row twice)."""
    stage = f"incoming_{target.name}"
    # ON COMMIT DELETE ROWS: the table stays with the connection, empty between transactions.
    conn.execute(
        text(f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {target.name}) ON COMMIT DELETE ROWS")
    )
    conn.execute(text(f"TRUNCATE {stage}"))
    columns = list(rows[0])
    command = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(stage), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    raw = conn.connection.driver_connection  # psycopg's, in the transaction of ``conn``
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(command) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])
    staged = table(stage, *(column(c) for c in columns))
    insert = postgresql.insert(target).from_select(columns, select(*staged.c))
    conn.execute(merge(insert))
