"""Retention runs with a fake clock, on both databases: API data goes after a day, PNR data
after five years, except what a new, escalated or confirmed screening hit needs; a run is
recorded and audited, idempotent, and a dry run changes nothing."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rasid.access.audit import verify
from rasid.retention.run import run_retention
from rasid.retention.status import dataset_status, last_run
from rasid.retention.sweep import TRAVEL_SUBJECTS
from rasid.store import Store
from rasid.store.tables import (
    audit_event,
    booking,
    booking_version,
    flight,
    hit,
    hit_decision,
    name_index,
    retention_run,
    screening_subject,
    statement,
    travel_message,
    traveller,
)
from rasid.travel.screening import SOURCE
from rasid.travel.store import travel_counts
from tests.retention.helpers import API, ONE_DAY, PNR, Loaded, hit_on, load_travel, traveller_ids


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Loaded:
    return load_travel(store, tmp_path)


def statements(store: Store, dataset: str) -> int:
    with store.uow() as uow:
        query = select(func.count()).select_from(statement).where(statement.c.dataset == dataset)
        return int(uow.conn.execute(query).scalar_one())


def count(store: Store, table: object) -> int:
    with store.uow() as uow:
        return int(uow.conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_the_subject_source_is_the_travel_screenings() -> None:
    assert TRAVEL_SUBJECTS == SOURCE


def test_api_data_goes_after_a_day_and_pnr_data_stays(store: Store, loaded: Loaded) -> None:
    pnr_before = travel_counts_of(store, PNR)
    first = run_retention(store, loaded.day0, "test")
    assert first.total_deleted == 0
    assert statements(store, API) == 14
    report = run_retention(store, loaded.day0 + ONE_DAY, "test")
    assert statements(store, API) == 0
    assert travel_counts_of(store, API)["travellers"] == 0
    assert report.deleted["statement"] == 14 and report.deleted["traveller"] == 1
    assert report.deleted["name_index"] == 1 and report.deleted["travel_message"] == 1
    # UA988 is still on the PNR's itinerary: the flight stays, with the PNR's rows.
    assert report.deleted["flight"] == 0
    assert travel_counts_of(store, PNR) == pnr_before
    assert statements(store, PNR) == 25


def test_five_years_delete_the_pnr_but_what_a_confirmed_hit_needs(
    store: Store, loaded: Loaded
) -> None:
    kept, dismissed, *_ = traveller_ids(store, PNR)
    hit_on(store, kept, PNR, "confirmed")
    hit_on(store, dismissed, PNR, "dismissed")
    the_day_before = run_retention(store, loaded.deleted_on - ONE_DAY, "test")
    assert statements(store, PNR) == 25
    assert the_day_before.deleted["traveller"] == 1  # the API traveller, long gone by then

    report = run_retention(store, loaded.deleted_on, "test")
    assert traveller_ids(store, PNR) == [kept]
    # The person and the documents the person holds (Passport, visa) stay, nothing else.
    assert statements(store, PNR) == 25 and report.kept["statement"] == 25
    assert report.kept["traveller"] == 1 and report.deleted["traveller"] == 2
    counts = travel_counts_of(store, PNR)
    assert (counts["bookings"], counts["booking_versions"], counts["messages"]) == (1, 1, 1)
    # The dismissed hit's subject, hit and decision went with its traveller.
    with store.uow() as uow:
        subjects = set(uow.conn.scalars(select(screening_subject.c.external_id)))
        statuses = list(uow.conn.scalars(select(hit.c.status)))
    assert subjects == {kept} and statuses == ["confirmed"]
    assert count(store, hit_decision) == 1
    assert report.deleted["screening_subject"] == 1 and report.deleted["hit_decision"] == 1


def test_without_a_hit_everything_goes_and_unused_flights_too(store: Store, loaded: Loaded) -> None:
    report = run_retention(store, loaded.deleted_on, "test")
    for table in (statement, name_index, traveller, booking, booking_version, travel_message):
        assert count(store, table) == 0, table.name
    assert count(store, flight) == 0 and report.deleted["flight"] == 3
    assert report.kept == {"statement": 0, "traveller": 0}


def test_an_open_hit_keeps_its_traveller_too(store: Store, loaded: Loaded) -> None:
    waiting, *_ = traveller_ids(store, PNR)
    hit_on(store, waiting, PNR, "escalated")
    run_retention(store, loaded.deleted_on, "test")
    assert traveller_ids(store, PNR) == [waiting]


def test_a_run_is_recorded_audited_and_idempotent(store: Store, loaded: Loaded) -> None:
    day = loaded.deleted_on
    first = run_retention(store, day, "cli:ops")
    again = run_retention(store, day, "cli:ops")
    assert first.total_deleted > 0 and again.total_deleted == 0
    with store.uow() as uow:
        runs = uow.conn.execute(select(retention_run).order_by(retention_run.c.id)).all()
        record = uow.conn.execute(
            select(audit_event).where(audit_event.c.action == "retention.run")
        ).first()
        assert verify(uow.conn).ok
        recorded = last_run(uow.conn)
    assert [(r.as_of, r.actor) for r in runs] == [(day, "cli:ops"), (day, "cli:ops")]
    assert runs[0].deleted == first.total_deleted and runs[1].deleted == 0
    assert json.loads(runs[0].counts)["deleted"]["statement"] == 39
    assert record is not None and record.actor == "cli:ops" and record.target == day.isoformat()
    assert json.loads(record.detail)["deleted"]["traveller"] == 4
    assert recorded is not None and recorded.id == runs[1].id


def test_a_dry_run_counts_and_changes_nothing(store: Store, loaded: Loaded) -> None:
    before = count(store, statement)
    dry = run_retention(store, loaded.deleted_on, "test", dry_run=True)
    assert dry.dry_run and dry.run_id is None and dry.deleted["statement"] == 39
    assert count(store, statement) == before
    assert count(store, retention_run) == 0
    with store.uow() as uow:
        actions = list(uow.conn.scalars(select(audit_event.c.action)))
    assert "retention.run" not in actions


def test_the_masking_state_is_recorded(store: Store, loaded: Loaded) -> None:
    before = run_retention(store, loaded.masked_on - ONE_DAY, "test")
    assert before.total_masked == 0
    after = run_retention(store, loaded.masked_on, "test")
    # Twelve identifying values of the person and documents; three traveller rows, the
    # booking and its version.
    assert after.masked == {
        "statement": 12,
        "traveller": 3,
        "booking": 1,
        "booking_version": 1,
    }


def test_status_tells_what_comes_next(store: Store, loaded: Loaded) -> None:
    with store.uow() as uow:
        found = {d.dataset: d for d in dataset_status(uow.conn, loaded.day0)}
        later = {d.dataset: d for d in dataset_status(uow.conn, loaded.masked_on)}
    pnr, api = found[PNR], found[API]
    assert (pnr.retention_class, api.retention_class) == ("pnr", "api")
    assert (pnr.next_mask.day, pnr.next_mask.statements) == (loaded.masked_on, 25)
    assert (pnr.next_delete.day, pnr.masked_statements) == (loaded.deleted_on, 0)
    assert (api.next_delete.day, api.due_statements) == (loaded.day0 + ONE_DAY, 0)
    assert later[PNR].masked_statements == 12 and later[PNR].next_mask.day is None
    assert later[PNR].travel_masked == {"traveller": 3, "booking": 1, "booking_version": 1}
    assert later[API].due_statements == 14 and later[API].travel_due["traveller"] == 1


def travel_counts_of(store: Store, dataset: str) -> dict[str, int]:
    with store.uow() as uow:
        return travel_counts(uow.conn, dataset)
