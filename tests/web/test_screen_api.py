"""POST /api/screen."""

from fastapi.testclient import TestClient

from rasid.store import Store
from rasid.web.app import create_app
from tests.screen.conftest import watchlist  # noqa: F401  (fixture)


def test_screen_one_and_a_batch(watchlist: Store) -> None:  # noqa: F811
    client = TestClient(create_app(watchlist))
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
    client = TestClient(create_app(watchlist))
    assert client.post("/api/screen", json={}).status_code == 422
    unknown = client.post("/api/screen", json={"subject": {"name": "x"}, "watchlists": ["nope"]})
    assert unknown.status_code == 422 and "unknown watchlist" in unknown.text
    huge = client.post("/api/screen", json={"subject": {"name": "a" * 20_000}})
    assert huge.status_code == 422


def test_alerts_become_one_open_hit_each(watchlist: Store) -> None:  # noqa: F811
    client = TestClient(create_app(watchlist))
    body = {"subject": {"name": "Ayman al-Zawahiri", "birth_date": "1951"}}
    first = client.post("/api/screen", json=body).json()["results"][0]
    again = client.post("/api/screen", json=body).json()["results"][0]
    assert first["hits"] and first["hits"] == again["hits"]
    [hit_id] = first["hits"]
    hit = client.get(f"/api/hits/{hit_id}").json()
    assert hit["status"] == "new" and hit["entity_id"] == "w-zawahiri"
    decided = client.post(
        f"/api/hits/{hit_id}/decision",
        json={"status": "dismissed", "reviewer": "piu.officer", "reason": "different person"},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "dismissed"
    third = client.post("/api/screen", json=body).json()["results"][0]
    assert third["hits"] == []  # dismissed, same evidence: no new hit
