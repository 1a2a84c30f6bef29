"""The JSON API on the sample data, on SQLite and (when configured) PostgreSQL."""

from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from rasid.model.errors import ModelError
from rasid.store import Store
from rasid.store.errors import NotInitialised
from rasid.store.visibility import Visibility
from rasid.web import api, apidocs, pages, views
from rasid.web.deps import readable_datasets, unit_of_work
from tests.web.helpers import session_client

ALL_IDS = {"p-ahmad", "p-yusuf", "o-nur", "m-ahmad-nur", "p-evil", "case/2024/7"}


def ids(page: dict[str, Any]) -> list[str]:
    """The entity ids of a page of results."""
    return [e["id"] for e in page["results"]]


def test_health(client: TestClient, loaded: Store) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["version"]
    assert body["database"] == loaded.dialect
    assert body["migrations_ok"] is True
    assert body["revision"] == body["head"]


def test_health_answers_503_when_the_database_is_behind(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api, "head_revision", lambda: "9999")
    response = client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["migrations_ok"] is False


def test_search_folds_arabic_spellings(client: TestClient) -> None:
    # The sample spells the name مُحَمَّد (full vowels) and محمّد (shadda only).
    for spelling in ("محمد", "مُحَمَّد", "محمّد", "محمـــد"):
        page = client.get("/api/entities", params={"q": spelling}).json()
        assert set(ids(page)) == {"p-ahmad", "p-yusuf"}, spelling
        assert page["q"] == spelling


def test_search_in_latin_script_and_by_prefix(client: TestClient) -> None:
    assert ids(client.get("/api/entities", params={"q": "mohammed abdul"}).json()) == ["p-ahmad"]
    assert ids(client.get("/api/entities", params={"q": "al-nur"}).json()) == ["o-nur"]
    assert ids(client.get("/api/entities", params={"q": "zzzz"}).json()) == []


def test_search_result_shape(client: TestClient) -> None:
    result = client.get("/api/entities", params={"q": "يوسف"}).json()["results"][0]
    assert result == {
        "id": "p-yusuf",
        "schema": "Person",
        "caption": "محمّد يوسف",
        "datasets": ["police_records"],
        "properties": {"name": ["محمّد يوسف"], "nationality": ["iq"]},
    }


def test_schema_filter(client: TestClient) -> None:
    people = client.get("/api/entities", params={"schema": "Person"}).json()
    assert set(ids(people)) == {"p-ahmad", "p-yusuf", "p-evil"}
    assert people["schema"] == "Person"
    legal = client.get("/api/entities", params={"schema": "LegalEntity"}).json()
    assert set(ids(legal)) == {"p-ahmad", "p-yusuf", "p-evil", "o-nur", "case/2024/7"}
    orgs = client.get("/api/entities", params={"q": "محمد", "schema": "Organization"}).json()
    assert ids(orgs) == []


def test_unknown_schema_is_422(client: TestClient) -> None:
    response = client.get("/api/entities", params={"schema": "Spaceship"})
    assert response.status_code == 422
    assert "Spaceship" in response.json()["detail"]


def test_list_pages_without_total(client: TestClient) -> None:
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = client.get("/api/entities", params={"limit": 4, "offset": offset}).json()
        assert page["limit"] == 4 and page["offset"] == offset
        assert "total" not in page
        seen += ids(page)
        offset = page["next_offset"]
    assert sorted(seen) == sorted(ALL_IDS)
    assert len(seen) == len(ALL_IDS)


@pytest.mark.parametrize("limit", ["0", "501", "-1", "ten"])
def test_limit_is_validated(client: TestClient, limit: str) -> None:
    response = client.get("/api/entities", params={"limit": limit})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


def test_limit_bounds_are_accepted(client: TestClient) -> None:
    assert client.get("/api/entities", params={"limit": 1}).status_code == 200
    assert client.get("/api/entities", params={"limit": 500}).status_code == 200
    assert client.get("/api/entities", params={"offset": -1}).status_code == 422


def statement(body: dict[str, Any], prop: str, dataset: str) -> dict[str, Any]:
    """The one statement of ``prop`` from ``dataset`` in an entity answer."""
    found = [s for s in body["statements"] if s["prop"] == prop and s["dataset"] == dataset]
    assert len(found) == 1, found
    return found[0]


