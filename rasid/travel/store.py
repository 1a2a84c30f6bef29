"""Travel tables: writing a file's plan (``rasid.travel.rows``) and reading what is stored.

Functions take the caller's connection and never commit: an import writes a whole file in
its own unit of work. A file already received into the dataset (same bytes) adds nothing.

A booking's rows (its current columns, its links to flights, its travellers) show its newest
version: the one with the latest last-transaction time (else the message's time), a later
arrival winning a tie. A version received late is kept in ``booking_version`` and changes
nothing else. Travellers of a booking who are no longer in its newest version, or no longer
on one of its flights, are removed from ``traveller`` (the versions keep them).
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

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
from rasid.travel.rows import Plan, Push, Row

# Columns of a traveller row that a newer message may change (first_seen stays).
TRAVELLER_UPDATES = (
    "flight_id",
    "booking_id",
    "message_id",
    "role",
    "role_code",
    "surname",
    "given_names",
    "sex",
    "birth_date",
    "nationality",
    "residence_country",
    "seat",
    "booking_reference",
    "documents",
    "entity_id",
    "last_seen",
)
# Columns of a booking that its newest version sets.
BOOKING_CURRENT = (
    "booked_at",
    "last_transaction_at",
    "point_of_sale",
    "contacts",
    "addresses",
    "payments",
    "tickets",
    "bags",
    "current_version",
    "as_of",
)
TABLES = {
    "messages": travel_message,
    "flights": flight,
    "bookings": booking,
    "booking_versions": booking_version,
    "booking_flights": booking_flight,
    "travellers": traveller,
}


def _insert(conn: Connection, table: Table) -> Any:
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table)


def _insert_new(conn: Connection, table: Table, row: Row) -> bool:
    """Insert a row unless its id exists; True when it was inserted. (RETURNING, as the
    drivers do not all count rows an ON CONFLICT clause skipped.)"""
    ins = _insert(conn, table).on_conflict_do_nothing(index_elements=["id"])
    return conn.execute(ins.returning(table.c.id), row).first() is not None


def save_plan(conn: Connection, plan: Plan, run_id: str, received: datetime) -> bool:
    """Write what one file says; False (and nothing written) when the dataset already
    received this file."""
    message = {**plan.message, "run_id": run_id, "received_at": received}
    if not _insert_new(conn, travel_message, message):
        return False
    save_flights(conn, plan.flights.values(), received)
    if plan.message_flights:
        rows = [{**row, "received_at": received} for row in plan.message_flights]
        conn.execute(message_flight.insert(), rows)
    save_travellers(conn, plan.travellers, received)
    for push in plan.pushes:
        save_push(conn, push, received)
    return True


def save_flights(conn: Connection, rows: Iterable[Row], received: datetime) -> None:
    """Add flights; a flight known already gains the arrival and times it lacked."""
    rows = [{**r, "created_at": received} for r in rows]
    if not rows:
        return
    ins = _insert(conn, flight)
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
    conn.execute(ins.on_conflict_do_update(index_elements=["id"], set_=filled), rows)


def save_travellers(conn: Connection, rows: Iterable[Row], received: datetime) -> None:
    """Add travellers, or bring known ones up to this message (first_seen kept)."""
    # One row per id: PostgreSQL refuses to update a row twice in one statement.
    rows = list(
        {r["id"]: {**r, "first_seen": received, "last_seen": received} for r in rows}.values()
    )
    if not rows:
        return
    ins = _insert(conn, traveller)
    changes = {column: ins.excluded[column] for column in TRAVELLER_UPDATES}
    conn.execute(ins.on_conflict_do_update(index_elements=["id"], set_=changes), rows)


def save_push(conn: Connection, push: Push, received: datetime) -> bool:
    """Add one version of a booking; False when this version was stored before. When it is
    the newest, the booking, its flights and its travellers are brought up to it."""
    booking_id = push.booking["id"]
    new_booking = {**push.booking, "first_received": received, "last_received": received}
    conn.execute(_insert(conn, booking).on_conflict_do_nothing(index_elements=["id"]), new_booking)
    version = {**push.version, "received_at": received}
    if not _insert_new(conn, booking_version, version):
        return False
    current = conn.execute(
        select(booking.c.current_version, booking.c.as_of).where(booking.c.id == booking_id)
    ).one()
    changes: dict[str, Any] = {"last_received": received}
    newest = current.current_version == version["id"] or _not_older(version["as_of"], current.as_of)
    if newest:
        changes |= {column: push.booking[column] for column in BOOKING_CURRENT}
    conn.execute(update(booking).where(booking.c.id == booking_id).values(**changes))
    if newest:
        _replace_itinerary(conn, push, received)
    return True


def _not_older(as_of: datetime | None, current: datetime | None) -> bool:
    """True when a version of this time is at least as new as the current one (a version
    without a time is older than any with one)."""
    return current is None or (as_of is not None and as_of >= current)


def _replace_itinerary(conn: Connection, push: Push, received: datetime) -> None:
    """The booking's flights and travellers made those of ``push``."""
    booking_id = push.booking["id"]
    conn.execute(delete(booking_flight).where(booking_flight.c.booking_id == booking_id))
    if push.links:
        conn.execute(booking_flight.insert(), push.links)
    kept = [row["id"] for row in push.travellers]
    gone = delete(traveller).where(traveller.c.booking_id == booking_id)
    conn.execute(gone.where(traveller.c.id.not_in(kept)) if kept else gone)
    save_travellers(conn, push.travellers, received)


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
