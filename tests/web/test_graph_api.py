"""The link-analysis API: one answer shape, need-to-know on every link, a purpose for every
read and every read in the audit log."""

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rasid.access.accounts import get_user
from rasid.access.policy import Principal
from rasid.exchange.messages import Draft, Kind, Recipient, send
from rasid.model.markings import Marking
from rasid.store import Store
from rasid.store.tables import audit_event
from rasid.web.app import create_app
from rasid.web.deps import PURPOSE_HEADER
from tests.graph import sample
from tests.web.helpers import BASE_URL, PURPOSE, api_client, new_user, token_for

NODE_KEYS = {"id", "label", "schema", "datasets", "agencies", "community", "group"}
EDGE_KEYS = {"id", "source", "target", "type", "label", "start", "end", "evidence"}


@pytest.fixture
def linked(store: Store, tmp_path: Path) -> Store:
    """A store holding ``tests.graph.sample``."""
    sample.load(store, tmp_path)
    return store


def _audited(store: Store, action: str) -> list[dict[str, object]]:
    with store.uow() as uow:
        rows = uow.conn.execute(select(audit_event).where(audit_event.c.action == action))
        return [dict(r._mapping) for r in rows]


def test_neighbours_answer_in_the_shared_shape_and_are_audited(linked: Store) -> None:
    with api_client(linked, "police") as client:
        answer = client.get("/api/graph/neighbours", params={"entity": "p-broker"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert all(set(n) == NODE_KEYS for n in body["nodes"])
    assert all(set(e) == EDGE_KEYS for e in body["edges"])
    assert {e["id"] for e in body["edges"]} >= {"pay-1", "pay-2"}
    pay = next(e for e in body["edges"] if e["id"] == "pay-1")
    assert (pay["source"], pay["target"], pay["type"]) == ("p-cell", "p-broker", "Payment")
    assert {ev["entity_id"] for ev in pay["evidence"]} == {"pay-1"}
    assert {ev["dataset"] for ev in pay["evidence"]} == {"fiu_reports"}
    broker = next(n for n in body["nodes"] if n["id"] == "p-broker")
    assert broker["agencies"] == ["fiu"] and broker["label"] == "Test Broker"
    records = _audited(linked, "graph.neighbours")
    assert len(records) == 1 and records[0]["purpose"] == PURPOSE
    assert "p-broker" in json.loads(str(records[0]["detail"]))["entities"]


def test_a_purpose_is_required(linked: Store) -> None:
    with api_client(linked, "police", purpose=None) as client:
        answer = client.get("/api/graph/bridges")
    assert answer.status_code == 422
    assert _audited(linked, "graph.bridges") == []


def test_another_agency_sees_no_link_from_an_unshared_dataset(linked: Store) -> None:
    with api_client(linked, "prisons") as prisons, api_client(linked, "fiu") as fiu:
        own = prisons.get("/api/graph/neighbours", params={"entity": "p-gang"}).json()
        other = fiu.get("/api/graph/neighbours", params={"entity": "p-gang"}).json()
        bridges = fiu.get("/api/graph/bridges").json()["bridges"]
        paths = fiu.get("/api/graph/paths", params={"source": "p-cell", "target": "p-gang"})
    assert {e["id"] for e in own["edges"]} == {"a-prison"}
    assert "a-prison" not in {e["id"] for e in other["edges"]}
    assert all(ev["dataset"] != "prison_register" for e in other["edges"] for ev in e["evidence"])
    # The FIU reads its own TLP:RED payment: the brother is a broker too, to it alone.
    assert [(b["entity_id"], b["kind"]) for b in bridges] == [
        ("p-broker", "broker"),
        ("p-brother", "broker"),
    ]
    assert paths.json()["paths"][0] == ["p-cell", "p-broker", "p-gang"]


def test_an_entity_the_caller_may_not_read_is_not_found_and_the_read_audited(
    linked: Store,
) -> None:
    with api_client(linked, "prisons") as client:
        answer = client.get("/api/graph/neighbours", params={"entity": "p-broker"})
        bad = client.get("/api/graph/centrality", params={"measure": "closeness"})
    assert answer.status_code == 404
    assert [r["outcome"] for r in _audited(linked, "graph.neighbours")] == ["not_found"]
    assert bad.status_code == 422


def test_communities_centrality_timeline_and_exports(linked: Store) -> None:
    with api_client(linked, "police") as client:
        communities = client.get("/api/graph/communities").json()
        ranking = client.get("/api/graph/centrality", params={"measure": "pagerank"}).json()
        timeline = client.get("/api/graph/timeline", params={"entity": "p-broker"}).json()
        graphml = client.get("/api/graph/export", params={"entity": "p-broker"})
        ftm = client.get("/api/graph/export", params={"entity": "p-broker", "format": "ftm"})
    assert sum(c["size"] for c in communities["communities"]) == 6
    assert ranking["ranking"] and ranking["measure"] == "pagerank"
    assert [t["edge"] for t in timeline["timeline"]] == ["pay-1", "pay-2"]
    root = ET.fromstring(graphml.content)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert {n.get("id") for n in root.iterfind(".//g:node", ns)} >= {"p-broker", "p-cell"}
    entities = [json.loads(line) for line in ftm.text.splitlines()]
    assert {"p-broker", "pay-1"} <= {e["id"] for e in entities}
    assert {e["schema"] for e in entities} >= {"Person", "Payment"}
    assert len(_audited(linked, "graph.export")) == 2


def test_a_disseminated_link_reaches_its_recipient_only(linked: Store) -> None:
    sender, reader = new_user(linked, "fiu"), new_user(linked, "police")
    with linked.uow() as uow:
        principal = Principal(get_user(uow.conn, sender))  # type: ignore[arg-type]
        report = Draft(
            kind=Kind.REPORT,
            subject="A payment to the gang",
            body="The brother paid the gang.",
            recipients=[Recipient("police", reader)],  # TLP:RED: to a named person
            marking=Marking.RED,
            source_grade="2",
            info_grade="B",
            entity_ids=["pay-red"],
        )
        send(uow.conn, principal, report)
    headers = {"Authorization": f"Bearer {token_for(linked, reader)}", PURPOSE_HEADER: PURPOSE}
    params = {"entity": "p-gang"}
    with TestClient(create_app(linked), base_url=BASE_URL, headers=headers) as named:
        seen = named.get("/api/graph/neighbours", params=params).json()
    with api_client(linked, "police") as colleague:
        other = colleague.get("/api/graph/neighbours", params=params).json()
    pay = next(e for e in seen["edges"] if e["id"] == "pay-red")
    assert {ev["dataset"] for ev in pay["evidence"]} == {"fiu_red"}
    assert "pay-red" not in {e["id"] for e in other["edges"]}
