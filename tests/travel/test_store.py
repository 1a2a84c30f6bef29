"""The travel tables on both databases: successive pushes of one PNR, versions received out
of order, flights shared by API and PNR, and travellers no longer booked."""

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from rasid.ingest.run import IngestRequest, Summary, ingest
from rasid.model.keys import content_key
from rasid.store import Store
from rasid.store.statements import entities_by_schema
from rasid.store.tables import booking_flight, flight
from rasid.travel.pnr import Leg
from rasid.travel.rows import flight_number, same_flight
from rasid.travel.store import find_booking, list_travellers, list_versions, travel_counts
from tests.travel.helpers import API_UA988, DATA_DIR, DOCO, PUSHES

PG75 = "pnrgov_gtas_iata_guide_pg75.edi"
UA988 = content_key("flight", "UA", "988", "FRA", "2018-05-12")


def load(store: Store, tmp_path: Path, name: str, data: bytes, dataset: str = "piu") -> Summary:
    path = tmp_path / name
    path.write_bytes(data)
    return ingest(store, IngestRequest(str(path), dataset, agency="piu"))


def test_three_pushes_make_one_booking_with_three_versions(store: Store, tmp_path: Path) -> None:
    for when, data in PUSHES.items():
        load(store, tmp_path, f"{when}.edi", data)
    with store.uow() as uow:
        counts = travel_counts(uow.conn, "piu")
        found = find_booking(uow.conn, "piu", "06A9FD", "UA")
        assert found is not None
        versions = list_versions(uow.conn, found["id"])
        on_ua988 = list_travellers(uow.conn, flight_id=UA988)
        schemata = entities_by_schema(uow.conn)
    assert counts == {
        "messages": 3,
        "flights": 3,
        "bookings": 1,
        "booking_versions": 3,
        "booking_flights": 3,
        "travellers": 3,  # one person on three flights, not nine rows
    }
    assert schemata == {"Person": 1, "Passport": 1, "Identification": 1}
    assert [v["as_of"].day for v in versions] == [10, 11, 12]
    assert len({v["content_hash"] for v in versions}) == 3  # each push changed something
    assert len({v["message_hash"] for v in versions}) == 3
    assert found["current_version"] == versions[-1]["id"]
    assert json.loads(found["bags"])[0]["count"] == 1  # the bag checked at departure
    [ackary] = on_ua988
    assert (ackary["surname"], ackary["seat"], ackary["booking_id"]) == (
        "ACKARY",
        "24A",
        found["id"],
    )
    assert ackary["first_seen"] < ackary["last_seen"]


def test_a_push_received_late_is_kept_and_changes_nothing(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, "departure.edi", PUSHES["departure"])
    load(store, tmp_path, "48h.edi", PUSHES["48h"])
    with store.uow() as uow:
        found = find_booking(uow.conn, "piu", "06A9FD")
        assert found is not None
        versions = list_versions(uow.conn, found["id"])
        [ackary] = list_travellers(uow.conn, flight_id=UA988)
    assert len(versions) == 2
    newest = next(v for v in versions if v["as_of"].day == 12)
    assert found["current_version"] == newest["id"]
    assert found["last_transaction_at"].day == 12
    assert ackary["seat"] == "24A"  # not the 48-hour seat


def test_a_version_keeps_the_booking_as_parsed(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, "24h.edi", PUSHES["24h"])
    with store.uow() as uow:
        found = find_booking(uow.conn, "piu", "06A9FD")
        assert found is not None
        [version] = list_versions(uow.conn, found["id"])
    data = json.loads(version["data"])
    assert data["record_locator"] == "06A9FD"
    assert [leg["flight_number"] for leg in data["itinerary"]] == ["834", "706", "988"]
    assert data["travellers"][0]["documents"][1]["kind"] == "DOCO"
    assert "position" not in data and "line" not in data["travellers"][0]
    assert (version["filtered"], json.loads(version["filtered_categories"])) == (0, {})


def test_the_same_flight_from_api_and_pnr_meets(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, "api.edi", API_UA988, dataset="border_api")
    ingest(store, IngestRequest(str(DATA_DIR / DOCO), "piu_pnr", agency="piu"))
    with store.uow() as uow:
        flights = uow.conn.execute(select(flight.c.id, flight.c.flight_number)).all()
        on_ua988 = list_travellers(uow.conn, flight_id=UA988)
        linked = uow.conn.execute(
            select(booking_flight.c.marketing_flight_number).where(
                booking_flight.c.flight_id == UA988
            )
        ).scalar_one()
    assert len(flights) == 3 and (UA988, "988") in [tuple(f) for f in flights]
    assert sorted((t["source"], t["dataset"]) for t in on_ua988) == [
        ("api", "border_api"),
        ("pnr", "piu_pnr"),
    ]
    assert linked == "988"
    api = next(t for t in on_ua988 if t["source"] == "api")
    assert json.loads(api["documents"])[0]["number"] == "602120901"
    assert api["entity_id"] != next(t for t in on_ua988 if t["source"] == "pnr")["entity_id"]


def test_a_traveller_no_longer_booked_leaves_the_flight(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, "24h.edi", PUSHES["24h"])
    renamed = PUSHES["departure"].replace(b"TIF+ACKARY+CHARLESMR", b"TIF+ACKARY+CHARLES MR")
    load(store, tmp_path, "departure.edi", renamed)
    with store.uow() as uow:
        found = find_booking(uow.conn, "piu", "06A9FD")
        assert found is not None
        booked = list_travellers(uow.conn, booking_id=found["id"])
        assert len(list_versions(uow.conn, found["id"])) == 2
    assert {(t["given_names"], t["flight_id"] is not None) for t in booked} == {("CHARLES", True)}
    assert len(booked) == 3


def test_codeshare_legs_are_the_message_flight(store: Store) -> None:
    ingest(store, IngestRequest(str(DATA_DIR / PG75), "piu", agency="piu"))
    with store.uow() as uow:
        [(flight_id, carrier, number)] = uow.conn.execute(
            select(flight.c.id, flight.c.carrier, flight.c.flight_number)
        ).all()
        marketed = uow.conn.execute(
            select(booking_flight.c.marketing_carrier).where(
                booking_flight.c.flight_id == flight_id
            )
        ).scalars()
        assert sorted(marketed) == ["KE", "OZ"]  # two bookings sold under two codes
    assert (carrier, number) == ("SQ", "609")


def test_another_flight_on_the_route_is_not_the_message_flight() -> None:
    pushed_for = Leg("SQ", "609", "ICN", "SIN", datetime(2013, 5, 27, 16, 40), None)
    morning = Leg("KE", "643", "ICN", "SIN", datetime(2013, 5, 27, 9, 0), None)
    assert not same_flight(morning, pushed_for)
    assert same_flight(replace(morning, departure=pushed_for.departure), pushed_for)
    assert not same_flight(replace(morning, departure=None), pushed_for)


def test_flight_numbers_drop_leading_zeros() -> None:
    cases = {"0006": "6", "0989": "989", "609": "609", "0123A": "123A", " 12 ": "12", "AB": "AB"}
    assert {given: flight_number(given) for given in cases} == cases


def test_counts_of_an_unknown_dataset_are_zero(store: Store) -> None:
    with store.uow() as uow:
        assert set(travel_counts(uow.conn, "nobody").values()) == {0}