def test_entity_with_provenance(client: TestClient, fiu_client: TestClient) -> None:
    # The police read the FIU's shared report, but not its TLP:RED phone number.
    police = client.get("/api/entities/p-ahmad").json()
    assert police["datasets"] == ["fiu_reports", "police_records"]
    assert "phone" not in police["properties"]
    assert statement(police, "name", "fiu_reports")["marking"] == "TLP:AMBER+STRICT"
    # The FIU reads all of its own statements, and only those: the police do not share.
    body = fiu_client.get("/api/entities/p-ahmad").json()
    assert body["schema"] == "Person"
    names = {"مُحَمَّد عبد الله الأحمد", "Mohamed Abdallah Al Ahmad"}
    assert set(police["properties"]["name"]) == names
    assert body["grading_scale"] == "uk-3x5x2"
    assert body["datasets"] == ["fiu_reports"]
    assert body["properties"]["name"] == ["Mohamed Abdallah Al Ahmad"]
    phone = statement(body, "phone", "fiu_reports")
    assert phone["agency"] == "fiu"
    assert phone["marking"] == "TLP:RED"
    assert phone["handling"] == "no-onward: no onward sharing without FIU consent"
    [condition] = phone["conditions"]
    assert condition["code"] == "no-onward" and condition["label_ar"]
    assert phone["source_grade"] == {"code": "1", "label": "Reliable", "label_ar": "موثوق"}
    assert phone["info_grade"]["code"] == "B"
    assert phone["info_grade"]["label"] == "Known indirectly to the source but corroborated"
    assert phone["legal_basis"] == "AML Law art. 7"
    assert phone["retention_class"] == "intelligence-5y"
    assert phone["delete_after"] > phone["first_seen"][:10]
    assert phone["first_seen"] <= phone["last_seen"]
    name = statement(police, "name", "police_records")
    assert name["agency"] == "police"
    assert name["marking"] == "TLP:AMBER"
    assert name["legal_basis"] == "Police Act art. 12"
    assert name["source_grade"] is None and name["info_grade"] is None
    assert statement(body, "name", "fiu_reports")["lang"] == "eng"
    assert all(s["prop"] != "id" for s in body["statements"] + police["statements"])


def test_entity_id_with_slashes(client: TestClient) -> None:
    body = client.get("/api/entities/case%2F2024%2F7").json()
    assert body["id"] == "case/2024/7"


def test_unknown_entity_is_404_json(client: TestClient) -> None:
    response = client.get("/api/entities/no-such-entity")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert "no-such-entity" in response.json()["detail"]


def test_datasets(client: TestClient) -> None:
    found = {d["name"]: d for d in client.get("/api/datasets").json()}
    assert set(found) == {"police_records", "fiu_reports"}
    police = found["police_records"]
    assert police["agency"] == "police"
    assert police["agency_label_ar"] == "الشرطة الوطنية"
    assert police["title"] == "Police records"
    assert police["legal_basis"] == "Police Act art. 12"
    assert police["default_marking"] == "TLP:AMBER"
    assert police["entities"] == 6
    assert found["fiu_reports"]["entities"] == 1
    assert found["fiu_reports"]["statements"] == 3
    assert police["quarantined"] == 0


def test_agencies(client: TestClient) -> None:
    found = client.get("/api/agencies").json()
    assert [a["name"] for a in found] == ["fiu", "police"]
    assert found[1] == {
        "name": "police",
        "label": "National Police",
        "label_ar": "الشرطة الوطنية",
        "kind": "police",
        "datasets": 1,
    }


def test_stats(client: TestClient) -> None:
    body = client.get("/api/stats").json()
    assert body["entities_by_schema"] == {"Membership": 1, "Organization": 2, "Person": 3}
    # p-ahmad has an id statement in both datasets but is one Person.
    assert body["entities"] == 6
    assert body["datasets"] == 2
    assert body["statements"] > 20
    assert body["quarantined"] == 0


def test_empty_store(empty_client: TestClient) -> None:
    assert empty_client.get("/api/stats").json() == {
        "entities": 0,
        "entities_by_schema": {},
        "statements": 0,
        "datasets": 0,
        "quarantined": 0,
    }
    page = empty_client.get("/api/entities", params={"q": "محمد"}).json()
    assert page["results"] == [] and page["next_offset"] is None


def test_every_route_reads_through_readable_datasets(loaded: Store) -> None:
    client = session_client(loaded, "police")
    overrides = client.app.dependency_overrides  # type: ignore[attr-defined]
    overrides[readable_datasets] = lambda: Visibility(frozenset({"police_records"}))
    with client:
        body = client.get("/api/entities/p-ahmad").json()
        assert body["datasets"] == ["police_records"]
        assert "phone" not in body["properties"]
        assert {s["dataset"] for s in body["statements"]} == {"police_records"}
        # The FIU's spelling of the name is not searchable without the FIU's dataset.
        assert ids(client.get("/api/entities", params={"q": "abdallah"}).json()) == []
        assert [d["name"] for d in client.get("/api/datasets").json()] == ["police_records"]
        stats = client.get("/api/stats").json()
        assert stats["datasets"] == 1 and stats["statements"] < 25
        agencies = {a["name"]: a["datasets"] for a in client.get("/api/agencies").json()}
        assert agencies == {"fiu": 0, "police": 1}
    overrides[readable_datasets] = lambda: Visibility(frozenset({"fiu_reports"}))
    with client:
        assert ids(client.get("/api/entities").json()) == ["p-ahmad"]
        assert client.get("/api/entities/o-nur").status_code == 404
        assert client.get("/entities/o-nur").status_code == 404


