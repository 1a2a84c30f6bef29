"""The import's fast write path gives what the general one gives: rows, counts, statistics."""

import json
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from followthemoney.statement import Statement
from sqlalchemy import func, insert, select, text

import rasid.ingest.run as run
from rasid.ingest.records import ReadContext, Source
from rasid.ingest.run import IngestRequest, ingest
from rasid.store import Store
from rasid.store.bulk import execute_many
from rasid.store.statements import (
    COPY_FROM,
    refresh_statistics,
    statistics_outdated,
    to_row,
    upsert_statements,
)
from rasid.store.tables import ingest_run, statement


def _batch(store: Store, tmp_path: Path) -> run._Batch:
    path = tmp_path / "x.jsonl"
    path.write_text("")
    request = IngestRequest(str(path), "police", agency="police", fmt="ftm")
    with store.uow() as uow:
        return run._Batch(uow.conn, request, Source(path, str(path)), "ftm", ReadContext("police"))


STATEMENTS = [
    Statement("p1", "name", "Person", "Omar", "police"),
    Statement("p1", "name", "Person", "عمر", "police", lang="ara", original_value="عُمَر"),
    Statement("p1", "nationality", "Person", "iq", "police", lang="eng"),  # lang dropped
    Statement("p1", "birthDate", "Person", "1970", "police", first_seen="2020-01-02T03:04:05"),
    Statement("p1", "notes", "Person", "x\x00y", "police", original_value="x\x00y "),
    Statement("p2", "name", "Person", "Ali", "police", external=True, canonical_id="c2"),
]


@pytest.mark.parametrize("stmt", STATEMENTS, ids=lambda s: f"{s.prop}-{s.lang}")
def test_a_plain_row_is_the_row_the_general_path_makes(
    store: Store, tmp_path: Path, stmt: Statement
) -> None:
    batch = _batch(store, tmp_path)
    general = to_row(batch._extend(stmt, {}, None), batch.started)
    general["last_seen"] = batch.started
    assert batch.plain_row(stmt) == general


def _rows(n: int, seen: datetime) -> list[dict[str, object]]:
    stmts = [Statement(f"e{i}", "name", "Person", f"Name {i}", "police") for i in range(n)]
    batch_rows = []
    for s in stmts:
        row = {
            "id": s.id,
            "entity_id": s.entity_id,
            "canonical_id": s.entity_id,
            "schema": s.schema,
            "prop": s.prop,
            "prop_type": s.prop_type,
            "value": s.value,
            "lang": None,
            "original_value": None,
            "dataset": "police",
            "origin": "test",
            "external": False,
            "first_seen": seen,
            "last_seen": seen,
            "marking": "TLP:AMBER",
            "handling": None,
            "source_grade": None,
            "info_grade": None,
            "legal_basis": None,
            "retention_class": "intelligence-5y",
            "mask_after": date(2027, 1, 1),
            "delete_after": date(2031, 1, 1),
        }
        batch_rows.append(row)
    return batch_rows


def _dataset(store: Store) -> None:
    from rasid.access.registry import add_dataset, ensure_agency
    from rasid.model.registry import Dataset

    with store.uow() as uow:
        ensure_agency(uow.conn, "police")
        add_dataset(uow.conn, Dataset("police", "police", "Police"))


def test_bulk_writes_store_what_sqlalchemy_stores(store: Store) -> None:
    _dataset(store)
    seen = datetime(2026, 11, 24, 3, 4, 5, 123456)
    rows = _rows(3, seen)
    with store.uow() as uow:
        uow.conn.execute(insert(statement), rows[:1])  # SQLAlchemy's own executemany
        execute_many(uow.conn, lambda d: insert(statement), rows[1:])
        stored = uow.conn.execute(select(statement).order_by(statement.c.value)).all()
        # Compared in the database as SQLAlchemy binds a datetime: the same text on SQLite.
        later = select(func.count()).where(statement.c.last_seen >= seen)
        assert uow.conn.execute(later).scalar_one() == 3
    assert [r._mapping["first_seen"] for r in stored] == [seen] * 3
    assert {r.mask_after for r in stored} == {date(2027, 1, 1)}
    assert [r.external for r in stored] == [False] * 3


