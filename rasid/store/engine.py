"""Engines for SQLite and PostgreSQL, and the Store that hands out units of work."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

from rasid.settings import get_settings
from rasid.store.errors import NotInitialised, StoreError
from rasid.store.uow import UnitOfWork

# SQLite's page cache per connection (its default is 2 MiB): an import of travel files
# looks up every statement it writes in indexes of millions of rows, and with 64 MiB the
# pages it needs stay in memory from one file to the next. A commit by another process
# empties the cache, so two importing processes gain less (bench/README.md, traveller
# screening: parse and store 16 % faster in one process, the whole day 3 % faster with
# two workers). Pages are taken as they are needed: a connection that reads little uses
# little.
SQLITE_CACHE_KIB = 65_536
# Pages of write-ahead log after which a commit copies them into the database file
# (SQLite's default: 1,000): fewer, larger checkpoints write a page that several imports
# changed once. The log restarts from its beginning only when no reader is using it, so
# under constant reading its file grows past this (885 MB in the benchmark's day).
SQLITE_CHECKPOINT_PAGES = 10_000


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}")
    cursor.close()


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL mode and enforced foreign keys."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **_pool())
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise StoreError(
            f"unsupported database {parsed.get_backend_name()!r}: SQLite or PostgreSQL"
        )
    return create_engine(url, pool_pre_ping=True, **_pool())


def _pool() -> dict[str, int]:
    """Connection pool sizes. Together they must cover the web server's worker threads
    (40): a request holding a connection must never wait for a thread that is itself
    waiting for a connection."""
    settings = get_settings()
    return {"pool_size": settings.db_pool_size, "max_overflow": settings.db_pool_overflow}


class Store:
    """The database behind Rasid: an engine plus its migration state."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    def uow(self) -> UnitOfWork:
        """A new unit of work (one transaction)."""
        return UnitOfWork(self.engine)

    def is_empty(self) -> bool:
        """True when the database has no Rasid tables at all."""
        return not inspect(self.engine).has_table("statement")

    def check(self) -> None:
        """Raise NotInitialised unless the schema is at the newest migration."""
        from rasid.store.migrate import current_revision, head_revision

        current, head = current_revision(self.engine), head_revision()
        if current != head:
            raise NotInitialised(
                f"the database is at revision {current or 'none'}, Rasid needs {head}: "
                "run `rasid init`"
            )

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def open_store(url: str, *, create: bool = False) -> Store:
    """Open the store at ``url``. With ``create``, an empty database is initialised first;
    a database at an older revision is never migrated implicitly."""
    store = Store(make_engine(url))
    if create and store.is_empty():
        from rasid.store.migrate import upgrade

        upgrade(store.engine)
    store.check()
    return store
