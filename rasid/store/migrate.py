"""Alembic migrations, run programmatically (no alembic.ini needed)."""

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic configuration pointing at Rasid's migrations (and engine, if given)."""
    config = Config()
    config.set_main_option("script_location", "rasid.store:migrations")
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    """The newest migration shipped with this version of Rasid."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to ``revision``."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to ``revision`` ('base' removes every table)."""
    command.downgrade(alembic_config(engine), revision)
