"""The statement store: SQLAlchemy Core tables over SQLite or PostgreSQL, one code path."""

from rasid.store.engine import Store, open_store
from rasid.store.uow import UnitOfWork

__all__ = ["Store", "UnitOfWork", "open_store"]
