"""Shared fixtures: a fresh store on SQLite always, and on PostgreSQL when
RASID_TEST_DATABASE_URL is set (each PostgreSQL test gets a schema of its own)."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from rasid.settings import get_settings
from rasid.store import Store, open_store
from rasid.store.engine import normalise_url

PG_URL = os.environ.get("RASID_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session", autouse=True)
def server_key_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tests' server key file (it seals TOTP secrets), never one in the working folder."""
    path = tmp_path_factory.mktemp("keys") / "rasid.key"
    before = os.environ.get("RASID_SECRET_KEY_FILE")
    os.environ["RASID_SECRET_KEY_FILE"] = str(path)
    get_settings.cache_clear()
    yield path
    if before is None:
        os.environ.pop("RASID_SECRET_KEY_FILE", None)
    else:
        os.environ["RASID_SECRET_KEY_FILE"] = before
    get_settings.cache_clear()


def pg_schema_url(schema: str) -> str:
    """The test database URL with ``schema`` as the connection's search path."""
    assert PG_URL is not None
    url = make_url(normalise_url(PG_URL))
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rasid.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(str(PG_URL)))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A migrated, empty store."""
    opened = open_store(database_url, create=True)
    yield opened
    opened.dispose()


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[str]:
    """Point RASID_DATABASE_URL at the test database (for CLI and app tests)."""
    monkeypatch.setenv("RASID_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()
