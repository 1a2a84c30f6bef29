"""The audit log through the API and the data-protection page: who may read which records
(SQLite and PostgreSQL)."""

from fastapi.testclient import TestClient

from rasid.access.accounts import Role
from rasid.store import Store
from tests.web.helpers import api_client, session_client


def actions(client: TestClient, **params: str) -> list[tuple[str, str, str]]:
    response = client.get("/api/audit", params=params)
    assert response.status_code == 200, response.text
    return [(r["actor"], r["action"], r["target"]) for r in response.json()["results"]]


def test_owners_see_who_read_their_data(loaded: Store) -> None:
    police = api_client(loaded, "police", Role.ANALYST, purpose="case 11")
    assert police.get("/api/entities/p-ahmad").status_code == 200  # reads FIU data too
    assert police.get("/api/entities/o-nur").status_code == 200  # police data only
    reader = police.get("/api/audit")  # an analyst has no audit scope
    assert reader.status_code == 403
    fiu_dpo = api_client(loaded, "fiu", Role.DPO)
    seen = actions(fiu_dpo, action="entity.read")
    # The FIU's officer sees the read that touched the FIU's reports, not the other one.
    assert [t for _, _, t in seen] == ["p-ahmad"]
    [record] = fiu_dpo.get("/api/audit", params={"action": "entity.read"}).json()["results"]
    assert record["purpose"] == "case 11" and record["agency"] == "police"
    police_dpo = api_client(loaded, "police", Role.DPO)
    assert {t for _, a, t in actions(police_dpo, action="entity.read")} >= {"p-ahmad", "o-nur"}
    # Reading the log is logged, and an administrator sees everything.
    admin = api_client(loaded, "police", Role.ADMIN)
    everything = actions(admin, action="audit.read")
    assert len(everything) >= 3


def test_filters_and_paging(loaded: Store) -> None:
    client = api_client(loaded, "police", Role.SUPERVISOR, purpose="case 12")
    for entity_id in ("o-nur", "p-yusuf", "o-nur"):
        client.get(f"/api/entities/{entity_id}")
    page = client.get("/api/audit", params={"target": "o-nur", "limit": 1}).json()
    assert len(page["results"]) == 1 and page["next_before"]
    older = client.get(
        "/api/audit", params={"target": "o-nur", "limit": 1, "before": page["next_before"]}
    ).json()
    assert older["results"][0]["seq"] < page["results"][0]["seq"]
    assert client.get("/api/audit", params={"since": "yesterday"}).status_code == 422


def test_the_data_protection_page(loaded: Store) -> None:
    dpo = session_client(loaded, "police", Role.DPO)
    page = dpo.get("/audit", params={"action": "entity.*", "lang": "en"})
    assert page.status_code == 200 and "Audit log" in page.text
    assert 'href="/audit"' in page.text  # in the menu for those who may read it
    assert dpo.get("/audit", params={"since": "not a date"}).status_code == 422
    analyst = session_client(loaded, "police", Role.ANALYST)
    assert analyst.get("/audit").status_code == 403
    assert 'href="/audit"' not in analyst.get("/datasets").text


def test_refused_requests_are_recorded(loaded: Store) -> None:
    """A request the policy refuses rolls its own transaction back, but the refusal itself
    is kept: who tried what, and why."""
    admin = api_client(loaded, "police", Role.ADMIN)
    last = admin.get("/api/audit", params={"limit": 1}).json()["results"][0]["seq"]
    analyst = api_client(loaded, "police", Role.ANALYST, purpose="")
    assert analyst.get("/api/audit").status_code == 403
    assert analyst.get("/api/entities/o-nur").status_code == 422  # no purpose
    browser = session_client(loaded, "police", Role.ANALYST)
    del browser.headers["X-CSRF-Token"]
    csrf = browser.post("/api/messages", json={})
    assert csrf.status_code == 403
    found = admin.get("/api/audit", params={"action": "request.refused"}).json()["results"]
    records = [r for r in found if r["seq"] > last]  # the fixture's store is the module's
    seen = sorted((r["target"], r["outcome"], r["detail"]["method"]) for r in records)
    assert seen == [
        ("/api/audit", "denied", "GET"),
        ("/api/entities/o-nur", "refused", "GET"),
        ("/api/messages", "denied", "POST"),
    ]
    # Two analysts: the token's user, and the browser's, named though its request failed.
    assert len({r["actor"] for r in records}) == 2
    assert all(r["actor"].startswith("police.analyst") for r in records)
    assert all(r["agency"] == "police" for r in records)
    assert "audit" in next(r for r in records if r["target"] == "/api/audit")["detail"]["reason"]
