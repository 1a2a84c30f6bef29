"""Reading flights and manifests on both databases: counts by source and by hit status,
filters, what each caller's datasets let them see, and a manifest's travellers with their
hits."""

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from rasid.access.registry import add_dataset, ensure_agency
from rasid.ingest.run import IngestRequest, ingest
from rasid.model.keys import content_key
from rasid.model.markings import Marking
from rasid.model.registry import Dataset
from rasid.screen.hits import decide, record_batch
from rasid.screen.model import Match, Subject
from rasid.store import Store
from rasid.store.tables import hit
from rasid.store.visibility import Visibility
from rasid.travel.flights import flight_manifest, get_flight, list_flights, travel_datasets
from rasid.travel.schedule import read_schedule, save_schedule
from rasid.travel.store import list_travellers
from tests.travel.helpers import API_UA988, DATA_DIR, PUSHES

UA988 = content_key("flight", "UA", "988", "FRA", "2018-05-12")
UA989 = content_key("flight", "UA", "989", "FRA", "2017-01-27")  # the crew sample's flight
WATCHLISTS = {"un-1": "un_sc", "fiu-7": "fiu_list", "doc-1": "lost_docs"}


def receive(
    store: Store, tmp_path: Path, name: str, data: bytes, dataset: str, agency: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    ingest(store, IngestRequest(str(path), dataset, agency=agency))


def hit_on(store: Store, traveller: dict, *matches: Match) -> None:
    """Hits on a traveller, as screening on arrival records them."""
    subject = Subject(id=traveller["id"], name=f"{traveller['given_names']} {traveller['surname']}")
    with store.uow() as uow:
        record_batch(
            uow.conn, [(subject, list(matches))], "travel", WATCHLISTS, traveller["dataset"]
        )


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> dict[str, dict]:
    """UA988 from API (the PIU's) and PNR (the PIU's), the crew of UA989 in the border
    police's API, and hits: on the API traveller of UA988 one open on the UN list, one
    confirmed on the FIU's list, one open on a lost-document list; on a crew member one."""
    receive(store, tmp_path, "api.edi", API_UA988, "piu_api", "piu")
    receive(store, tmp_path, "48h.edi", PUSHES["48h"], "piu_pnr", "piu")
    crew = (DATA_DIR / "paxlst_gtas_crew_Test1.edi").read_bytes()
    receive(store, tmp_path, "crew.edi", crew, "border_api", "border")
    with store.uow() as uow:
        on_ua988 = list_travellers(uow.conn, flight_id=UA988)
        [crew_member, *_] = list_travellers(uow.conn, flight_id=UA989)
    api = next(t for t in on_ua988 if t["source"] == "api")
    pnr = next(t for t in on_ua988 if t["source"] == "pnr")
    hit_on(
        store,
        api,
        Match("un-1", 0.95, True, "Charles Ackary"),
        Match("fiu-7", 0.97, True, "C. Ackary"),
        Match("doc-1", 1.0, True, "602120901", kind="document"),
    )
    hit_on(store, crew_member, Match("un-1", 0.9, True, "Someone"))
    with store.uow() as uow:
        confirmed = uow.conn.execute(
            select(hit.c.id).where(hit.c.entity_id == "fiu-7")
        ).scalar_one()
        decide(uow.conn, confirmed, "confirmed", "piu.officer", "same person, same passport")
    return {"api": api, "pnr": pnr, "crew": crew_member}


EVERYTHING = ["piu_api", "piu_pnr", "border_api", "un_sc", "fiu_list", "lost_docs"]


def test_flights_with_their_travellers_and_hits(store: Store, loaded: dict) -> None:
    with store.uow() as uow:
        found = {f.id: f for f in list_flights(uow.conn, EVERYTHING, limit=100)}
    ua988 = found[UA988]
    assert (ua988.name, ua988.departure_airport, ua988.arrival_airport) == ("UA988", "FRA", "IAD")
    assert (ua988.api_travellers, ua988.pnr_travellers) == (1, 1)
    assert (ua988.open_hits, ua988.confirmed_hits) == (2, 1)
    assert (found[UA989].api_travellers, found[UA989].open_hits) == (8, 1)
    # The PNR's other legs are flights too (ET834, ET706), by departure.
    days = [f.departure_date for f in found.values()]
    assert days == sorted(days) and len(found) == 4


def test_filters(store: Store, loaded: dict) -> None:
    with store.uow() as uow:

        def names(**filters: Any) -> list[str]:
            return [f.name for f in list_flights(uow.conn, None, **filters)]

        assert names(carrier=" ua ") == ["UA989", "UA988"]
        assert names(airport="iad") == ["UA989", "UA988"]  # arriving there
        assert names(airport="ADD") == ["ET834", "ET706"]  # one arrives, one leaves
        assert names(start=date(2018, 5, 12)) == ["UA988"]
        assert names(end=date(2018, 5, 11), carrier="UA") == ["UA989"]
        assert names(limit=1, offset=1) == ["ET834"]


def test_a_caller_sees_flights_and_hits_of_their_datasets_only(store: Store, loaded: dict) -> None:
    with store.uow() as uow:
        piu = {f.id: f for f in list_flights(uow.conn, ["piu_api", "piu_pnr", "un_sc"])}
        border = {f.id: f for f in list_flights(uow.conn, ["border_api"])}
        nothing = list_flights(uow.conn, [])
    assert UA989 not in piu  # only the border police's data is on it
    # Hits on lists the PIU may not read (the FIU's, the lost documents) are not counted.
    assert (piu[UA988].open_hits, piu[UA988].confirmed_hits) == (1, 0)
    assert set(border) == {UA989} and border[UA989].open_hits == 0  # the UN list: not readable
    assert nothing == []
    # A scheduled flight is shown to everyone who sees flights.
    schedule = read_schedule(
        b"carrier,flight_number,departure_airport,arrival_airport,scheduled_departure\n"
        b"XY,1,CAI,DXB,2018-05-12T09:00\n"
    )
    with store.uow() as uow:
        save_schedule(uow.conn, schedule.flights, "s.csv", "cli:piu", datetime(2018, 5, 1))
        [scheduled] = list_flights(uow.conn, [], carrier="XY")
    assert (scheduled.scheduled, scheduled.api_travellers) == (True, 0)


def test_a_manifest_with_its_hits(store: Store, loaded: dict) -> None:
    with store.uow() as uow:
        found = flight_manifest(uow.conn, UA988, EVERYTHING)
    assert found is not None and found.flight.id == UA988
    assert found.datasets == ["piu_api", "piu_pnr"]
    by_source = {t.row["source"]: t for t in found.travellers}
    api, pnr = by_source["api"], by_source["pnr"]
    assert (api.row["surname"], api.row["seat"], api.row["booking_reference"]) == (
        "ACKARY",
        "",
        "",
    )
    assert api.documents == ({"type": "P", "number": "602120901", "issuing_state": "GBR",
                              "expiry": "2021-01-30", "issued": None},)  # fmt: skip
    assert (pnr.row["seat"], pnr.row["booking_reference"]) == ("23K", "06A9FD")
    # Open hits first, best score first; then the confirmed one.
    assert [(h.watchlist, h.kind, h.status) for h in api.hits] == [
        ("lost_docs", "document", "new"),
        ("un_sc", "name", "new"),
        ("fiu_list", "name", "confirmed"),
    ]
    assert len(api.open_hits) == 2 and len(api.confirmed_hits) == 1 and pnr.hits == ()
    shown = api.to_dict()
    assert shown["hits"][0]["id"] == api.hits[0].id and shown["masked"] is False


def test_a_manifest_shows_only_readable_travellers_and_hits(store: Store, loaded: dict) -> None:
    with store.uow() as uow:
        piu = flight_manifest(uow.conn, UA988, ["piu_pnr", "un_sc"])
        crew = flight_manifest(uow.conn, UA989, EVERYTHING)
        hidden = flight_manifest(uow.conn, UA989, ["piu_api"])
        unknown = flight_manifest(uow.conn, "no-such-flight", None)
    assert piu is not None and [t.row["source"] for t in piu.travellers] == ["pnr"]
    assert crew is not None and len(crew.travellers) == 8
    assert {t.row["role"] for t in crew.travellers} == {"crew"}
    assert hidden is None and unknown is None
    with store.uow() as uow:
        assert get_flight(uow.conn, UA989, ["piu_api"]) is None


def test_travel_datasets_leave_out_those_whose_marking_is_withheld(store: Store) -> None:
    with store.uow() as uow:
        ensure_agency(uow.conn, "piu")
        add_dataset(uow.conn, Dataset("api_red", "piu", "API", default_marking=Marking.RED))
        add_dataset(uow.conn, Dataset("api_amber", "piu", "API", default_marking=Marking.AMBER))
        seen = Visibility(
            frozenset({"own"}),
            {"api_red": frozenset({"TLP:RED"}), "api_amber": frozenset({"TLP:RED"})},
        )
        assert travel_datasets(uow.conn, seen) == ["api_amber", "own"]
        assert travel_datasets(uow.conn, None) is None
