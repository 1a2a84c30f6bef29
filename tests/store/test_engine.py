from pathlib import Path

from sqlalchemy import text

from rasid.store.engine import SQLITE_CACHE_KIB, SQLITE_CHECKPOINT_PAGES, make_engine


def test_sqlite_connections_get_the_store_settings(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'settings.db'}")
    try:
        with engine.connect() as conn:
            settings = {
                name: conn.execute(text(f"PRAGMA {name}")).scalar_one()
                for name in (
                    "journal_mode",
                    "foreign_keys",
                    "synchronous",
                    "cache_size",
                    "wal_autocheckpoint",
                )
            }
    finally:
        engine.dispose()
    assert settings == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 1,  # NORMAL
        "cache_size": -SQLITE_CACHE_KIB,
        "wal_autocheckpoint": SQLITE_CHECKPOINT_PAGES,
    }
