"""A retention run: deleting what is past its delete date, as of one day, in one transaction.

* **Statements** whose ``delete_after`` date has come go, with their name-index rows (the
  full-text index follows them: triggers on SQLite, a generated column on PostgreSQL).
* **Travel rows** of datasets whose retention class deletes go when the class's period,
  counted from when they were received, has ended: travellers (``first_seen``, as their
  statements count from it), booking versions; then the bookings left with neither
  versions nor travellers, the messages left with no row (with their data-quality rows),
  and the flights they leave unused.
* **Except what a screening hit needs.** A traveller whose screening subject (source
  ``travel``, external id the traveller's id) has a hit that is new, escalated or confirmed
  is kept, with the statements of its person and of the documents the person holds, its
  booking and every version of it: a person is reviewing the hit, or decided it was right,
  and the alert it led to must stay explainable. A dismissed hit keeps nothing; the
  subject, its hits and their decisions go with the traveller (a negative result may not
  outlive the data it was about, art. 12(5)).

Masking is not done here: it happens on every read (``rasid.retention.mask``); a run
records how much is masked as of its day. A run is idempotent: the same day again deletes
nothing more. It writes a ``retention_run`` row and an audit record with the counts per
table; a dry run does all of it and rolls back.
"""

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Delete, Select, delete, exists, func, select, text, union, update
from sqlalchemy.sql.elements import ColumnElement

from rasid.access import audit
from rasid.access.registry import list_datasets
from rasid.model.retention import Period, get_retention_class
from rasid.retention.mask import masked_props
from rasid.retention.periods import due_before
from rasid.store import Store
from rasid.store.statements import utcnow
from rasid.store.tables import (
    booking,
    booking_flight,
    booking_version,
    flight,
    flight_schedule,
    hit,
    hit_decision,
    message_flight,
    name_index,
    retention_run,
    screening_subject,
    statement,
    travel_message,
    traveller,
)

TRAVEL_SUBJECTS = "travel"  # the screening source of travellers (rasid.travel.screening)
KEEP_STATUSES = ("new", "escalated", "confirmed")  # hits that keep their traveller
LOCK_KEY = 0x7261736964_7274  # PostgreSQL advisory lock of retention runs ("rasid", "rt")

# Called with (steps done, steps in all) as the run goes.
ProgressFn = Callable[[int, int], None]


@dataclass
class RetentionReport:
    """What a run did as of ``as_of``: rows deleted per table, rows due but kept for a
    screening hit, and rows masked on reads as of that day."""

    as_of: date
    actor: str
    started_at: datetime
    finished_at: datetime | None = None
    run_id: int | None = None
    dry_run: bool = False
    skipped: bool = False  # a scheduled run found the day's run done already
    deleted: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    masked: dict[str, int] = field(default_factory=dict)

    @property
    def total_deleted(self) -> int:
        """Rows deleted, all tables together."""
        return sum(self.deleted.values())

    @property
    def total_masked(self) -> int:
        """Rows shown masked as of the run's day, all tables together."""
        return sum(self.masked.values())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        data["started_at"] = self.started_at.isoformat()
        data["finished_at"] = self.finished_at.isoformat() if self.finished_at else None
        return data


class _Rollback(Exception):
    """Ends a unit of work without committing, carrying the report out."""

    def __init__(self, report: RetentionReport) -> None:
        super().__init__("rolled back")
        self.report = report


def run_retention(
    store: Store,
    today: date,
    actor: str,
    *,
    dry_run: bool = False,
    once_a_day: bool = False,
    progress: ProgressFn | None = None,
) -> RetentionReport:
    """Run retention as of ``today`` in one transaction (see the module docstring).

    ``dry_run``: count everything, change nothing. ``once_a_day``: do nothing (the report
    says ``skipped``) when a run as of ``today`` exists already, as the schedule wants
    with several server processes."""
    try:
        with store.uow() as uow:
            report = retain(uow.conn, today, actor, once_a_day=once_a_day, progress=progress)
            if dry_run or report.skipped:
                raise _Rollback(report)
    except _Rollback as rolled_back:
        report = rolled_back.report
        report.dry_run = dry_run
        report.run_id = None
    return report


