"""/api/retention on both databases, with the app's clock set six months after the import:
masked entity reads and searches, a request, a supervisor's decision, the unmasked read by
the requester alone, the status and a run."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rasid.access.accounts import Role
from rasid.retention.mask import MASKED
from rasid.store import Store
from rasid.store.tables import booking
from tests.retention.helpers import PNR, Loaded, at, load_travel
from tests.web.helpers import api_client


class Clock:
    """The time the app tells (the test moves it)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Loaded:
    return load_travel(store, tmp_path)


@pytest.fixture
def clock(loaded: Loaded) -> Clock:
    return Clock(at(loaded.masked_on, 9))


def client(store: Store, clock: Clock, role: Role, agency: str = "piu") -> TestClient:
    """An API client of a new user whose app tells the test's time."""
    made = api_client(store, agency, role)
    made.app.state.clock = clock  # type: ignore[attr-defined]
    return made


@pytest.fixture
def analyst(store: Store, clock: Clock) -> Iterator[TestClient]:
    with client(store, clock, Role.PIU_OFFICER) as made:
        yield made


@pytest.fixture
def supervisor(store: Store, clock: Clock) -> Iterator[TestClient]:
    with client(store, clock, Role.SUPERVISOR) as made:
        yield made


def last_names(who: TestClient, entity_id: str) -> list[str]:
    found = who.get(f"/api/entities/{entity_id}")
    assert found.status_code == 200, found.text
    return found.json()["properties"]["lastName"]


def test_entity_reads_and_searches_are_masked(analyst: TestClient, loaded: Loaded) -> None:
    found = analyst.get(f"/api/entities/{loaded.pnr_person}").json()
    [surname] = [s for s in found["statements"] if s["prop"] == "lastName"]
    assert (surname["value"], surname["masked"], surname["original_value"]) == (
        MASKED,
        True,
        None,
    )
    [gender] = [s for s in found["statements"] if s["prop"] == "gender"]
    assert (gender["value"], gender["masked"]) == ("male", False)
    results = analyst.get("/api/entities", params={"q": "ackary"}).json()["results"]
    assert [r["id"] for r in results] == [loaded.api_person]


def test_ask_decide_and_see_again(
    store: Store, clock: Clock, analyst: TestClient, supervisor: TestClient, loaded: Loaded
) -> None:
    body = {"target_kind": "entity", "target_id": loaded.pnr_person, "reason": "case 7"}
    asked = analyst.post("/api/retention/unmask", json=body)
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert (request["status"], request["active"], request["agency"]) == ("pending", False, "piu")
    again = analyst.post("/api/retention/unmask", json=body)
    assert again.status_code == 422 and "pending already" in again.json()["detail"]
    number = request["id"]
    assert analyst.get(f"/api/retention/unmask/{number}/data").status_code == 422

    page = supervisor.get("/api/retention/unmask").json()
    assert page["to_decide"] == [number]
    assert analyst.get("/api/retention/unmask").json()["to_decide"] == []
    own = analyst.post(
        f"/api/retention/unmask/{number}/decision", json={"decision": "approve", "reason": "x"}
    )
    assert own.status_code == 403
    decided = supervisor.post(
        f"/api/retention/unmask/{number}/decision",
        json={"decision": "approve", "reason": "justified"},
    )
    assert decided.status_code == 200 and decided.json()["active"] is True

    assert last_names(analyst, loaded.pnr_person) == ["ACKARY"]
    assert last_names(supervisor, loaded.pnr_person) == [MASKED]  # the requester alone
    data = analyst.get(f"/api/retention/unmask/{number}/data")
    assert data.status_code == 200
    assert data.json()["entity"]["properties"]["lastName"] == ["ACKARY"]
    clock.now += timedelta(hours=24)
    assert last_names(analyst, loaded.pnr_person) == [MASKED]  # expired
    assert analyst.get(f"/api/retention/unmask/{number}/data").status_code == 422


def test_a_booking_is_seen_again_through_its_request(
    store: Store, analyst: TestClient, supervisor: TestClient, loaded: Loaded
) -> None:
    with store.uow() as uow:
        booking_id = str(uow.conn.execute(select(booking.c.id)).scalar_one())
    body = {"target_kind": "booking", "target_id": booking_id, "reason": "case 8"}
    number = analyst.post("/api/retention/unmask", json=body).json()["id"]
    approve = {"decision": "approve", "reason": "justified"}
    supervisor.post(f"/api/retention/unmask/{number}/decision", json=approve)
    shown = analyst.get(f"/api/retention/unmask/{number}/data").json()
    assert shown["booking"]["masked"] is False and "YAHOO" in shown["booking"]["contacts"]
    assert {t["surname"] for t in shown["travellers"]} == {"ACKARY"}
    assert len(shown["versions"]) == 1 and "ACKARY" in shown["versions"][0]["data"]


def test_status_and_run(store: Store, clock: Clock, loaded: Loaded) -> None:
    with client(store, clock, Role.SUPERVISOR) as supervisor:
        status = supervisor.get("/api/retention/status").json()
        found = {d["dataset"]: d for d in status["datasets"]}
        assert found[PNR]["masked_statements"] == 12
        assert found[PNR]["mask_after"] == {"years": 0, "months": 6, "days": 0}
        dry = supervisor.post("/api/retention/run", json={"dry_run": True}).json()
        assert dry["dry_run"] and dry["run_id"] is None and dry["deleted"]["statement"] == 14
        ran = supervisor.post("/api/retention/run", json={}).json()
        assert ran["run_id"] is not None and ran["as_of"] == str(loaded.masked_on)
        runs = supervisor.get("/api/retention/runs").json()
        assert [r["id"] for r in runs] == [ran["run_id"]]
    with client(store, clock, Role.PIU_OFFICER) as officer:
        assert officer.get("/api/retention/status").status_code == 403
        assert officer.post("/api/retention/run", json={}).status_code == 403
    with client(store, clock, Role.ADMIN, agency="ops") as admin:
        every = admin.get("/api/retention/status").json()["datasets"]
        assert {d["dataset"] for d in every} >= {PNR}
