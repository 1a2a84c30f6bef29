"""The unit of work: one object owns one transaction; services never commit.

    with store.uow() as uow:
        write_statements(uow.conn, rows)

commits when the block ends normally and rolls back on any exception, including
KeyboardInterrupt, so an interrupted import leaves the database as it was.
"""

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine


class UnitOfWork:
    """A transaction on one connection, committed on success and rolled back on error."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    @property
    def conn(self) -> Connection:
        """The connection of the open transaction."""
        if self._conn is None:
            raise RuntimeError("unit of work used outside its `with` block")
        return self._conn

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self._engine.dialect.name

    def __enter__(self) -> Self:
        self._conn = self._engine.connect()
        self._conn.begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self.conn, None
        try:
            if exc_type is None:
                conn.commit()
            else:
                conn.rollback()
        finally:
            conn.close()