def retain(
    conn: Connection,
    today: date,
    actor: str,
    *,
    once_a_day: bool = False,
    progress: ProgressFn | None = None,
) -> RetentionReport:
    """The run on the caller's connection (the caller's unit of work commits it)."""
    report = RetentionReport(today, actor, utcnow())
    report.run_id = _claim(conn, report)
    if once_a_day and _ran_on(conn, today, report.run_id):
        report.skipped = True
        return report
    periods = _delete_periods(conn)
    total, step = len(periods) + 3, _Steps(progress)
    step(0, total)
    _delete_statements(conn, today, report)
    step(1, total)
    unused: set[str] = set()
    for done, (dataset, period) in enumerate(sorted(periods.items()), start=2):
        unused |= _delete_travel(conn, dataset, due_before(period, today), report)
        step(done, total)
    _count(report, "deleted", "flight", _delete_unused_flights(conn, unused))
    step(total - 1, total)
    report.masked = masked_counts(conn, today)
    _finish(conn, report)
    step(total, total)
    return report


class _Steps:
    """Progress by steps (no callback: nothing)."""

    def __init__(self, progress: ProgressFn | None) -> None:
        self.progress = progress

    def __call__(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


def _claim(conn: Connection, report: RetentionReport) -> int:
    """Serialise runs and return the new run's id. On PostgreSQL an advisory lock (held
    to the end of the transaction); on SQLite, inserting the run's row first takes the
    database's write lock. A second run (another server process) waits for the first
    to commit, then sees its row."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    row = {
        "started_at": report.started_at,
        "finished_at": report.started_at,
        "as_of": report.as_of,
        "actor": report.actor,
        "masked": 0,
        "deleted": 0,
        "counts": "{}",
    }
    inserted = conn.execute(retention_run.insert().values(**row).returning(retention_run.c.id))
    return int(inserted.scalar_one())


def _ran_on(conn: Connection, day: date, run_id: int) -> bool:
    """True when a run as of ``day`` other than ``run_id`` is recorded."""
    query = select(retention_run.c.id).where(
        retention_run.c.as_of == day, retention_run.c.id != run_id
    )
    return conn.execute(query.limit(1)).first() is not None


def _delete_periods(conn: Connection) -> dict[str, Period]:
    """The delete period of each dataset whose retention class deletes."""
    found = {}
    for dataset in list_datasets(conn):
        period = get_retention_class(dataset.retention_class).delete_after
        if period is not None:
            found[dataset.name] = period
    return found


def _count(report: RetentionReport, kind: str, table: str, n: int) -> None:
    counts: dict[str, int] = getattr(report, kind)
    counts[table] = counts.get(table, 0) + n


def _execute(conn: Connection, statement_: Delete) -> int:
    return int(conn.execute(statement_).rowcount or 0)


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


def _delete_statements(conn: Connection, today: date, report: RetentionReport) -> None:
    """Delete the statements due as of ``today`` and their name-index rows, less those a
    screening hit needs."""
    kept = _kept_entities(today)
    due = statement.c.delete_after <= today
    kept_n = conn.execute(
        select(func.count()).select_from(statement).where(due, statement.c.entity_id.in_(kept))
    ).scalar_one()
    _count(report, "kept", "statement", int(kept_n))
    going: ColumnElement[bool] = due & statement.c.entity_id.not_in(kept)
    ids = select(statement.c.id).where(going)
    _count(
        report,
        "deleted",
        "name_index",
        _execute(conn, delete(name_index).where(name_index.c.statement_id.in_(ids))),
    )
    _count(report, "deleted", "statement", _execute(conn, delete(statement).where(going)))


# Travel rows -----------------------------------------------------------------------------


def _delete_travel(
    conn: Connection, dataset: str, cut: datetime, report: RetentionReport
) -> set[str]:
    """Delete a dataset's travel rows received before ``cut`` (less those a hit needs);
    returns the flights they used."""
    kept = kept_travellers()
    due = (
        (traveller.c.dataset == dataset)
        & (traveller.c.first_seen < cut)
        & traveller.c.id.not_in(kept)
    )
    held = (
        select(func.count())
        .select_from(traveller)
        .where(
            traveller.c.dataset == dataset, traveller.c.first_seen < cut, traveller.c.id.in_(kept)
        )
    )
    _count(report, "kept", "traveller", int(conn.execute(held).scalar_one()))
    flights = set(conn.scalars(select(traveller.c.flight_id).where(due).distinct()))
    _delete_subjects(conn, select(traveller.c.id).where(due), report)
    _count(report, "deleted", "traveller", _execute(conn, delete(traveller).where(due)))
    _delete_versions(conn, dataset, cut, report)
    flights |= _delete_bookings(conn, dataset, cut, report)
    flights |= _delete_messages(conn, dataset, cut, report)
    return {f for f in flights if f}


def _delete_subjects(
    conn: Connection, travellers: Select[tuple[Any]], report: RetentionReport
) -> None:
    """Delete the screening subjects of deleted travellers, with their (dismissed) hits
    and the decisions on them."""
    subjects = select(screening_subject.c.id).where(
        screening_subject.c.source == TRAVEL_SUBJECTS,
        screening_subject.c.external_id.in_(travellers),
    )
    hits = select(hit.c.id).where(hit.c.subject_id.in_(subjects))
    _count(
        report,
        "deleted",
        "hit_decision",
        _execute(conn, delete(hit_decision).where(hit_decision.c.hit_id.in_(hits))),
    )
    _count(
        report, "deleted", "hit", _execute(conn, delete(hit).where(hit.c.subject_id.in_(subjects)))
    )
    gone = delete(screening_subject).where(screening_subject.c.id.in_(subjects))
    _count(report, "deleted", "screening_subject", _execute(conn, gone))


def _delete_versions(
    conn: Connection, dataset: str, cut: datetime, report: RetentionReport
) -> None:
    """Delete the dataset's booking versions received before ``cut``, less every version
    of a booking whose traveller a hit needs."""
    owned = select(booking.c.id).where(booking.c.dataset == dataset)
    needed = select(traveller.c.booking_id).where(
        traveller.c.id.in_(kept_travellers()), traveller.c.booking_id.is_not(None)
    )
    going = delete(booking_version).where(
        booking_version.c.booking_id.in_(owned),
        booking_version.c.received_at < cut,
        booking_version.c.booking_id.not_in(needed),
    )
    _count(report, "deleted", "booking_version", _execute(conn, going))


def _delete_bookings(
    conn: Connection, dataset: str, cut: datetime, report: RetentionReport
) -> set[str]:
    """Delete the dataset's bookings left with no version and no traveller (and their
    itineraries); returns the flights those used."""
    left = select(booking.c.id).where(
        booking.c.dataset == dataset,
        booking.c.first_received < cut,
        ~exists().where(booking_version.c.booking_id == booking.c.id),
        ~exists().where(traveller.c.booking_id == booking.c.id),
    )
    used = select(booking_flight.c.flight_id).where(booking_flight.c.booking_id.in_(left))
    flights = set(conn.scalars(used.distinct()))
    _count(
        report,
        "deleted",
        "booking_flight",
        _execute(conn, delete(booking_flight).where(booking_flight.c.booking_id.in_(left))),
    )
    _count(
        report, "deleted", "booking", _execute(conn, delete(booking).where(booking.c.id.in_(left)))
    )
    return flights


def _delete_messages(
    conn: Connection, dataset: str, cut: datetime, report: RetentionReport
) -> set[str]:
    """Delete the dataset's messages received before ``cut`` that no row comes from any
    more (with their data-quality rows, which hold no personal data); returns the flights
    those rows named."""
    left = select(travel_message.c.id).where(
        travel_message.c.dataset == dataset,
        travel_message.c.received_at < cut,
        ~exists().where(traveller.c.message_id == travel_message.c.id),
        ~exists().where(booking_version.c.message_id == travel_message.c.id),
    )
    used = select(message_flight.c.flight_id).where(message_flight.c.message_id.in_(left))
    flights = set(conn.scalars(used.distinct()))
    _count(
        report,
        "deleted",
        "message_flight",
        _execute(conn, delete(message_flight).where(message_flight.c.message_id.in_(left))),
    )
    gone = delete(travel_message).where(travel_message.c.id.in_(left))
    _count(report, "deleted", "travel_message", _execute(conn, gone))
    return flights


def _delete_unused_flights(conn: Connection, candidates: set[str]) -> int:
    """Delete the flights among ``candidates`` that nothing refers to any more (a flight
    in a schedule the unit loaded stays)."""
    deleted = 0
    ids = sorted(candidates)
    for start in range(0, len(ids), 500):
        deleted += _execute(
            conn,
            delete(flight).where(
                flight.c.id.in_(ids[start : start + 500]),
                ~exists().where(traveller.c.flight_id == flight.c.id),
                ~exists().where(booking_flight.c.flight_id == flight.c.id),
                ~exists().where(message_flight.c.flight_id == flight.c.id),
                ~exists().where(flight_schedule.c.flight_id == flight.c.id),
            ),
        )
    return deleted


# Masking state -------------------------------------------------------------------------


def masked_counts(conn: Connection, today: date) -> dict[str, int]:
    """How many rows reads show masked as of ``today``: statements of identifying
    properties past their mask date, and travel rows past their dataset's mask period."""
    due = statement.c.mask_after <= today
    props = statement.c.prop.in_(sorted(masked_props()))
    counts = {
        "statement": int(
            conn.execute(select(func.count()).select_from(statement).where(due, props)).scalar_one()
        ),
        "traveller": 0,
        "booking": 0,
        "booking_version": 0,
    }
    for dataset in list_datasets(conn):
        period = get_retention_class(dataset.retention_class).mask_after
        if period is not None:
            cut = due_before(period, today)
            for table, n in travel_before(conn, dataset.name, cut).items():
                counts[table] += n
    return counts


