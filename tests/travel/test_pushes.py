"""A file's PNR pushes written together give the rows that writing them one at a time gives,
on both databases: new and known bookings, re-pushes that change a booking, versions received
late or twice, and travellers who leave a booking and come back."""

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select

from rasid.ingest.records import ReadContext
from rasid.ingest.run import IngestRequest, ingest
from rasid.model.keys import sha256_hex
from rasid.store import Store
from rasid.store.tables import booking, booking_flight, booking_version, travel_message, traveller
from rasid.travel.parse import parse
from rasid.travel.pushes import save_pushes
from rasid.travel.rows import Plan, Planner, Push, close, message_row
from rasid.travel.sensitive import screen_pnr
from rasid.travel.store import save_flights
from tests.travel.helpers import API_UA988, PUSHES, SAMPLES, push, sample

DATASET = "piu"
BEFORE, NOW = datetime(2018, 5, 10, 12), datetime(2018, 5, 12, 12)
TABLES = (booking, booking_version, booking_flight, traveller)
# The departure push with the traveller's name written otherwise: another person, so the
# traveller rows of the booking change. A later push names them as before again.
RENAMED = PUSHES["departure"].replace(b"TIF+ACKARY+CHARLESMR", b"TIF+ACKARY+CHARLES MR")
AGAIN = push(4, "130518:1100", "24B")


def plan_of(data: bytes) -> Plan:
    """What the import plans for a PNRGOV file (see ``rasid.ingest.travel``)."""
    result = parse(data)
    row = message_row(DATASET, "test", result, sha256_hex(data))
    planner = Planner(DATASET, row, ReadContext(DATASET).make_id)
    for batch in result.pnr_batches:
        planner.add_batch(batch, [screen_pnr(pnr) for pnr in batch.pnrs])
    close(planner.plan, result, len(result.pnr_batches))
    return planner.plan


def prepare(store: Store, tmp_path: Path, plans: list[Plan]) -> None:
    """The dataset, the files' records and their flights, as an import writes them first."""
    path = tmp_path / "api.edi"
    path.write_bytes(API_UA988)
    run_id = ingest(store, IngestRequest(str(path), DATASET, agency="piu")).run_id
    with store.uow() as uow:
        messages = {p.message["id"]: p.message for p in plans}
        rows = [{**m, "run_id": run_id, "received_at": BEFORE} for m in messages.values()]
        uow.conn.execute(travel_message.insert(), rows)
        for plan in plans:
            save_flights(uow.conn, plan.flights.values(), BEFORE)


def written(conn: Connection, before: list[Push], pushes: list[Push], together: bool) -> Any:
    """Every row of the booking tables after ``before`` (one at a time) and then ``pushes``
    (together, or one at a time); the rows are removed again (not the API traveller of
    ``prepare``)."""
    for one in before:
        save_pushes(conn, [one], BEFORE)
    if together:
        new = save_pushes(conn, pushes, NOW)
    else:
        new = sum(save_pushes(conn, [one], NOW) for one in pushes)
    booked = traveller.c.booking_id.is_not(None)
    queries = {t.name: select(t) for t in TABLES} | {"traveller": select(traveller).where(booked)}
    rows = {name: sorted(conn.execute(q).all(), key=tuple) for name, q in queries.items()}
    conn.execute(delete(traveller).where(booked))
    for table in (booking_flight, booking_version, booking):
        conn.execute(delete(table))
    return new, rows


def same_either_way(store: Store, before: list[Push], pushes: list[Push]) -> Any:
    with store.uow() as uow:
        one_by_one = written(uow.conn, before, pushes, together=False)
        together = written(uow.conn, before, pushes, together=True)
    assert together == one_by_one
    return together


def test_pushes_together_equal_pushes_one_at_a_time(store: Store, tmp_path: Path) -> None:
    files = [PUSHES["24h"], RENAMED, AGAIN, PUSHES["48h"], PUSHES["24h"], PUSHES["departure"]]
    plans = [plan_of(data) for data in files]
    prepare(store, tmp_path, plans)
    pushes = [p for plan in plans for p in plan.pushes]
    new, rows = same_either_way(store, pushes[:1], pushes[1:])
    # The 24 h push was stored before; the departure push is older than AGAIN (kept only).
    assert new == 4
    [found] = rows["booking"]
    assert found.current_version == pushes[2].version["id"]  # AGAIN, the newest
    seats = {(t.given_names, t.seat) for t in rows["traveller"] if t.flight_id is not None}
    assert ("CHARLESMR", "24B") in seats  # the name as sent, its title glued on
    # The traveller left with RENAMED and came back with AGAIN: seen anew from then on.
    assert {t.first_seen for t in rows["traveller"]} == {NOW}


def test_a_traveller_in_every_newer_push_keeps_first_seen(store: Store, tmp_path: Path) -> None:
    plans = [plan_of(data) for data in (PUSHES["48h"], PUSHES["24h"], PUSHES["departure"])]
    prepare(store, tmp_path, plans)
    pushes = [p for plan in plans for p in plan.pushes]
    new, rows = same_either_way(store, pushes[:1], pushes[1:])
    assert new == 2
    assert {t.first_seen for t in rows["traveller"]} == {BEFORE}
    assert {t.last_seen for t in rows["traveller"]} == {NOW}


def test_many_bookings_together_equal_one_at_a_time(store: Store, tmp_path: Path) -> None:
    names = [name for name in SAMPLES if name.startswith("pnrgov")]
    plans = [plan_of(sample(name)) for name in names]
    prepare(store, tmp_path, plans)
    pushes = [p for plan in plans for p in plan.pushes]
    assert len({p.booking["id"] for p in pushes}) > 5
    new, rows = same_either_way(store, [], pushes + pushes[::-1])
    assert new == len({p.version["id"] for p in pushes})
    assert len(rows["booking"]) == len({p.booking["id"] for p in pushes})


def test_no_pushes_write_nothing(store: Store) -> None:
    with store.uow() as uow:
        assert save_pushes(uow.conn, [], NOW) == 0