# Few rows go one statement each; many go by COPY on PostgreSQL.
@pytest.mark.parametrize("count", [2, COPY_FROM + 1])
def test_a_repeated_upsert_moves_last_seen_and_keeps_the_first(store: Store, count: int) -> None:
    _dataset(store)
    first, again = datetime(2026, 1, 1), datetime(2026, 2, 1)
    with store.uow() as uow:
        upsert_statements(uow.conn, _rows(count, first))
    with store.uow() as uow:
        rows = _rows(count + 1, again)  # one more: a new statement among known ones
        for row in rows:
            row["marking"] = "TLP:GREEN"  # re-marked
        upsert_statements(uow.conn, rows)
        upsert_statements(uow.conn, rows[:3])  # twice in one transaction
        seen = uow.conn.execute(
            select(statement.c.first_seen, statement.c.last_seen, statement.c.marking)
        ).all()
        names = uow.conn.execute(text("SELECT count(*) FROM name_index")).scalar_one()
    assert len(seen) == count + 1
    assert Counter(seen) == {(first, again, "TLP:GREEN"): count, (again, again, "TLP:GREEN"): 1}
    assert names == count + 1


def _people(path: Path, n: int) -> Path:
    with path.open("w") as fh:
        for i in range(n):
            entity = {"id": f"p{i}", "schema": "Person", "properties": {"name": [f"P {i}"]}}
            fh.write(json.dumps(entity) + "\n")
    return path


def test_counts_from_the_rows_written_match_the_tables(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _people(tmp_path / "p.jsonl", 30)
    small = ingest(store, IngestRequest(str(path), "police", agency="police", fmt="ftm"))
    monkeypatch.setattr(run, "COUNT_IN_MEMORY", 10)  # the table counts past this
    counted = ingest(store, IngestRequest(str(path), "police", fmt="ftm"))
    assert (small.statements, small.entities) == (60, 30)
    assert (counted.statements, counted.entities, counted.by_schema) == (60, 30, {"Person": 30})


def test_nothing_is_written_until_the_file_is_read(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _people(tmp_path / "p.jsonl", 3)
    seen: list[int] = []
    original = run._Batch._take

    def take(self: run._Batch, item: run.Item) -> None:
        # The import's own transaction would see its own run record once written.
        seen.append(self.conn.execute(select(func.count()).select_from(ingest_run)).scalar_one())
        original(self, item)

    monkeypatch.setattr(run._Batch, "_take", take)
    ingest(store, IngestRequest(str(path), "police", agency="police", fmt="ftm"))
    assert seen == [0, 0, 0]
    with store.uow() as uow:
        assert uow.conn.execute(select(func.count()).select_from(ingest_run)).scalar_one() == 1


def test_statistics_are_refreshed_when_missing_or_outgrown(store: Store) -> None:
    _dataset(store)
    with store.uow() as uow:
        upsert_statements(uow.conn, _rows(50, datetime.now(UTC).replace(tzinfo=None)))
        if store.dialect == "postgresql":
            # Its counters of changed rows reach the statistics views asynchronously: only
            # that the catalogue query runs (in the test's schema) can be checked at once.
            assert isinstance(statistics_outdated(uow.conn), bool)
            refresh_statistics(uow.conn)
            return
        assert statistics_outdated(uow.conn)
        refresh_statistics(uow.conn)
        assert not statistics_outdated(uow.conn)
        more = _rows(200, datetime.now(UTC).replace(tzinfo=None))
        for row in more:
            row["value"] = f"{row['value']} again"
            row["id"] = Statement("x", "name", "Person", row["value"], "police").id
        upsert_statements(uow.conn, more)
        assert statistics_outdated(uow.conn)
