"""POST /api/screen and POST /api/travel/check."""

from pathlib import Path

from fastapi.testclient import TestClient

from rasid.access import audit
from rasid.access.accounts import Role, Scope
from rasid.store import Store
from tests.screen.conftest import watchlist  # noqa: F401  (fixture)
from tests.travel.helpers import add_lists
from tests.web.helpers import api_client, share_all_with


def officer(store: Store, **options: object) -> TestClient:
    """A border PIU officer's API client (a bearer token), who may read the watchlist."""
    share_all_with(store, "border")
    return api_client(store, "border", Role.PIU_OFFICER, **options)  # type: ignore[arg-type]


def test_screen_one_and_a_batch(watchlist: Store) -> None:  # noqa: F811
    client = officer(watchlist)
    one = client.post("/api/screen", json={"subject": {"name": "أيمن الظواهري"}})
    assert one.status_code == 200
    body = one.json()
    assert body["watchlists"] == ["wl"]
    [result] = body["results"]
    best = result["matches"][0]
    assert best["entity_id"] == "w-zawahiri" and best["alert"] is True
    assert best["explanation"] and 0 <= best["score"] <= 1
    batch = client.post(
        "/api/screen",
        json={
            "subjects": [
                {"id": "a", "name": "Ayman Zawahiri", "birth_date": "1951"},
                {"id": "b", "name": "   "},
                {"id": "c", "name": "Maria Garcia"},
            ],
            "limit": 2,
        },
    ).json()
    results = {r["id"]: r for r in batch["results"]}
    assert results["a"]["matches"][0]["alert"] is True
    assert results["b"]["error"] and results["b"]["matches"] == []
    assert not any(m["alert"] for m in results["c"]["matches"])


def test_screen_errors(watchlist: Store) -> None:  # noqa: F811
    client = officer(watchlist)
    assert client.post("/api/screen", json={}).status_code == 422
    unknown = client.post("/api/screen", json={"subject": {"name": "x"}, "watchlists": ["nope"]})
    assert unknown.status_code == 422 and "unknown watchlist" in unknown.text
    huge = client.post("/api/screen", json={"subject": {"name": "a" * 20_000}})
    assert huge.status_code == 422


def test_alerts_become_one_open_hit_each(watchlist: Store) -> None:  # noqa: F811
    client = officer(watchlist)
    body = {"subject": {"name": "Ayman al-Zawahiri", "birth_date": "1951"}}
    first = client.post("/api/screen", json=body).json()["results"][0]
    again = client.post("/api/screen", json=body).json()["results"][0]
    assert first["hits"] and first["hits"] == again["hits"]
    [hit_id] = first["hits"]
    hit = client.get(f"/api/hits/{hit_id}").json()
    assert hit["status"] == "new" and hit["entity_id"] == "w-zawahiri"
    decided = client.post(
        f"/api/hits/{hit_id}/decision",
        json={"status": "dismissed", "reason": "different person"},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "dismissed"
    third = client.post("/api/screen", json=body).json()["results"][0]
    assert third["hits"] == []  # dismissed, same evidence: no new hit


def test_screening_needs_a_purpose_and_the_screen_scope(watchlist: Store) -> None:  # noqa: F811
    body = {"subject": {"name": "Ayman al-Zawahiri"}}
    without = officer(watchlist, purpose=None).post("/api/screen", json=body)
    assert without.status_code == 422 and "purpose" in without.json()["detail"]
    stated = officer(watchlist, purpose=None).post(
        "/api/screen", json=body, params={"purpose": "flight XY123 arrivals"}
    )
    assert stated.status_code == 200
    read_only = officer(watchlist, scopes=frozenset({Scope.READ})).post("/api/screen", json=body)
    assert read_only.status_code == 403 and "screen" in read_only.json()["detail"]
    analyst_of_the_dpo = api_client(watchlist, "border", Role.DPO).post("/api/screen", json=body)
    assert analyst_of_the_dpo.status_code == 403
    with watchlist.uow() as uow:
        [record] = audit.search(uow.conn, action="screen")
    assert record.purpose == "flight XY123 arrivals" and record.agency == "border"
    assert record.detail["via"] == "token" and record.detail["hits"]


def test_check_one_traveller(store: Store, tmp_path: Path) -> None:
    add_lists(store, tmp_path)
    client = officer(store)
    body = {
        "id": "desk-1",
        "name": "محمد حسن",
        "birth_date": "1980-01-01",
        "documents": [
            {"number": "602 120 901", "issuing_state": "GBR", "type": "P"},
            {"number": "602120901", "issuing_state": "DEU"},
        ],
    }
    answer = client.post("/api/travel/check", json=body)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["watchlists"], found["document_lists"]) == (["national"], ["sltd"])
    kinds = [(m["kind"], m["entity_id"]) for m in found["matches"] if m["alert"]]
    assert kinds == [("name", "wl-hassan"), ("document", "sltd-1")]  # not the German one
    assert len(found["hits"]) == 2
    with store.uow() as uow:
        [entry] = audit.search(uow.conn, action="screen.traveller")
    assert entry.target == "desk-1"
    bad = client.post("/api/travel/check", json={"name": "!!!"})
    assert bad.status_code == 422
    no_purpose = officer(store, purpose=None).post("/api/travel/check", json={"name": "x"})
    assert no_purpose.status_code == 422