def calls(dependant: Dependant) -> set[object]:
    """Every dependency function a route depends on, directly or not."""
    found: set[object] = {dependant.call}
    for sub in dependant.dependencies:
        found |= calls(sub)
    return found


def test_every_route_with_a_transaction_declares_readable_datasets() -> None:
    routers = (api.router, pages.router, apidocs.router)
    routes = [r for router in routers for r in router.routes if isinstance(r, APIRoute)]
    with_uow = [r for r in routes if unit_of_work in calls(r.dependant)]
    assert len(with_uow) >= 8  # five API routes and three pages
    for route in with_uow:
        assert readable_datasets in calls(route.dependant), route.path


@pytest.mark.parametrize(
    ("error", "status"), [(NotInitialised("run rasid init"), 503), (ModelError("bad"), 422)]
)
def test_errors_map_to_statuses(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, error: Exception, status: int
) -> None:
    def fail(*_args: object) -> None:
        raise error

    monkeypatch.setattr(views, "stats", fail)
    response = client.get("/api/stats")
    assert response.status_code == status
    assert response.json() == {"detail": str(error)}
    page = client.get("/datasets")
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")


def test_openapi_documents_every_route(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert spec["info"]["title"] == "Rasid API"
    expected = {
        "/api/health",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/datasets",
        "/api/agencies",
        "/api/stats",
        "/api/screen",
        "/api/hits",
        "/api/hits/{hit_id}",
        "/api/hits/{hit_id}/decision",
        "/api/audit",
        "/api/messages",
        "/api/messages/overdue",
        "/api/messages/{message_id}",
        "/api/messages/{message_id}/acknowledge",
        "/api/messages/{message_id}/reshare",
        "/api/reshares",
        "/api/reshares/{reshare_id}/decision",
        "/api/retention/status",
        "/api/retention/runs",
        "/api/retention/run",
        "/api/retention/unmask",
        "/api/retention/unmask/{request_id}",
        "/api/retention/unmask/{request_id}/decision",
        "/api/retention/unmask/{request_id}/data",
        "/api/flights",
        "/api/flights/{flight_id}",
        "/api/travel/quality",
        "/api/travel/check",
        "/api/rules",
        "/api/rules/vocabulary",
        "/api/rules/{rule_id}",
        "/api/rules/{rule_id}/disable",
        "/api/rules/{rule_id}/enable",
        "/api/resolve/pairs",
        "/api/resolve/pair",
        "/api/resolve/judge",
        "/api/resolve/undo",
        "/api/resolve/run",
        "/api/resolve/judgements",
        "/api/graph/neighbours",
        "/api/graph/paths",
        "/api/graph/communities",
        "/api/graph/centrality",
        "/api/graph/timeline",
        "/api/graph/bridges",
        "/api/graph/export",
        "/api/monitor/instrument",
        "/api/monitor/subjects",
        "/api/monitor/subjects/{subject_id}/changes",
        "/api/monitor/assessments",
        "/api/monitor/assessments/{assessment_id}",
        "/api/monitor/assessments/{assessment_id}/ratings",
        "/api/monitor/assessments/{assessment_id}/submit",
        "/api/monitor/assessments/{assessment_id}/approve",
        "/api/monitor/assessments/{assessment_id}/send-back",
        "/api/monitor/assessments/{assessment_id}/suggestions",
        "/api/monitor/assessments/{assessment_id}/judgements",
        "/api/monitor/alerts",
        "/api/monitor/alerts/{alert_id}/dismiss",
        "/api/monitor/series",
        "/api/monitor/series/advice",
        "/api/assist/coverage",
        "/api/assist/documents",
        "/api/assist/documents/{doc_id}",
        "/api/assist/documents/{doc_id}/release",
        "/api/assist/duplicates",
        "/api/assist/duplicates/notes",
        "/api/assist/indicators/{ind_id}",
        "/api/assist/indicators/{ind_id}/actuals",
        "/api/assist/indicators/{ind_id}/links",
        "/api/assist/needs",
        "/api/assist/needs/{need_id}",
        "/api/assist/needs/{need_id}/matches",
        "/api/assist/needs/{need_id}/matches/{project_id}",
        "/api/assist/needs/{need_id}/targets",
        "/api/assist/needs/{need_id}/trace",
        "/api/assist/projects",
        "/api/assist/projects.xml",
        "/api/assist/projects/import",
        "/api/assist/projects/{project_id}",
        "/api/assist/projects/{project_id}/status",
        "/api/assist/rates",
        "/api/assist/requirements",
        "/api/assist/roadmaps",
        "/api/assist/roadmaps/{roadmap_id}",
        "/api/assist/roadmaps/{roadmap_id}/progress",
        "/api/assist/roadmaps/{roadmap_id}/steps",
        "/api/assist/steps/{step_id}",
        "/api/assist/themes",
    }
    assert set(spec["paths"]) == expected
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            assert len(operation.get("description", "")) > 40, (method, path)
            assert operation["summary"], (method, path)
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    for path in expected:
        assert path in docs.text


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/api/health").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
