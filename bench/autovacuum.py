"""What PostgreSQL's autovacuum would do, for a benchmark server where it is off.

Autovacuum is on in a default installation. Without it, no page is ever marked all-visible,
so the planner cannot use an index-only scan. Planner statistics are also only refreshed by
the import itself. On a table that grows by millions of rows, queries that an index
answers in milliseconds then become scans of the whole table: the screener's check of
whether the watchlists changed took 1 s per file after a third of the day. This stand-in
applies autovacuum's default thresholds while the day is imported:

* ``VACUUM (ANALYZE)`` a table when the rows inserted since its last vacuum exceed 1,000 +
  20 % of it (``autovacuum_vacuum_insert_threshold`` and ``..._scale_factor``), or its
  dead rows exceed 50 + 20 %;
* ``ANALYZE`` it when the rows changed since its last analysis exceed 50 + 10 %.
"""

import threading
import time
from typing import Any

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from rasid.store.engine import Store, normalise_url

# The tables of the database's own schemas: other sessions' temporary tables (the import's
# staging tables) are listed too, and cannot be touched.
TABLES = text(
    "SELECT quote_ident(s.schemaname) || '.' || quote_ident(s.relname), s.n_ins_since_vacuum, "
    "s.n_dead_tup, s.n_mod_since_analyze, greatest(c.reltuples, 0) "
    "FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
    "WHERE s.schemaname NOT LIKE 'pg\\_temp\\_%' AND c.relpersistence = 'p'"
)


def vacuum(store: Store, tables: str = "statement, name_index") -> float:
    """``VACUUM (ANALYZE)`` the tables at once (outside a transaction); the seconds it took."""
    start = time.perf_counter()
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"VACUUM (ANALYZE) {tables}"))
    return round(time.perf_counter() - start, 1)


def due(conn: Connection) -> list[tuple[str, str]]:
    """(table, VACUUM (ANALYZE) or ANALYZE) for each table autovacuum would work on now."""
    found = []
    for name, inserted, dead, changed, rows in conn.execute(TABLES):
        if inserted > 1000 + 0.2 * rows or dead > 50 + 0.2 * rows:
            found.append((name, "VACUUM (ANALYZE)"))
        elif changed > 50 + 0.1 * rows:
            found.append((name, "ANALYZE"))
    return found


class Autovacuum(threading.Thread):
    """Checks every ``interval`` seconds, like autovacuum's naptime, until stopped; counts
    what it ran and how long that took."""

    def __init__(self, url: str, interval: float = 30.0) -> None:
        super().__init__(name="autovacuum", daemon=True)
        # No pooled connection: the day's workers are forked while this thread sleeps, and
        # must inherit no open connection of it.
        self.engine = create_engine(normalise_url(url), poolclass=NullPool)
        self.interval = interval
        self.halt = threading.Event()
        self.runs: dict[str, int] = {"VACUUM (ANALYZE)": 0, "ANALYZE": 0}
        self.seconds = 0.0
        self.errors: list[str] = []

    def run(self) -> None:
        engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        while not self.halt.wait(self.interval):
            with engine.connect() as conn:
                for table, command in due(conn):
                    start = time.perf_counter()
                    try:
                        conn.execute(text(f"{command} {table}"))
                    except DBAPIError as exc:  # a table dropped meanwhile: try next time
                        self.errors.append(f"{command} {table}: {exc.orig}")
                        continue
                    self.seconds += time.perf_counter() - start
                    self.runs[command] += 1

    def stop(self) -> dict[str, Any]:
        """Stop (after the work in hand) and say what was done."""
        self.halt.set()
        self.join()
        self.engine.dispose()
        return {"runs": self.runs, "seconds": round(self.seconds, 1), "errors": self.errors[:10]}
