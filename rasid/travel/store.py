"""Travel tables: writing a file's plan (``rasid.travel.rows``) and reading what is stored.

Functions take the caller's connection and never commit: an import writes a whole file in
its own unit of work. A file already received into the dataset (same bytes) adds nothing.

A booking's rows (its current columns, its links to flights, its travellers) show its newest
version: the one with the latest last-transaction time (else the message's time), a later
arrival winning a tie. A version received late is kept in ``booking_version`` and changes
nothing else. Travellers of a booking who are no longer in its newest version, or no longer
on one of its flights, are removed from ``traveller`` (the versions keep them).
``rasid.travel.pushes`` writes a file's pushes together, with the same result.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, select
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ClauseElement

from rasid.store.bulk import execute_many
from rasid.store.tables import (
    booking,
    booking_flight,
    booking_version,
    flight,
    message_flight,
    travel_message,
    traveller,
)
from rasid.store.visibility import Masker
from rasid.travel.pushes import insert_for, save_pushes, save_travellers
from rasid.travel.rows import Plan, Row

TABLES = {
    "messages": travel_message,
    "flights": flight,
    "bookings": booking,
    "booking_versions": booking_version,
    "booking_flights": booking_flight,
    "travellers": traveller,
}


def _add_message(conn: Connection, row: Row) -> bool:
    """Insert a file's record unless the dataset has it; True when it was inserted.
    (RETURNING, as the drivers do not all count rows an ON CONFLICT clause skipped.)"""
    ins = insert_for(conn.dialect, travel_message).on_conflict_do_nothing(index_elements=["id"])
    return conn.execute(ins.returning(travel_message.c.id), row).first() is not None


def save_plan(conn: Connection, plan: Plan, run_id: str, received: datetime) -> bool:
    """Write what one file says; False (and nothing written) when the dataset already
    received this file."""
    message = {**plan.message, "run_id": run_id, "received_at": received}
    if not _add_message(conn, message):
        return False
    save_flights(conn, plan.flights.values(), received)
    rows = [{**row, "received_at": received} for row in plan.message_flights]
    execute_many(conn, _add_message_flights, rows)
    save_travellers(conn, plan.travellers, received)
    save_pushes(conn, plan.pushes, received)
    return True


def _add_message_flights(dialect: Dialect) -> ClauseElement:
    return message_flight.insert()


def _upsert_flights(dialect: Dialect) -> ClauseElement:
    """A flight known already gains the arrival and times it lacked."""
    ins = insert_for(dialect, flight)
    filled = {
        "arrival_airport": case(
            (flight.c.arrival_airport == "", ins.excluded.arrival_airport),
            else_=flight.c.arrival_airport,
        ),
        "scheduled_departure": func.coalesce(
            flight.c.scheduled_departure, ins.excluded.scheduled_departure
        ),
        "scheduled_arrival": func.coalesce(
            flight.c.scheduled_arrival, ins.excluded.scheduled_arrival
        ),
    }
    upsert: ClauseElement = ins.on_conflict_do_update(index_elements=["id"], set_=filled)
    return upsert


def save_flights(conn: Connection, rows: Iterable[Row], received: datetime) -> None:
    """Add flights (rows with the same columns); a flight known already gains the arrival
    and times it lacked."""
    execute_many(conn, _upsert_flights, [{**r, "created_at": received} for r in rows])


# Reading ---------------------------------------------------------------------------------


def travel_counts(conn: Connection, dataset: str | None = None) -> dict[str, int]:
    """How many rows each travel table holds (of one dataset where the table has one;
    flights belong to no dataset)."""
    found = {}
    for name, table in TABLES.items():
        query = select(func.count()).select_from(table)
        if dataset is not None and "dataset" in table.c:
            query = query.where(table.c.dataset == dataset)
        elif dataset is not None and "booking_id" in table.c:
            owned = select(booking.c.id).where(booking.c.dataset == dataset)
            query = query.where(table.c.booking_id.in_(owned))
        found[name] = int(conn.execute(query).scalar_one())
    return found


# A read of personal data passes the policy's masking (``Visibility.masking``): rows past
# their dataset's mask period come back with names, documents, contacts and payment masked
# and ``masked`` set. Without one (None), rows are returned as stored.


def find_booking(
    conn: Connection,
    dataset: str,
    record_locator: str,
    carrier: str | None = None,
    masking: Masker | None = None,
) -> dict[str, Any] | None:
    """A booking of a dataset by its record locator (and owning carrier), or None."""
    query = select(booking).where(
        booking.c.dataset == dataset, booking.c.record_locator == record_locator
    )
    if carrier is not None:
        query = query.where(booking.c.carrier == carrier)
    row = conn.execute(query).first()
    if row is None:
        return None
    found = dict(row._mapping)
    return masking.row("booking", found) if masking else found


def list_versions(
    conn: Connection, booking_id: str, masking: Masker | None = None
) -> list[dict[str, Any]]:
    """Every version received of a booking, oldest first."""
    query = (
        select(booking_version, booking.c.dataset)
        .join(booking, booking.c.id == booking_version.c.booking_id)
        .where(booking_version.c.booking_id == booking_id)
        .order_by(booking_version.c.received_at, booking_version.c.as_of, booking_version.c.id)
    )
    found = []
    for row in conn.execute(query):
        version = {k: v for k, v in row._mapping.items() if k != "dataset"}
        found.append(masking.row("booking_version", version, row.dataset) if masking else version)
    return found


def list_travellers(
    conn: Connection,
    *,
    flight_id: str | None = None,
    booking_id: str | None = None,
    masking: Masker | None = None,
) -> list[dict[str, Any]]:
    """The travellers on a flight or in a booking, by surname and given names."""
    query = select(traveller).order_by(traveller.c.surname, traveller.c.given_names)
    if flight_id is not None:
        query = query.where(traveller.c.flight_id == flight_id)
    if booking_id is not None:
        query = query.where(traveller.c.booking_id == booking_id)
    rows = conn.execute(query)
    if masking is None:
        return [dict(row._mapping) for row in rows]
    return [masking.row("traveller", dict(row._mapping)) for row in rows]
