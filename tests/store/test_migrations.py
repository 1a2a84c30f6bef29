from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from rasid.store import Store, open_store
from rasid.store.engine import make_engine
from rasid.store.errors import NotInitialised
from rasid.store.migrate import current_revision, downgrade, head_revision, upgrade
from rasid.store.tables import metadata

# Full-text index objects are dialect-specific DDL, deliberately outside the metadata.
FTS_OBJECTS = {"name_fts", "tsv", "ix_name_index_tsv"}


def _include(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return not (name and (name in FTS_OBJECTS or name.startswith("name_fts")))


def test_migrations_create_exactly_the_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _include})
        assert compare_metadata(context, metadata) == []
    assert current_revision(store.engine) == head_revision()


def test_downgrade_removes_everything_and_upgrade_restores(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    downgrade(engine, "base")
    names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert names == set()
    upgrade(engine)
    assert {"statement", "name_index", "dataset", "agency", "quarantine"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


def test_an_empty_database_is_refused_without_create(database_url: str) -> None:
    try:
        open_store(database_url)
    except NotInitialised as exc:
        assert "rasid init" in str(exc)
    else:
        raise AssertionError("an uninitialised database was accepted")
