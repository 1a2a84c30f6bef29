"""/api/resolve: the queue, a pair, judging and undoing under need-to-know, running, and
the judgements as data (generated people, no real person)."""

from pathlib import Path

from sqlalchemy import select

from rasid.access.accounts import Role, Scope
from rasid.resolve.judgements import record_proposals
from rasid.store import Store
from rasid.store.tables import audit_event
from tests.resolve.conftest import DATASETS, PAIRS, load_people
from tests.web.helpers import api_client, share_all_with


def people(store: Store, folder: Path) -> Store:
    load_people(store, folder)
    with store.uow() as uow:
        record_proposals(uow.conn, PAIRS, DATASETS, "run-1")
    return store


def test_the_queue_shows_only_pairs_of_readable_datasets(store: Store, tmp_path: Path) -> None:
    people(store, tmp_path)
    police = api_client(store, "police").get("/api/resolve/pairs").json()
    assert [(p["left_id"], p["right_id"]) for p in police["results"]] == [("pol-1", "pol-3")]
    share_all_with(store, "police")
    shared = api_client(store, "police").get("/api/resolve/pairs?min_score=0.8").json()
    assert [p["left_id"] for p in shared["results"]] == ["brd-1", "brd-2"]
    assert shared["counts"]["proposed"] == 2


def test_judge_undo_and_the_merged_entity(store: Store, tmp_path: Path) -> None:
    people(store, tmp_path)
    share_all_with(store, "police")
    client = api_client(store, "police")
    body = {"left_id": "pol-1", "right_id": "brd-1", "judgement": "same", "reason": "same dob"}
    judged = client.post("/api/resolve/judge", json=body)
    assert judged.status_code == 200 and judged.json()["status"] == "same"
    entity = client.get("/api/entities/pol-1").json()  # a member id finds the merged entity
    assert entity["id"] == "brd-1" and entity["merged_from"] == ["brd-1", "pol-1"]
    agencies = {(s["dataset"], s["agency"]) for s in entity["statements"]}
    assert agencies == {("police_files", "police"), ("border_records", "border")}
    assert client.get("/api/resolve/pair?left=brd-1&right=pol-1").json()["history"][0]["by"]
    undone = client.post("/api/resolve/undo", json={"left_id": "brd-1", "right_id": "pol-1"})
    assert undone.json()["status"] == "proposed"
    assert client.get("/api/entities/pol-1").json()["merged_from"] == []
    with store.uow() as uow:
        actions = uow.conn.execute(select(audit_event.c.action)).scalars().all()
    assert {"resolve.judge", "resolve.undo"} <= set(actions)


def test_refusals(store: Store, tmp_path: Path) -> None:
    people(store, tmp_path)
    police = api_client(store, "police")
    body = {"left_id": "pol-1", "right_id": "brd-1", "judgement": "same"}
    assert police.post("/api/resolve/judge", json=body).status_code == 404  # border unreadable
    share_all_with(store, "police")
    client = api_client(store, "police")
    client.post("/api/resolve/judge", json={**body, "judgement": "not_same"})
    client.post("/api/resolve/judge", json={"left_id": "pol-1", "right_id": "pol-3",
                                            "judgement": "same"})  # fmt: skip
    record = {"left_id": "brd-1", "right_id": "pol-3", "judgement": "same"}
    with store.uow() as uow:
        from tests.resolve.conftest import pair

        record_proposals(uow.conn, [pair("brd-1", "pol-3")], DATASETS)
    refused = client.post("/api/resolve/judge", json=record)
    assert refused.status_code == 422 and "brd-1 and pol-1" in refused.json()["detail"]
    focal = api_client(store, "police", Role.FOCAL_POINT)
    assert focal.get("/api/resolve/pairs").status_code == 403
    narrowed = api_client(store, "police", scopes=frozenset({Scope.READ}))
    assert narrowed.get("/api/resolve/pairs").status_code == 403


def test_run_and_export(store: Store, tmp_path: Path) -> None:
    load_people(store, tmp_path)
    share_all_with(store, "police")
    client = api_client(store, "police")
    run = client.post("/api/resolve/run", json={})
    assert run.status_code == 200 and run.json()["records"] == 6
    assert client.post("/api/resolve/run", json={"datasets": ["secret"]}).status_code == 403
    client.post("/api/resolve/judge", json={"left_id": "pol-2", "right_id": "brd-2",
                                            "judgement": "unsure"})  # fmt: skip
    lines = client.get("/api/resolve/judgements").json()
    assert [(x["left_id"], x["judgement"]) for x in lines] == [("brd-2", "unsure")]
