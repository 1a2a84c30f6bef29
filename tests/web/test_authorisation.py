"""The authorisation matrix: every role, through every API route, on its own agency's data,
on data shared with it, on another agency's unshared data and on guessed ids, gets exactly
the expected answer (SQLite and PostgreSQL)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rasid.access.accounts import Role, Scope
from rasid.access.policy import ROLE_SCOPES
from rasid.ingest.run import IngestRequest, ingest
from rasid.model.markings import Marking
from rasid.screen.hits import record_results
from rasid.screen.model import Match, Subject
from rasid.store import Store
from rasid.web.app import create_app
from tests.web.conftest import write_jsonl
from tests.web.helpers import api_client

PRISONS = [
    {"id": "x-inmate", "schema": "Person", "properties": {"name": ["سالم الحداد"]}},
]
WATCHLIST = [
    {"id": "w-salim", "schema": "Person", "properties": {"name": ["Salim al-Haddad"]}},
]
# Entity ids as each police caller sees them.
OWN, SHARED, OTHER, GUESSED = "o-nur", "p-ahmad", "x-inmate", "p-ahmad-2"


@pytest.fixture(scope="module")
def federation(loaded: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The sample (police; the FIU sharing its reports with the police), plus the prisons'
    unshared register and a hit on the police's own list."""
    folder: Path = tmp_path_factory.mktemp("prisons")
    path = write_jsonl(folder / "prisons.jsonl", PRISONS)
    ingest(loaded, IngestRequest(str(path), "prison_register", agency="prisons"))
    listed = write_jsonl(folder / "watchlist.jsonl", WATCHLIST)
    public = IngestRequest(
        str(listed), "public_list", agency="un", kind="watchlist", marking=Marking.CLEAR
    )
    ingest(loaded, public)
    with loaded.uow() as uow:
        record_results(
            uow.conn,
            Subject("pax-1", "Mohammed Abdullah al-Ahmad"),
            "api",
            [Match("p-ahmad", 0.95, True, "Mohammed Abdullah al-Ahmad", [])],
            {"p-ahmad": "police_records"},
        )
    return loaded


@pytest.fixture(scope="module", params=list(Role))
def caller(request: pytest.FixtureRequest, federation: Store) -> Iterator[tuple[Role, TestClient]]:
    """A police user of each role, with a token of every scope (the role decides)."""
    role: Role = request.param
    with api_client(federation, "police", role) as client:
        yield role, client


def expect(role: Role, scope: Scope, allowed: int) -> int:
    """The status a role gets from a route needing ``scope`` that answers ``allowed``."""
    return allowed if scope in ROLE_SCOPES[role] else 403


def test_reading_entities(caller: tuple[Role, TestClient]) -> None:
    role, client = caller
    for entity_id, found in ((OWN, 200), (SHARED, 200), (OTHER, 404), (GUESSED, 404)):
        response = client.get(f"/api/entities/{entity_id}")
        assert response.status_code == expect(role, Scope.READ, found), (role, entity_id)
    search = client.get("/api/entities", params={"q": "سالم"})
    assert search.status_code == expect(role, Scope.READ, 200)
    if search.status_code == 200:
        assert search.json()["results"] == []  # the prisons' man is not findable
        listed = {e["id"] for e in client.get("/api/entities").json()["results"]}
        assert OTHER not in listed and {OWN, SHARED} <= listed


def test_registry_routes(caller: tuple[Role, TestClient]) -> None:
    role, client = caller
    reads = Scope.READ in ROLE_SCOPES[role]
    datasets = client.get("/api/datasets")
    assert datasets.status_code == 200
    names = {d["name"] for d in datasets.json()}
    assert names == ({"police_records", "fiu_reports", "public_list"} if reads else set())
    agencies = {a["name"]: a["datasets"] for a in client.get("/api/agencies").json()}
    assert agencies["prisons"] == 0  # the directory lists it, with nothing readable
    stats = client.get("/api/stats").json()
    assert stats["datasets"] == len(names)


def test_screening_and_the_review_queue(caller: tuple[Role, TestClient]) -> None:
    role, client = caller
    screened = client.post("/api/screen", json={"subject": {"name": "سالم الحداد"}})
    assert screened.status_code == expect(role, Scope.SCREEN, 200)
    listed = client.get("/api/hits")
    assert listed.status_code == expect(role, Scope.REVIEW, 200)
    if listed.status_code == 200:
        [hit] = [h for h in listed.json()["results"] if h["entity_id"] == "p-ahmad"]
        assert client.get(f"/api/hits/{hit['id']}").status_code == 200
        assert client.get("/api/hits/999999").status_code == 404
    else:
        assert client.get("/api/hits/1").status_code == 403
    decided = client.post("/api/hits/999999/decision", json={"status": "confirmed", "reason": "x"})
    assert decided.status_code == expect(role, Scope.REVIEW, 404)


def test_no_route_answers_without_a_caller(federation: Store) -> None:
    """Every API route but health and the documentation refuses an anonymous call, a
    malformed token and a wrong one."""
    open_routes = {"/api/health"}
    with TestClient(create_app(federation), base_url="https://testserver") as client:
        spec = client.get("/api/openapi.json").json()
        routes = [
            (method.upper(), path)
            for path, item in spec["paths"].items()
            for method in item
            if path not in open_routes
        ]
        assert len(routes) >= 9
        for method, template in routes:
            path = template.replace("{entity_id}", OWN).replace("{hit_id}", "1")
            path = path.replace("{message_id}", "m1").replace("{reshare_id}", "1")
            for headers in (
                {},
                {"Authorization": "Bearer nonsense"},
                {"Authorization": "Basic x"},
            ):
                response = client.request(method, path, headers=headers, json={})
                assert response.status_code == 401, (method, path, headers)
                assert response.headers["www-authenticate"] == "Bearer"
