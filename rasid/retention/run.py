"""A retention run: deleting what is past its delete date, as of one day.

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

The deletions go in short batches (``rasid.retention.sweep``), so that a run never holds
the store's write lock for long: a server keeps answering, and writing, while it runs. A
run first claims its day in a short transaction of its own: a ``retention_run`` row, with
no ``finished_at`` until it ends. Every batch updates that row's counts in its own
transaction, so a run that stops half-way (the process killed) says what it deleted; a
run that fails records its error. At the end the row gets its finish time, the rows
masked as of its day, and an audit record its counts per table.

Masking is not done here: it happens on every read (``rasid.retention.mask``); a run
records how much is masked as of its day. A run is idempotent: the same day again deletes
nothing more. A dry run does every batch in one transaction that it rolls back (on
SQLite it holds the write lock until it has counted).
"""

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select, text, update

from rasid.access import audit
from rasid.access.registry import list_datasets
from rasid.model.retention import Period, get_retention_class
from rasid.retention.mask import masked_props
from rasid.retention.periods import due_before
from rasid.retention.sweep import (
    BATCH,
    Batches,
    Counts,
    delete_statements,
    delete_travel,
    delete_unused_flights,
)
from rasid.store import Store
from rasid.store.statements import utcnow
from rasid.store.tables import booking, booking_version, retention_run, statement, traveller

LOCK_KEY = 0x7261736964_7274  # PostgreSQL advisory lock of retention claims ("rasid", "rt")
ERROR_CHARS = 500  # of a failed run's error, recorded

# Called with (steps done, steps in all) as the run goes.
ProgressFn = Callable[[int, int], None]
log = logging.getLogger(__name__)


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
    """Ends a unit of work without committing."""


def run_retention(
    store: Store,
    today: date,
    actor: str,
    *,
    dry_run: bool = False,
    once_a_day: bool = False,
    progress: ProgressFn | None = None,
    batch: int = BATCH,
) -> RetentionReport:
    """Run retention as of ``today`` (see the module docstring), ``batch`` rows per
    transaction at most.

    ``dry_run``: count everything, change nothing. ``once_a_day``: do nothing (the report
    says ``skipped``) when a run as of ``today`` exists already, finished or under way, as
    the schedule wants with several server processes; a run that failed does not count."""
    report = RetentionReport(today, actor, utcnow(), dry_run=dry_run)
    if dry_run:
        try:
            with store.uow() as uow:
                _sweep(Batches(store, shared=uow.conn, size=batch), report, progress)
                report.masked = masked_counts(uow.conn, today)
                raise _Rollback
        except _Rollback:
            return report
    if once_a_day and _ran_today(store, today):
        report.skipped = True
        return report
    report.run_id = _claim(store, report, once_a_day)
    if report.run_id is None:
        report.skipped = True
        return report
    _sweep_recorded(store, report, progress, batch)
    return report


def _sweep_recorded(
    store: Store, report: RetentionReport, progress: ProgressFn | None, batch: int
) -> None:
    """The real run: batches that keep the run's row up to date, then the finish (or,
    when something fails, the error on the row)."""

    def on_batch(conn: Connection, deleted: Counts) -> None:
        conn.execute(
            update(retention_run)
            .where(retention_run.c.id == report.run_id)
            .values(deleted=sum(deleted.values()), counts=_counts_json(report, deleted))
        )

    batches = Batches(store, size=batch, on_batch=on_batch)
    try:
        _sweep(batches, report, progress)
        with store.uow() as uow:
            report.masked = masked_counts(uow.conn, report.as_of)
        with store.uow() as uow:
            _finish(uow.conn, report)
    except Exception as error:
        report.deleted = batches.deleted
        _failed(store, report, error)
        raise


def _sweep(batches: Batches, report: RetentionReport, progress: ProgressFn | None) -> None:
    """Every deletion of the run, step by step; the report gets the counts at the end
    (a failure's handler takes them from ``batches``)."""
    today = report.as_of
    periods = batches.read(_delete_periods)
    total, step = len(periods) + 3, _Steps(progress)
    step(0, total)
    report.kept["statement"] = delete_statements(batches, today)
    step(1, total)
    unused: set[str] = set()
    for done, (dataset, period) in enumerate(sorted(periods.items()), start=2):
        kept_n, flights = delete_travel(batches, dataset, due_before(period, today))
        report.kept["traveller"] = report.kept.get("traveller", 0) + kept_n
        unused |= flights
        step(done, total)
    delete_unused_flights(batches, unused)
    report.deleted = batches.deleted
    step(total - 1, total)


