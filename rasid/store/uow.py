"""The unit of work: one object owns one transaction; services never commit.

    with store.uow() as uow:
        write_statements(uow.conn, rows)

commits when the block ends normally and rolls back on any exception, including
KeyboardInterrupt, so an interrupted import leaves the database as it was.

Writes that every request makes to the same rows (the audit log's head, a token's or a
session's last use) are deferred with ``at_commit``: they run just before the commit, in
the same thread and transaction, so the row locks they take are held for milliseconds.
Taken earlier, such a lock would be held while the request waits for a server thread,
and under load every thread could end up waiting for it.
"""

from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, Insert

from rasid.store.errors import StoreError

_STATE = "rasid_transaction"  # conn.info key: what this transaction keeps until it ends


def transaction_state(conn: Connection) -> dict[str, Any] | None:
    """A dictionary that lives as long as the unit of work owning ``conn`` (None when it
    belongs to none), for services that gather writes until the commit."""
    state: dict[str, Any] | None = conn.info.get(_STATE)
    return state


def at_commit(conn: Connection, write: Callable[[Connection], object], key: str = "") -> None:
    """Run ``write`` just before the unit of work that owns ``conn`` commits (not at all if
    it rolls back); at once when ``conn`` belongs to no unit of work. A ``key`` given again
    in the same transaction replaces the earlier write (the newest touch wins)."""
    state = transaction_state(conn)
    if state is None:
        write(conn)
        return
    hooks: dict[str, Callable[[Connection], object]] = state.setdefault("at_commit", {})
    hooks[key or f"#{len(hooks)}"] = write


def insert_id(conn: Connection, statement: Insert) -> int:
    """Run an INSERT into a table with an integer key and return the new row's key."""
    key = conn.execute(statement).inserted_primary_key
    if key is None:
        raise StoreError("the database returned no id for a new row")
    return int(key[0])


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
        self._conn.info[_STATE] = {}
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self.conn, None
        try:
            state = conn.info.pop(_STATE, {})
            if exc_type is None:
                for write in state.get("at_commit", {}).values():
                    write(conn)
                conn.commit()
            else:
                conn.rollback()
        finally:
            conn.info.pop(_STATE, None)
            conn.close()
