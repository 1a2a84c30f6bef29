"""Alembic environment: runs migrations on the engine handed in by rasid.store.migrate."""

from alembic import context
from sqlalchemy import Engine

from rasid.store.tables import metadata

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("Rasid's migrations run through rasid.store.migrate, with an engine")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