class _Steps:
    """Progress by steps (no callback: nothing)."""

    def __init__(self, progress: ProgressFn | None) -> None:
        self.progress = progress

    def __call__(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


def _ran_today(store: Store, day: date) -> bool:
    """True when a run as of ``day`` is recorded (a read: no lock)."""
    with store.uow() as uow:
        return _ran_on(uow.conn, day, None)


def _claim(store: Store, report: RetentionReport, once_a_day: bool) -> int | None:
    """Record the run's row and return its id; None when ``once_a_day`` and another
    process claimed the day first. Claims are serialised: on PostgreSQL by an advisory
    lock (held to the end of the claim's transaction), on SQLite by the write lock that
    inserting the row takes. A second claim waits for the first to commit, then sees it."""
    row = {
        "started_at": report.started_at,
        "finished_at": None,
        "as_of": report.as_of,
        "actor": report.actor,
        "masked": 0,
        "deleted": 0,
        "counts": "{}",
    }
    try:
        with store.uow() as uow:
            conn = uow.conn
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            inserted = conn.execute(
                retention_run.insert().values(**row).returning(retention_run.c.id)
            )
            run_id = int(inserted.scalar_one())
            if once_a_day and _ran_on(conn, report.as_of, run_id):
                raise _Rollback
            return run_id
    except _Rollback:
        return None


def _ran_on(conn: Connection, day: date, run_id: int | None) -> bool:
    """True when a run as of ``day`` other than ``run_id`` is recorded and did not fail."""
    query = select(retention_run.c.id).where(
        retention_run.c.as_of == day, retention_run.c.error.is_(None)
    )
    if run_id is not None:
        query = query.where(retention_run.c.id != run_id)
    return conn.execute(query.limit(1)).first() is not None


def _delete_periods(conn: Connection) -> dict[str, Period]:
    """The delete period of each dataset whose retention class deletes."""
    found = {}
    for dataset in list_datasets(conn):
        period = get_retention_class(dataset.retention_class).delete_after
        if period is not None:
            found[dataset.name] = period
    return found


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


def _counts(report: RetentionReport, deleted: Counts | None = None) -> dict[str, Counts]:
    """The counts a run's row and audit record keep (``deleted`` as they will stand)."""
    gone = report.deleted if deleted is None else deleted
    return {"deleted": gone, "kept": report.kept, "masked": report.masked}


def _counts_json(report: RetentionReport, deleted: Counts | None = None) -> str:
    return json.dumps(_counts(report, deleted), sort_keys=True)


def _finish(conn: Connection, report: RetentionReport) -> None:
    """Complete the run's row and write the audit record."""
    report.finished_at = utcnow()
    conn.execute(
        update(retention_run)
        .where(retention_run.c.id == report.run_id)
        .values(
            finished_at=report.finished_at,
            masked=report.total_masked,
            deleted=report.total_deleted,
            counts=_counts_json(report),
        )
    )
    detail = {"run": report.run_id, **_counts(report)}
    audit.append(conn, report.actor, "retention.run", report.as_of.isoformat(), detail=detail)


def _failed(store: Store, report: RetentionReport, error: Exception) -> None:
    """Record on the run's row, and in the audit log, that the run failed, with what it
    had deleted (each batch committed whole or not at all). The next run deletes the
    rest: a failed run does not count as the day's. If the store cannot be reached to
    record it, the row keeps its counts and no finish time."""
    reason = f"{type(error).__name__}: {error}"[:ERROR_CHARS]
    report.finished_at = utcnow()
    values = {"finished_at": report.finished_at, "error": reason}
    try:
        with store.uow() as uow:
            uow.conn.execute(
                update(retention_run)
                .where(retention_run.c.id == report.run_id)
                .values(deleted=report.total_deleted, counts=_counts_json(report), **values)
            )
            detail = {"run": report.run_id, "error": reason, **_counts(report)}
            target = report.as_of.isoformat()
            audit.append(uow.conn, report.actor, "retention.failed", target, detail=detail)
    except Exception:
        log.exception("retention run %s failed, and recording its failure failed", report.run_id)
