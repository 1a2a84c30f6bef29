"""The deletions of a retention run, in short batches.

Each step streams the ids of the rows it may delete from a read connection (a read takes
no lock: SQLite's write-ahead log and PostgreSQL's snapshots let it run beside writers),
then deletes them ``batch`` at a time, each batch in a transaction of its own that begins
with its first delete and checks every condition again: a row that a screening hit started
to need since it was read stays. So the store's write lock (on SQLite, one for the whole
database) is held for one batch at a time, never for a scan, and requests that write (a
traveller check, a hit decision) wait at most that long. On SQLite a run pauses after each
batch for as long as the batch held the lock, so that a waiting writer gets its turn.

A dry run sends every batch to one connection whose transaction its caller rolls back.
"""

import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    Column,
    Connection,
    Delete,
    Select,
    Table,
    delete,
    exists,
    func,
    select,
    union,
)
from sqlalchemy.sql.dml import ReturningDelete
from sqlalchemy.sql.elements import ColumnElement

from rasid.store import Store
from rasid.store.chunks import chunks
from rasid.store.statements import of_entities
from rasid.store.tables import (
    booking,
    booking_flight,
    booking_version,
    entity_fingerprint,
    flight,
    flight_schedule,
    hit,
    hit_decision,
    message_flight,
    name_index,
    screening_subject,
    statement,
    travel_message,
    traveller,
)

TRAVEL_SUBJECTS = "travel"  # the screening source of travellers (rasid.travel.screening)
KEEP_STATUSES = ("new", "escalated", "confirmed")  # hits that keep their traveller
BATCH = 1_000  # rows a batch deletes at most (and the candidates read at a time)
PAUSE_CAP = 0.25  # seconds: the longest pause after a batch on SQLite

Counts = dict[str, int]
T = TypeVar("T")
# Deletes one batch on the connection, adding the rows it deleted per table to the tally.
Work = Callable[[Connection, Counts], None]
# Called with the run's deleted counts as they will stand, in the batch's transaction.
OnBatch = Callable[[Connection, Counts], None]


class Batches:
    """Where a run reads its candidates and sends its deletions (see the module docstring).

    ``deleted`` holds the rows deleted so far per table, updated when a batch commits.
    """

    def __init__(
        self,
        store: Store,
        *,
        shared: Connection | None = None,
        size: int = BATCH,
        on_batch: OnBatch | None = None,
    ) -> None:
        if size < 1:
            raise ValueError("a batch deletes at least one row")
        self.store = store
        self.shared = shared
        self.size = size
        self.on_batch = on_batch
        self.deleted: Counts = {}

    def expect(self, *tables: str) -> None:
        """Report these tables (as 0) even when a step deletes nothing from them."""
        for table in tables:
            self.deleted.setdefault(table, 0)

    def candidates(self, query: Select[Any]) -> Iterator[list[Any]]:
        """The first column of ``query``'s rows, ``size`` at a time, read on a connection
        of their own while the batches are deleted."""
        with self.store.engine.connect() as conn:
            result = conn.execution_options(yield_per=self.size).execute(query)
            for part in result.partitions():
                yield [row[0] for row in part]

    def read(self, reading: Callable[[Connection], T]) -> T:
        """``reading`` on the dry run's connection, or in a read of its own."""
        if self.shared is not None:
            return reading(self.shared)
        with self.store.uow() as uow:
            return reading(uow.conn)

    def count(self, query: Select[Any]) -> int:
        """A count query's answer (see ``read``)."""
        return self.read(lambda conn: int(conn.execute(query).scalar_one() or 0))

    def write(self, work: Work) -> None:
        """Run one batch's deletions and count them (in a transaction of its own, unless
        the run is dry)."""
        tally: Counts = {}
        if self.shared is not None:
            work(self.shared, tally)
            self.deleted = _added(self.deleted, tally)
            return
        started = time.monotonic()
        with self.store.uow() as uow:
            work(uow.conn, tally)
            after = _added(self.deleted, tally)
            if self.on_batch is not None:
                self.on_batch(uow.conn, after)
        self.deleted = after
        if self.store.dialect == "sqlite":
            time.sleep(min(time.monotonic() - started, PAUSE_CAP))


def _added(counts: Counts, tally: Counts) -> Counts:
    total = dict(counts)
    for table, n in tally.items():
        total[table] = total.get(table, 0) + n
    return total


def _execute(conn: Connection, statement_: Delete) -> int:
    return int(conn.execute(statement_).rowcount or 0)


def _returned(conn: Connection, statement_: ReturningDelete[Any]) -> list[Any]:
    """The first column of what a delete with RETURNING gave back."""
    return [row[0] for row in conn.execute(statement_)]


# What screening hits keep -----------------------------------------------------------------


