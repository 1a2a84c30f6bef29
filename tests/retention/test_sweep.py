"""A retention run deletes in short batches, on both databases: the store stays writable
while it runs, its row tells how far it got, a hit recorded after the candidates were read
still keeps its traveller, and a run that fails or stops says so."""

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, func, insert, select

from rasid.access.audit import verify
from rasid.retention.periods import due_before
from rasid.retention.run import run_retention
from rasid.retention.status import last_run
from rasid.retention.sweep import Batches, Work, delete_statements, delete_travel
from rasid.store import Store
from rasid.store.tables import audit_event, retention_run, screening_subject, statement, traveller
from tests.retention.helpers import FIVE_YEARS, PNR, Loaded, hit_on, load_travel, traveller_ids


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Loaded:
    return load_travel(store, tmp_path)


def count(store: Store, table: Any, *where: Any) -> int:
    with store.uow() as uow:
        query = select(func.count()).select_from(table).where(*where)
        return int(uow.conn.execute(query).scalar_one())


def run_row(store: Store) -> Any:
    with store.uow() as uow:
        return uow.conn.execute(select(retention_run).order_by(retention_run.c.id.desc())).first()


def write_at_once(store: Store, name: str) -> None:
    """A write as a traveller check makes (a screening subject), giving up at once on
    SQLite if the write lock is taken."""
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            conn.exec_driver_sql("PRAGMA busy_timeout=0")
        now = datetime(2026, 1, 1)
        row = {"id": name, "source": "api", "name": name, "first_screened": now}
        conn.execute(insert(screening_subject).values(**row, last_screened=now))
        conn.commit()


def test_the_store_stays_writable_while_a_run_deletes(store: Store, loaded: Loaded) -> None:
    seen: list[Any] = []

    def between_steps(done: int, total: int) -> None:
        if done == 1:  # the statements are deleted; the travel rows come next
            write_at_once(store, "checked-during-the-run")
            seen.append(run_row(store))

    report = run_retention(store, loaded.deleted_on, "test", progress=between_steps, batch=2)
    assert count(store, screening_subject, screening_subject.c.source == "api") == 1
    (during,) = seen
    assert during.finished_at is None and during.error is None
    # The statements, their name rows and the two travellers' fingerprints, batch by batch.
    assert during.deleted == 43
    assert json.loads(during.counts)["deleted"]["entity_fingerprint"] == 2
    assert json.loads(during.counts)["deleted"]["statement"] == 39
    after = run_row(store)
    assert after.finished_at is not None and after.deleted == report.total_deleted
    assert report.deleted["statement"] == 39 and report.deleted["traveller"] == 4
    assert report.deleted["flight"] == 3


def test_small_batches_delete_what_large_ones_do(store: Store, loaded: Loaded) -> None:
    kept, *_ = traveller_ids(store, PNR)
    hit_on(store, kept, PNR, "confirmed")
    report = run_retention(store, loaded.deleted_on, "test", batch=1)
    assert traveller_ids(store, PNR) == [kept]
    assert report.kept == {"statement": 25, "traveller": 1}
    assert report.deleted["traveller"] == 3 and report.deleted["statement"] == 14
    with store.uow() as uow:
        recorded = last_run(uow.conn)
        assert verify(uow.conn).ok
    assert recorded is not None and recorded.counts["deleted"] == report.deleted


class HitOnFirstWrite(Batches):
    """Batches that record a hit on a traveller just before the first batch deletes:
    after the candidates were read, as a screening running beside the run would."""

    def __init__(self, store: Store, traveller_id: str) -> None:
        super().__init__(store, size=50)
        self.traveller_id: str | None = traveller_id

    def write(self, work: Work) -> None:
        if self.traveller_id is not None:
            hit_on(self.store, self.traveller_id, PNR, "new")
            self.traveller_id = None
        super().write(work)


def test_a_hit_recorded_after_the_read_keeps_what_it_needs(store: Store, loaded: Loaded) -> None:
    first, *others = traveller_ids(store, PNR)
    with store.uow() as uow:
        person = uow.conn.scalar(select(traveller.c.entity_id).where(traveller.c.id == first))
    delete_statements(HitOnFirstWrite(store, first), loaded.deleted_on)
    assert count(store, statement, statement.c.entity_id == person) > 0
    assert count(store, statement, statement.c.dataset == PNR) == 25  # its person, documents

    second = others[0]
    cut = due_before(FIVE_YEARS, loaded.deleted_on)
    kept_n, _ = delete_travel(HitOnFirstWrite(store, second), PNR, cut)
    assert kept_n == 1  # the first: its hit was there when the run counted
    assert traveller_ids(store, PNR) == sorted([first, second])


def test_a_failed_run_says_why_and_the_next_one_finishes(store: Store, loaded: Loaded) -> None:
    def fail_after_statements(done: int, total: int) -> None:
        if done == 1:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        run_retention(
            store,
            loaded.deleted_on,
            "system:retention",
            once_a_day=True,
            progress=fail_after_statements,
        )
    failed = run_row(store)
    assert failed.error == "RuntimeError: disk full" and failed.finished_at is not None
    assert failed.deleted == 43 and count(store, statement) == 0
    assert count(store, traveller) == 4  # not reached
    with store.uow() as uow:
        actions = list(uow.conn.scalars(select(audit_event.c.action)))
    assert "retention.failed" in actions and "retention.run" not in actions

    again = run_retention(store, loaded.deleted_on, "system:retention", once_a_day=True)
    assert not again.skipped and again.deleted["traveller"] == 4
    assert again.deleted["statement"] == 0 and count(store, traveller) == 0


class Killed(BaseException):
    """The process ended mid-run (nothing is caught, nothing recorded)."""


def test_a_run_that_stopped_still_holds_its_day(store: Store, loaded: Loaded) -> None:
    def killed(done: int, total: int) -> None:
        if done == 1:
            raise Killed

    with pytest.raises(Killed):
        run_retention(
            store, loaded.deleted_on, "system:retention", once_a_day=True, progress=killed
        )
    stopped = run_row(store)
    assert stopped.finished_at is None and stopped.error is None and stopped.deleted == 43
    # Another process cannot tell a stopped run from one under way: it leaves the day.
    later = run_retention(store, loaded.deleted_on, "system:retention", once_a_day=True)
    assert later.skipped
    with store.uow() as uow:
        recorded = last_run(uow.conn)
    assert recorded is not None and recorded.finished_at is None


def test_a_dry_run_takes_no_day_and_writes_nothing(store: Store, loaded: Loaded) -> None:
    dry = run_retention(store, loaded.deleted_on, "test", dry_run=True, batch=1)
    assert dry.deleted["statement"] == 39 and dry.deleted["flight"] == 3
    assert dry.masked["statement"] == 0  # as of that day, once deleted
    assert count(store, retention_run) == 0 and count(store, statement) == 39


def test_a_batch_deletes_at_least_one_row(store: Store) -> None:
    with pytest.raises(ValueError, match="at least one"):
        Batches(store, size=0)


def test_a_dry_run_writes_every_batch_on_its_one_connection(store: Store, loaded: Loaded) -> None:
    used: list[Connection] = []

    def work(conn: Connection, tally: dict[str, int]) -> None:
        used.append(conn)
        tally["statement"] = 1

    with store.uow() as uow:
        batches = Batches(store, shared=uow.conn)
        batches.write(work)
        batches.write(work)
        assert used == [uow.conn, uow.conn]
    assert batches.deleted == {"statement": 2}
