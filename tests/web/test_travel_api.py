"""Flights, manifests and the data-quality report in the JSON API, on both databases: who
may call them, a purpose for every manifest, the audit record of each read, and only the
travellers and hits of readable datasets."""

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from rasid.access import audit
from rasid.access.accounts import Role, Scope
from rasid.access.registry import add_dataset, ensure_agency
from rasid.ingest.run import IngestRequest, ingest
from rasid.model.keys import content_key
from rasid.model.markings import Marking
from rasid.model.registry import Dataset
from rasid.screen.hits import decide, record_batch
from rasid.screen.model import Match, Subject
from rasid.store import Store
from rasid.store.tables import hit
from rasid.travel.store import list_travellers
from tests.travel.helpers import API_UA988, DATA_DIR, PUSHES
from tests.web.helpers import PURPOSE, api_client

UA988 = content_key("flight", "UA", "988", "FRA", "2018-05-12")
UA989 = content_key("flight", "UA", "989", "FRA", "2017-01-27")
WATCHLISTS = {"un-1": "un_sc", "un-2": "un_sc", "fiu-7": "fiu_list"}


def receive(
    store: Store, tmp_path: Path, name: str, data: bytes, dataset: str, agency: str, at: datetime
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    ingest(store, IngestRequest(str(path), dataset, agency=agency, received_at=at))


def load_travel(store: Store, tmp_path: Path) -> dict[str, Any]:
    """UA988 in the PIU's API (on time) and PNR (the 48 h push only), the crew of UA989 in
    the border police's API; hits on UA988: the API traveller's open on the public UN list
    and open on the FIU's own list, the PNR traveller's confirmed on the UN list. Returns
    the travellers and hit ids."""
    with store.uow() as uow:
        for agency in ("piu", "border", "un", "fiu"):
            ensure_agency(uow.conn, agency)
        add_dataset(uow.conn, Dataset("un_sc", "un", "UN list", default_marking=Marking.CLEAR))
        add_dataset(uow.conn, Dataset("fiu_list", "fiu", "FIU list"))
    receive(store, tmp_path, "api.edi", API_UA988, "piu_api", "piu", datetime(2018, 5, 12, 9))
    receive(store, tmp_path, "48h.edi", PUSHES["48h"], "piu_pnr", "piu", datetime(2018, 5, 10, 10))
    crew = (DATA_DIR / "paxlst_gtas_crew_Test1.edi").read_bytes()
    receive(store, tmp_path, "crew.edi", crew, "border_api", "border", datetime(2017, 1, 27))
    with store.uow() as uow:
        travellers = {t["source"]: t for t in list_travellers(uow.conn, flight_id=UA988)}
        for source, matches in (
            (
                "api",
                [Match("un-1", 0.93, True, "Charles Ackary"), Match("fiu-7", 0.9, True, "C A")],
            ),
            ("pnr", [Match("un-2", 0.96, True, "Charles Ackary")]),
        ):
            person = travellers[source]
            subject = Subject(person["id"], f"{person['given_names']} {person['surname']}")
            record_batch(uow.conn, [(subject, matches)], "travel", WATCHLISTS, person["dataset"])
        ids = dict(uow.conn.execute(select(hit.c.entity_id, hit.c.id)).all())
        decide(uow.conn, ids["un-2"], "confirmed", "piu.lead", "same person")
    return {"travellers": travellers, "hits": ids}


@pytest.fixture
def travel(store: Store, tmp_path: Path) -> dict[str, Any]:
    """The store with ``load_travel``'s data."""
    return load_travel(store, tmp_path)


def reads_of(store: Store, target: str) -> list[audit.AuditRecord]:
    with store.uow() as uow:
        return audit.search(uow.conn, action="flight.read", target=target)


def test_flights_list_what_the_officer_may_read(store: Store, travel: dict[str, Any]) -> None:
    with api_client(store, "piu", Role.PIU_OFFICER) as officer:
        page = officer.get("/api/flights", params={"carrier": "UA"})
    assert page.status_code == 200, page.text
    [ua988] = page.json()["results"]  # UA989 holds only the border police's data
    assert ua988["id"] == UA988
    assert (ua988["api_travellers"], ua988["pnr_travellers"]) == (1, 1)
    assert (ua988["open_hits"], ua988["confirmed_hits"]) == (1, 1)  # not the FIU's hit
    with api_client(store, "border", Role.PIU_OFFICER) as other:
        [ua989] = other.get("/api/flights", params={"carrier": "UA"}).json()["results"]
    assert (ua989["id"], ua989["api_travellers"]) == (UA989, 8)


def test_a_manifest_needs_a_purpose_and_every_read_is_audited(
    store: Store, travel: dict[str, Any]
) -> None:
    with api_client(store, "piu", Role.PIU_OFFICER, purpose=None) as officer:
        refused = officer.get(f"/api/flights/{UA988}")
        assert refused.status_code == 422 and "purpose" in refused.json()["detail"]
        assert reads_of(store, UA988) == []
        found = officer.get(f"/api/flights/{UA988}", params={"purpose": PURPOSE})
        missing = officer.get(f"/api/flights/{UA989}", params={"purpose": PURPOSE})
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["flight"]["id"] == UA988
    by_source = {t["source"]: t for t in body["travellers"]}
    assert [(h["watchlist"], h["status"]) for h in by_source["api"]["hits"]] == [("un_sc", "new")]
    assert by_source["pnr"]["hits"][0]["status"] == "confirmed"
    assert by_source["api"]["documents"][0]["number"] == "602120901"
    [record] = reads_of(store, UA988)
    assert (record.purpose, record.outcome) == (PURPOSE, "ok")
    assert record.detail["datasets"] == ["piu_api", "piu_pnr"]
    assert sorted(record.detail["entities"]) == sorted(
        t["entity_id"] for t in travel["travellers"].values()
    )
    # Another agency's flight is not found, and that read is recorded too.
    assert missing.status_code == 404
    [not_found] = reads_of(store, UA989)
    assert not_found.outcome == "not_found"
    with store.uow() as uow:
        refusals = audit.search(uow.conn, action="request.refused")
    assert any(r.target == f"/api/flights/{UA988}" for r in refusals)


@pytest.mark.parametrize(
    ("role", "scopes"),
    [(Role.FOCAL_POINT, None), (Role.PIU_OFFICER, frozenset({Scope.READ}))],
    ids=["focal point", "read-only token"],
)
def test_only_those_who_screen_or_review(
    store: Store, travel: dict[str, Any], role: Role, scopes: frozenset[Scope] | None
) -> None:
    with api_client(store, "piu", role, scopes) as client:
        for path in ("/api/flights", f"/api/flights/{UA988}", "/api/travel/quality"):
            answer = client.get(path)
            assert answer.status_code == 403, path
            assert "neither screening nor reviewing" in answer.json()["detail"]
    assert reads_of(store, UA988) == []


def test_the_quality_report(store: Store, travel: dict[str, Any]) -> None:
    params = {"as_of": "2018-05-12T14:00:00+02:00", "start": "2018-05-12", "end": "2018-05-12"}
    with api_client(store, "piu", Role.PIU_OFFICER) as officer:
        answer = officer.get("/api/travel/quality", params=params)
        relaxed = officer.get(
            "/api/travel/quality", params={**params, "pnr_offsets": "48", "all_flights": "true"}
        )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["as_of"] == "2018-05-12T12:00:00"
    [ua] = report["carriers"]
    assert (ua["carrier"], ua["manifests_expected"], ua["manifests_received"]) == ("UA", 1, 1)
    assert (ua["pnr_expected"], ua["pnr_received"], ua["pnr_missing"]) == (3, 1, 2)
    [ua988] = report["flights"]  # the border police's UA989 is not the PIU's to see
    assert [w["status"] for w in ua988["pnr"]] == ["on_time", "missing", "missing"]
    assert ua988["api"]["status"] == "on_time"
    # Only the 48 h push due: nothing wrong with UA988, but every flight is listed.
    again = relaxed.json()
    assert again["rules"]["pnr_offsets_hours"] == [48.0]
    assert [f["problems"] for f in again["flights"]] == [0]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"pnr_offsets": "48,soon"}, "'soon' is not a number of hours"),
        ({"start": "2018-01-01", "end": "2019-06-01"}, "at most 366 days"),
        ({"start": "2018-05-12", "end": "2018-05-01"}, "ends (2018-05-01) before"),
        ({"as_of": "0001-01-01T00:00:00"}, "too near the ends of the calendar"),
    ],
)
def test_bad_report_parameters_are_named(
    store: Store, travel: dict[str, Any], params: dict[str, str], message: str
) -> None:
    with api_client(store, "piu", Role.PIU_OFFICER) as officer:
        answer = officer.get("/api/travel/quality", params=params)
    assert answer.status_code == 422
    assert message in answer.json()["detail"]