def kept_travellers() -> Select[tuple[Any]]:
    """Ids of the travellers a screening hit needs (new, escalated or confirmed)."""
    return (
        select(screening_subject.c.external_id)
        .join(hit, hit.c.subject_id == screening_subject.c.id)
        .where(
            screening_subject.c.source == TRAVEL_SUBJECTS,
            screening_subject.c.external_id.is_not(None),
            hit.c.status.in_(KEEP_STATUSES),
        )
    )


def _kept_entities(today: date) -> Any:
    """Entity ids whose statements a hit needs: the persons of kept travellers and the
    documents they hold (among the statements due)."""
    persons = select(traveller.c.entity_id).where(traveller.c.id.in_(kept_travellers()))
    documents = select(statement.c.entity_id).where(
        statement.c.prop == "holder",
        statement.c.delete_after <= today,
        statement.c.value.in_(persons),
    )
    return union(persons, documents)


# Statements --------------------------------------------------------------------------------


def delete_statements(batches: Batches, today: date) -> int:
    """Delete the statements due as of ``today`` and their name-index rows, less those a
    screening hit needs; returns how many due statements a hit keeps."""
    due = statement.c.delete_after <= today
    kept = _kept_entities(today)  # evaluated anew by each query that uses it
    batches.expect("name_index", "statement")
    kept_n = batches.count(
        select(func.count()).select_from(statement).where(due, of_entities(kept))
    )
    going_all = due & statement.c.entity_id.not_in(kept)
    for ids in batches.candidates(select(statement.c.id).where(going_all)):

        def work(conn: Connection, tally: Counts, ids: list[Any] = ids) -> None:
            going: ColumnElement[bool] = statement.c.id.in_(ids) & going_all
            rows = select(statement.c.id).where(going)
            gone = delete(name_index).where(name_index.c.statement_id.in_(rows))
            tally["name_index"] = _execute(conn, gone)
            tally["statement"] = _execute(conn, delete(statement).where(going))

        batches.write(work)
    delete_fingerprints(batches, today)
    return kept_n


def delete_fingerprints(batches: Batches, today: date) -> None:
    """Delete the fingerprints of imported records due as of ``today`` (a hash of personal
    data goes with the first of its statements: ``rasid.ingest.fingerprints``)."""
    due = entity_fingerprint.c.delete_after <= today
    batches.expect("entity_fingerprint")
    for ids in batches.candidates(select(entity_fingerprint.c.entity_id).where(due)):

        def work(conn: Connection, tally: Counts, ids: list[Any] = ids) -> None:
            going = entity_fingerprint.c.entity_id.in_(ids) & due
            tally["entity_fingerprint"] = _execute(conn, delete(entity_fingerprint).where(going))

        batches.write(work)


# Travel rows -----------------------------------------------------------------------------

TRAVEL_TABLES = (
    "hit_decision",
    "hit",
    "screening_subject",
    "traveller",
    "booking_version",
    "booking_flight",
    "booking",
    "message_flight",
    "travel_message",
)


def delete_travel(batches: Batches, dataset: str, cut: datetime) -> tuple[int, set[str]]:
    """Delete a dataset's travel rows received before ``cut``, less those a hit needs;
    returns how many due travellers a hit keeps, and the flights the deleted rows used."""
    batches.expect(*TRAVEL_TABLES)
    due = (traveller.c.dataset == dataset) & (traveller.c.first_seen < cut)
    kept_n = batches.count(
        select(func.count())
        .select_from(traveller)
        .where(due, traveller.c.id.in_(kept_travellers()))
    )
    flights = _delete_travellers(batches, due)
    _delete_versions(batches, dataset, cut)
    flights |= _delete_bookings(batches, dataset, cut)
    flights |= _delete_messages(batches, dataset, cut)
    return kept_n, {f for f in flights if f}


def _delete_travellers(batches: Batches, due: ColumnElement[bool]) -> set[str]:
    """Delete the due travellers no hit needs, with their screening subjects (and the
    dismissed hits and decisions on those); returns their flights."""
    flights: set[str] = set()
    unneeded = due & traveller.c.id.not_in(kept_travellers())
    for ids in batches.candidates(select(traveller.c.id).where(unneeded)):

        def work(conn: Connection, tally: Counts, ids: list[Any] = ids) -> None:
            going = traveller.c.id.in_(ids) & unneeded
            _delete_subjects(conn, select(traveller.c.id).where(going), tally)
            used = delete(traveller).where(going).returning(traveller.c.flight_id)
            gone = _returned(conn, used)
            tally["traveller"] = len(gone)
            flights.update(gone)

        batches.write(work)
    return flights


