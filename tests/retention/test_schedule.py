"""The daily run in server mode, with a fake clock (no sleeping), on both databases: a run
at start-up, then one a day from the configured hour, and one run a day however many server
processes (here: schedules on stores of their own, or whole apps) share the database."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rasid.retention.run import run_retention
from rasid.retention.schedule import ACTOR, RetentionSchedule
from rasid.store import Store, open_store
from rasid.store.tables import retention_run, statement
from rasid.web.app import create_app
from tests.retention.helpers import API, ONE_DAY, Loaded, at, load_travel


class Clock:
    """A clock the test sets."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Loaded:
    return load_travel(store, tmp_path)


@pytest.fixture
def second(database_url: str, store: Store) -> Iterator[Store]:
    """Another server process's store: an engine of its own on the same database."""
    other = open_store(database_url)
    yield other
    other.dispose()


def runs(store: Store) -> list[tuple[object, str]]:
    with store.uow() as uow:
        query = select(retention_run.c.as_of, retention_run.c.actor).order_by(retention_run.c.id)
        return [tuple(r) for r in uow.conn.execute(query)]


def test_a_run_at_start_up_then_daily_from_the_hour(store: Store, loaded: Loaded) -> None:
    clock = Clock(at(loaded.day0 + ONE_DAY, 1))
    schedule = RetentionSchedule(store, clock, hour=3)
    assert not schedule.due(clock.now)  # before the hour
    report = schedule.check(startup=True)  # at start-up, whatever the hour
    assert report is not None and report.deleted["statement"] == 14  # the API data
    clock.now = at(loaded.day0 + ONE_DAY, 4)
    assert schedule.check() is None  # today's run is done
    clock.now = at(loaded.day0 + 2 * ONE_DAY, 2)
    assert schedule.check() is None  # not yet the hour
    clock.now = at(loaded.day0 + 2 * ONE_DAY, 3)
    assert schedule.check() is not None
    assert runs(store) == [(loaded.day0 + ONE_DAY, ACTOR), (loaded.day0 + 2 * ONE_DAY, ACTOR)]
    assert schedule.checked.is_set()


def test_two_processes_run_once_a_day(store: Store, second: Store, loaded: Loaded) -> None:
    clock = Clock(at(loaded.day0 + ONE_DAY, 3))
    first, other = RetentionSchedule(store, clock, 3), RetentionSchedule(second, clock, 3)
    done = first.check(startup=True)
    skipped = other.check(startup=True)
    assert done is not None and not done.skipped
    assert skipped is not None and skipped.skipped and skipped.total_deleted == 0
    assert first.check() is None and other.check() is None  # both saw today's run
    clock.now = at(loaded.day0 + 2 * ONE_DAY, 5)
    reports = [other.check(), first.check()]
    assert [r.skipped for r in reports if r is not None] == [False, True]
    assert len(runs(store)) == 2


def test_two_processes_at_the_same_moment_run_once(
    store: Store, second: Store, loaded: Loaded
) -> None:
    day = loaded.day0 + ONE_DAY
    with ThreadPoolExecutor(2) as pool:
        futures = [
            pool.submit(run_retention, s, day, ACTOR, once_a_day=True) for s in (store, second)
        ]
        reports = [f.result(timeout=60) for f in futures]
    assert sorted(r.skipped for r in reports) == [False, True]
    assert runs(store) == [(day, ACTOR)]
    with store.uow() as uow:
        left = uow.conn.execute(select(statement.c.id).where(statement.c.dataset == API)).all()
    assert left == []


def test_apps_run_retention_at_start_up_once_a_day(
    store: Store, second: Store, loaded: Loaded
) -> None:
    clock = Clock(at(loaded.day0 + ONE_DAY, 8))
    for each in (store, second):
        app = create_app(each, clock=clock, schedule=True)
        with TestClient(app):
            assert app.state.retention_schedule.checked.wait(60)
    assert runs(store) == [(loaded.day0 + ONE_DAY, ACTOR)]


def test_an_app_without_a_schedule_runs_nothing(store: Store, loaded: Loaded) -> None:
    app = create_app(store, clock=Clock(at(loaded.day0 + ONE_DAY)))
    with TestClient(app):
        assert app.state.retention_schedule is None
    assert runs(store) == []
