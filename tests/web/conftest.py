"""Fixtures for the web tests: a store loaded with a small two-agency sample, and clients."""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from rasid.access.policy import share_dataset
from rasid.access.registry import add_agency
from rasid.ingest.run import IngestRequest, ingest
from rasid.model.markings import Marking
from rasid.model.registry import Agency
from rasid.store import Store, open_store
from rasid.store.engine import normalise_url
from tests.conftest import BACKENDS, PG_URL, pg_schema_url
from tests.web.helpers import session_client

XSS_NAME = "<script>alert('x')</script> Evil"

# The police know two men called Muhammad, spelled with and without diacritics, a charity and
# a membership linking them; one name carries markup (pages must escape it) and one id slashes.
POLICE = [
    {
        "id": "p-ahmad",
        "schema": "Person",
        "properties": {
            "name": ["مُحَمَّد عبد الله الأحمد"],
            "alias": ["Mohammed Abdullah al-Ahmad"],
            "birthDate": ["1980-03-15"],
            "nationality": ["sy"],
            "gender": ["male"],
        },
    },
    {
        "id": "p-yusuf",
        "schema": "Person",
        "properties": {"name": ["محمّد يوسف"], "nationality": ["iq"]},
    },
    {
        "id": "o-nur",
        "schema": "Organization",
        "properties": {"name": ["جمعية النور الخيرية"], "alias": ["Al-Nur Charitable Society"]},
    },
    {
        "id": "m-ahmad-nur",
        "schema": "Membership",
        "properties": {"member": ["p-ahmad"], "organization": ["o-nur"], "role": ["Treasurer"]},
    },
    {"id": "p-evil", "schema": "Person", "properties": {"name": [XSS_NAME]}},
    {
        "id": "case/2024/7",
        "schema": "Organization",
        "properties": {"name": ["شركة القلم للتجارة"], "country": ["jo"]},
    },
]


def fiu_statement(prop: str, value: str, **extra: Any) -> dict[str, Any]:
    """A statement line about p-ahmad, as the financial intelligence unit reports it."""
    return {"entity_id": "p-ahmad", "schema": "Person", "prop": prop, "value": value, **extra}


# The FIU adds graded, marked statements about the same man (same id: same entity).
FIU = [
    fiu_statement("id", "p-ahmad"),
    fiu_statement(
        "phone",
        "+963115550100",
        marking="TLP:RED",
        handling="no-onward: no onward sharing without FIU consent",
        source_grade="1",
        info_grade="B",
        legal_basis="AML Law art. 7",
    ),
    fiu_statement("name", "Mohamed Abdallah Al Ahmad", lang="eng", marking="TLP:AMBER+STRICT"),
]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write rows as JSON lines and return the path."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def load_sample(store: Store, folder: Path) -> None:
    """Register the two agencies and import their datasets into ``store``."""
    with store.uow() as uow:
        add_agency(uow.conn, Agency("police", "National Police", "الشرطة الوطنية", "police"))
        add_agency(uow.conn, Agency("fiu", "Financial Intelligence Unit", "وحدة التحريات المالية"))
    police = write_jsonl(folder / "police.jsonl", POLICE)
    ingest(
        store,
        IngestRequest(
            str(police),
            "police_records",
            agency="police",
            title="Police records",
            purpose="Criminal investigations",
            legal_basis="Police Act art. 12",
        ),
    )
    fiu = write_jsonl(folder / "fiu.jsonl", FIU)
    request = IngestRequest(str(fiu), "fiu_reports", agency="fiu", marking=Marking.AMBER)
    ingest(store, request)
    # The FIU shares its reports with the police: all but the statements marked TLP:RED.
    with store.uow() as uow:
        share_dataset(uow.conn, "fiu_reports", "police", "fiu.admin")


@pytest.fixture(scope="module", params=BACKENDS)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A store with the sample loaded, shared by a module's tests (which only read it)."""
    folder = tmp_path_factory.mktemp("web")
    if request.param == "sqlite":
        url, schema = f"sqlite:///{folder / 'rasid.db'}", None
    else:
        schema = f"w_{uuid.uuid4().hex[:12]}"
        url = pg_schema_url(schema)
        _pg_admin(f"CREATE SCHEMA {schema}")
    store = open_store(url, create=True)
    try:
        load_sample(store, folder)
        yield store
    finally:
        store.dispose()
        if schema is not None:
            _pg_admin(f"DROP SCHEMA {schema} CASCADE")


def _pg_admin(sql: str) -> None:
    engine = create_engine(normalise_url(str(PG_URL)))
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


@pytest.fixture
def client(loaded: Store) -> Iterator[TestClient]:
    """A police analyst's signed-in client of the app over the sample (a session, with a
    purpose stated)."""
    with session_client(loaded, "police") as test_client:
        yield test_client


@pytest.fixture
def fiu_client(loaded: Store) -> Iterator[TestClient]:
    """An FIU analyst's signed-in client."""
    with session_client(loaded, "fiu") as test_client:
        yield test_client


@pytest.fixture
def empty_client(store: Store) -> Iterator[TestClient]:
    """A signed-in client of the app over an empty store."""
    with session_client(store, "police") as test_client:
        yield test_client
