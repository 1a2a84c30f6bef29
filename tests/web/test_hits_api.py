"""The review queue's JSON API (/api/hits), on both databases."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from rasid.access.accounts import Role
from rasid.access.registry import add_dataset, ensure_agency
from rasid.model.markings import Marking
from rasid.model.registry import Dataset
from rasid.screen.hits import record_results
from rasid.screen.model import Match, Reason, Subject
from rasid.store import Store
from rasid.store.visibility import Visibility
from rasid.web import hits
from rasid.web.deps import readable_datasets, unit_of_work
from tests.web.helpers import session_client

WATCHLISTS = {"un-1": "un_sc", "un-2": "un_sc", "nat-9": "national_list"}


def calls(dependant: Dependant) -> set[object]:
    """Every dependency function a route depends on, directly or not."""
    found: set[object] = {dependant.call}
    for sub in dependant.dependencies:
        found |= calls(sub)
    return found


@pytest.fixture
def queued(store: Store) -> list[int]:
    """Three open hits for one traveller, on two watchlists."""
    subject = Subject("pax-3", "عبد الرحمن الحسن", birth_date="1990-01-02", nationality="YE")
    matches = [
        Match("un-1", 0.97, True, "Abdulrahman Al-Hassan", [Reason("name_part", "same", 0.7)]),
        Match("un-2", 0.9, True, "Abd al-Rahman Hasan", [Reason("nationality", "YE = YE", 0.1)]),
        Match("nat-9", 0.86, True, "عبدالرحمن حسن", []),
    ]
    with store.uow() as uow:
        # The UN list is public (TLP:CLEAR); the national list is the police's.
        ensure_agency(uow.conn, "un")
        ensure_agency(uow.conn, "police")
        add_dataset(uow.conn, Dataset("un_sc", "un", "UN", default_marking=Marking.CLEAR))
        add_dataset(uow.conn, Dataset("national_list", "police", "National list"))
        made = record_results(uow.conn, subject, "api", matches, WATCHLISTS)
    return [h.id for h in made]


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with session_client(store, "police", Role.PIU_OFFICER) as test_client:
        yield test_client


def decision(client: TestClient, hit_id: int, status: str, reason: str = "checked") -> Any:
    body = {"status": status, "reason": reason}
    return client.post(f"/api/hits/{hit_id}/decision", json=body)


def test_list(client: TestClient, queued: list[int]) -> None:
    page = client.get("/api/hits").json()
    assert [h["id"] for h in page["results"]] == queued
    assert page["counts"] == {"new": 3, "confirmed": 0, "dismissed": 0, "escalated": 0}
    first = page["results"][0]
    assert (first["entity_id"], first["watchlist"], first["score"]) == ("un-1", "un_sc", 0.97)
    assert first["explanation"] == [{"feature": "name_part", "detail": "same", "effect": 0.7}]
    assert first["subject"]["name"] == "عبد الرحمن الحسن"
    assert first["next_statuses"] == ["confirmed", "dismissed", "escalated"]
    assert "history" not in first


def test_pages_and_filters(client: TestClient, queued: list[int]) -> None:
    assert decision(client, queued[1], "escalated").status_code == 200
    page = client.get("/api/hits", params={"limit": 2}).json()
    assert page["next_offset"] == 2 and len(page["results"]) == 2
    last = client.get("/api/hits", params={"limit": 2, "offset": 2}).json()
    assert last["next_offset"] is None and [h["id"] for h in last["results"]] == [queued[2]]
    escalated = client.get("/api/hits", params={"status": "escalated"}).json()
    assert [h["id"] for h in escalated["results"]] == [queued[1]]
    assert escalated["status"] == "escalated"
    subject = page["results"][0]["subject"]["id"]
    mine = client.get("/api/hits", params={"subject": subject}).json()
    assert len(mine["results"]) == 3
    assert client.get("/api/hits", params={"subject": "nobody"}).json()["results"] == []


@pytest.mark.parametrize(
    "params", [{"status": "open"}, {"limit": 0}, {"limit": 501}, {"offset": -1}]
)
def test_invalid_parameters(client: TestClient, params: dict[str, Any]) -> None:
    assert client.get("/api/hits", params=params).status_code == 422


def test_one_hit_with_history(client: TestClient, queued: list[int]) -> None:
    body = client.get(f"/api/hits/{queued[0]}").json()
    assert body["history"] == [] and body["status"] == "new"
    decided = decision(client, queued[0], "confirmed", "same passport number as the listing")
    assert decided.status_code == 200
    body = decided.json()
    assert body["status"] == "confirmed" and body["next_statuses"] == ["new"]
    [entry] = body["history"]
    assert entry["from_status"] == "new" and entry["to_status"] == "confirmed"
    assert entry["reviewer"].startswith("police.piu-officer.")  # the signed-in user
    assert entry["reason"] == "same passport number as the listing"
    assert client.get(f"/api/hits/{queued[0]}").json()["history"] == body["history"]


def test_reopen_and_decide_again(client: TestClient, queued: list[int]) -> None:
    assert decision(client, queued[0], "dismissed").status_code == 200
    reopened = decision(client, queued[0], "new", "supervisor: dismissed without the file")
    assert reopened.status_code == 200 and reopened.json()["status"] == "new"
    again = decision(client, queued[0], "escalated").json()
    assert [h["to_status"] for h in again["history"]] == ["dismissed", "new", "escalated"]


def test_unknown_hit_is_404(client: TestClient) -> None:
    for response in (client.get("/api/hits/77"), decision(client, 77, "confirmed")):
        assert response.status_code == 404
        assert response.json() == {"detail": "no hit 77"}


def test_refused_decisions_are_422_and_change_nothing(
    client: TestClient, queued: list[int]
) -> None:
    assert decision(client, queued[0], "confirmed").status_code == 200
    refused = decision(client, queued[0], "dismissed")
    assert refused.status_code == 422
    assert "cannot go from confirmed to dismissed" in refused.json()["detail"]
    assert decision(client, queued[1], "new").status_code == 422  # already new
    assert decision(client, queued[1], "confirmed", "   ").status_code == 422
    assert decision(client, queued[1], "confirmed", "").status_code == 422
    assert decision(client, queued[1], "approved").status_code == 422
    missing = client.post(f"/api/hits/{queued[1]}/decision", json={"status": "confirmed"})
    assert missing.status_code == 422
    assert len(client.get(f"/api/hits/{queued[0]}").json()["history"]) == 1
    assert client.get(f"/api/hits/{queued[1]}").json()["history"] == []


def test_readable_watchlists_limit_the_queue(store: Store, queued: list[int]) -> None:
    client = session_client(store, "police", Role.PIU_OFFICER)
    overrides = client.app.dependency_overrides  # type: ignore[attr-defined]
    overrides[readable_datasets] = lambda: Visibility(frozenset({"national_list"}))
    with client:
        page = client.get("/api/hits").json()
        assert [h["id"] for h in page["results"]] == [queued[2]]
        assert page["counts"]["new"] == 1
        assert client.get(f"/api/hits/{queued[0]}").status_code == 404
        assert decision(client, queued[0], "confirmed").status_code == 404


def test_every_route_reads_through_readable_datasets() -> None:
    routes = [r for r in hits.router.routes if isinstance(r, APIRoute)]
    assert len(routes) == 3
    for route in routes:
        assert unit_of_work in calls(route.dependant), route.path
        assert readable_datasets in calls(route.dependant), route.path


def test_openapi_documents_every_route(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {
        ("/api/hits", "get"),
        ("/api/hits/{hit_id}", "get"),
        ("/api/hits/{hit_id}/decision", "post"),
    }
    for path, method in expected:
        operation = paths[path][method]
        assert operation["summary"] and len(operation.get("description", "")) > 100, path
    post = paths["/api/hits/{hit_id}/decision"]["post"]
    assert {"200", "404", "422"} <= set(post["responses"])
    assert "reviewer" in post["description"] and "signed-in" in post["description"].lower()