def _delete_subjects(conn: Connection, travellers: Select[tuple[Any]], tally: Counts) -> None:
    """Delete the screening subjects of ``travellers``, with their (dismissed) hits and
    the decisions on them."""
    subjects = select(screening_subject.c.id).where(
        screening_subject.c.source == TRAVEL_SUBJECTS,
        screening_subject.c.external_id.in_(travellers),
    )
    hits = select(hit.c.id).where(hit.c.subject_id.in_(subjects))
    decisions = delete(hit_decision).where(hit_decision.c.hit_id.in_(hits))
    tally["hit_decision"] = _execute(conn, decisions)
    tally["hit"] = _execute(conn, delete(hit).where(hit.c.subject_id.in_(subjects)))
    gone = delete(screening_subject).where(screening_subject.c.id.in_(subjects))
    tally["screening_subject"] = _execute(conn, gone)


def _delete_versions(batches: Batches, dataset: str, cut: datetime) -> None:
    """Delete the dataset's booking versions received before ``cut``, less every version
    of a booking whose traveller a hit needs."""
    owned = select(booking.c.id).where(booking.c.dataset == dataset)
    needed = select(traveller.c.booking_id).where(
        traveller.c.id.in_(kept_travellers()), traveller.c.booking_id.is_not(None)
    )
    due = (
        booking_version.c.booking_id.in_(owned)
        & (booking_version.c.received_at < cut)
        & booking_version.c.booking_id.not_in(needed)
    )
    for ids in batches.candidates(select(booking_version.c.id).where(due)):

        def work(conn: Connection, tally: Counts, ids: list[Any] = ids) -> None:
            going = delete(booking_version).where(booking_version.c.id.in_(ids), due)
            tally["booking_version"] = _execute(conn, going)

        batches.write(work)


def _delete_bookings(batches: Batches, dataset: str, cut: datetime) -> set[str]:
    """Delete the dataset's bookings received before ``cut`` that are left with no
    version and no traveller (and their itineraries); returns the flights those used."""
    received = (booking.c.dataset == dataset) & (booking.c.first_received < cut)
    unused = (
        ~exists().where(booking_version.c.booking_id == booking.c.id),
        ~exists().where(traveller.c.booking_id == booking.c.id),
    )
    return _delete_left(batches, booking, received, unused, booking_flight.c.booking_id)


def _delete_messages(batches: Batches, dataset: str, cut: datetime) -> set[str]:
    """Delete the dataset's messages received before ``cut`` that no row comes from any
    more (with their data-quality rows, which hold no personal data); returns the flights
    those rows named."""
    received = (travel_message.c.dataset == dataset) & (travel_message.c.received_at < cut)
    unused = (
        ~exists().where(traveller.c.message_id == travel_message.c.id),
        ~exists().where(booking_version.c.message_id == travel_message.c.id),
    )
    return _delete_left(batches, travel_message, received, unused, message_flight.c.message_id)


def _delete_left(
    batches: Batches,
    table: Table,
    received: ColumnElement[bool],
    unused: tuple[ColumnElement[bool], ...],
    flights_of: Column[Any],
) -> set[str]:
    """Delete the rows of ``table`` (a booking or a message) received before the cut and
    left ``unused`` by the steps before, with their rows naming flights (``flights_of``
    is that table's column of ``table``'s id); returns those flights. The candidates are
    every row received before the cut: whether one is left is decided in its batch, after
    the steps before have deleted theirs (a dry run's reads do not see its deletions)."""
    flights: set[str] = set()
    legs = flights_of.table
    for ids in batches.candidates(select(table.c.id).where(received)):

        def work(conn: Connection, tally: Counts, ids: list[Any] = ids) -> None:
            left = select(table.c.id).where(table.c.id.in_(ids), received, *unused)
            named = delete(legs).where(flights_of.in_(left)).returning(legs.c.flight_id)
            used = _returned(conn, named)
            tally[legs.name] = len(used)
            flights.update(used)
            tally[table.name] = _execute(conn, delete(table).where(table.c.id.in_(left)))

        batches.write(work)
    return flights


def delete_unused_flights(batches: Batches, candidates: set[str]) -> None:
    """Delete the flights among ``candidates`` that nothing refers to any more (a flight
    in a schedule the unit loaded stays)."""
    batches.expect("flight")
    ids = sorted(candidates)
    for part in chunks(ids, batches.size):

        def work(conn: Connection, tally: Counts, part: list[str] = part) -> None:
            unused = delete(flight).where(
                flight.c.id.in_(part),
                ~exists().where(traveller.c.flight_id == flight.c.id),
                ~exists().where(booking_flight.c.flight_id == flight.c.id),
                ~exists().where(message_flight.c.flight_id == flight.c.id),
                ~exists().where(flight_schedule.c.flight_id == flight.c.id),
            )
            tally["flight"] = _execute(conn, unused)

        batches.write(work)