def travel_before(conn: Connection, dataset: str, cut: datetime) -> dict[str, int]:
    """A dataset's travel rows received before ``cut``, per table."""
    owned = select(booking.c.id).where(booking.c.dataset == dataset)
    queries = {
        "traveller": select(func.count())
        .select_from(traveller)
        .where(traveller.c.dataset == dataset, traveller.c.first_seen < cut),
        "booking": select(func.count())
        .select_from(booking)
        .where(booking.c.dataset == dataset, booking.c.first_received < cut),
        "booking_version": select(func.count())
        .select_from(booking_version)
        .where(booking_version.c.booking_id.in_(owned), booking_version.c.received_at < cut),
    }
    return {table: int(conn.execute(q).scalar_one()) for table, q in queries.items()}


def _finish(conn: Connection, report: RetentionReport) -> None:
    """Complete the run's row and write the audit record."""
    report.finished_at = utcnow()
    counts = {"deleted": report.deleted, "kept": report.kept, "masked": report.masked}
    conn.execute(
        update(retention_run)
        .where(retention_run.c.id == report.run_id)
        .values(
            finished_at=report.finished_at,
            masked=report.total_masked,
            deleted=report.total_deleted,
            counts=json.dumps(counts, sort_keys=True),
        )
    )
    audit.append(
        conn,
        report.actor,
        "retention.run",
        report.as_of.isoformat(),
        detail={"run": report.run_id, **counts},
    )
