"""The exchange through the JSON API: a report sent, read, acknowledged and re-shared, with
receipts, between agencies of the sample (SQLite and PostgreSQL)."""

from typing import Any

from fastapi.testclient import TestClient

from rasid.access.accounts import Role
from rasid.store import Store
from tests.web.helpers import api_client, session_client

REPORT = {
    "kind": "report",
    "subject": "Mohammed al-Ahmad and the Al-Nur charity",
    "body": "الصلة بين الأحمد وجمعية النور",
    "recipients": ["fiu"],
    "marking": "TLP:AMBER",
    "source_grade": "2",
    "info_grade": "B",
    "entity_ids": ["o-nur"],
}


def entity_names(client: TestClient, entity_id: str) -> list[str]:
    response = client.get(f"/api/entities/{entity_id}")
    return sorted(response.json()["properties"]["name"]) if response.status_code == 200 else []


def test_a_report_end_to_end(loaded: Store) -> None:
    police = session_client(loaded, "police", Role.ANALYST)
    fiu = session_client(loaded, "fiu", Role.ANALYST)
    border = api_client(loaded, "border", Role.ANALYST)
    assert entity_names(fiu, "o-nur") == []  # the police do not share their records
    sent = police.post("/api/messages", json=REPORT)
    assert sent.status_code == 201, sent.text
    report: dict[str, Any] = sent.json()
    assert report["disclosed"] > 0 and report["receipts"][0]["read_at"] is None
    # The charity is now readable by the FIU: exactly what the report disclosed.
    assert entity_names(fiu, "o-nur") == ["جمعية النور الخيرية"]
    [received] = fiu.get("/api/messages").json()
    assert received["id"] == report["id"] and received["sender_agency"] == "police"
    assert fiu.get(f"/api/messages/{report['id']}").json()["body"] == REPORT["body"]
    acknowledged = fiu.post(f"/api/messages/{report['id']}/acknowledge")
    assert acknowledged.status_code == 200
    assert fiu.post(f"/api/messages/{report['id']}/acknowledge").status_code == 422
    [receipt] = police.get("/api/messages", params={"box": "sent"}).json()[0]["receipts"]
    assert receipt["read_by"] and receipt["acknowledged_by"] == receipt["read_by"]
    assert border.get(f"/api/messages/{report['id']}").status_code == 404
    assert border.get("/api/messages").json() == []
    # The FIU asks to pass it to the border police; a police supervisor approves.
    asked = fiu.post(
        f"/api/messages/{report['id']}/reshare",
        json={"to_agency": "border", "reason": "joint case 7"},
    )
    assert asked.status_code == 201, asked.text
    chief = api_client(loaded, "police", Role.SUPERVISOR)
    [pending] = chief.get("/api/reshares").json()
    refused = police.post(
        f"/api/reshares/{pending['id']}/decision", json={"approve": True, "reason": "ok"}
    )
    assert refused.status_code == 403  # an analyst does not decide
    approved = chief.post(
        f"/api/reshares/{pending['id']}/decision", json={"approve": True, "reason": "case 7"}
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert [m["id"] for m in border.get("/api/messages").json()] == [report["id"]]
    assert entity_names(border, "o-nur") == entity_names(fiu, "o-nur")


def test_bad_messages_are_refused(loaded: Store) -> None:
    police = session_client(loaded, "police", Role.ANALYST)
    for change in (
        {"marking": "TLP:RED"},  # to an agency
        {"source_grade": "Z"},
        {"recipients": ["nowhere"]},
        {"kind": "rfi"},  # no deadline
    ):
        response = police.post("/api/messages", json={**REPORT, **change})
        assert response.status_code == 422, change
    assert police.post("/api/messages", json={**REPORT, "marking": "TLP:PINK"}).status_code == 422
    del police.headers["X-CSRF-Token"]
    assert police.post("/api/messages", json=REPORT).status_code == 403
    dpo = api_client(loaded, "police", Role.DPO)
    assert dpo.post("/api/messages", json=REPORT).status_code == 403


def test_overdue_requests(loaded: Store) -> None:
    police = session_client(loaded, "police", Role.ANALYST)
    fiu = session_client(loaded, "fiu", Role.ANALYST)
    rfi = {**REPORT, "kind": "rfi", "due_at": "2020-01-01T00:00:00", "entity_ids": []}
    asked = police.post("/api/messages", json=rfi).json()
    assert asked["overdue"] is True
    assert asked["id"] in [m["id"] for m in fiu.get("/api/messages/overdue").json()]
    answer = {**REPORT, "kind": "answer", "recipients": ["police"], "in_reply_to": asked["id"]}
    assert fiu.post("/api/messages", json=answer).status_code == 201
    assert asked["id"] not in [m["id"] for m in fiu.get("/api/messages/overdue").json()]
