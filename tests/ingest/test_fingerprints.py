"""A record an import has already written as it is (the same traveller in the next push of a
booking) is marked seen instead of written anew, on both databases: the statements come out
exactly as writing them anew would leave them, a changed or partly deleted record is written
again, a record twice in one file is never fingerprinted, and the retention run deletes the
fingerprints with the statements."""

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

from rasid.ingest import fingerprints
from rasid.ingest.run import IngestRequest, Summary, ingest
from rasid.ingest.travel import _Builder
from rasid.retention.run import run_retention
from rasid.store import Store, open_store
from rasid.store.tables import dataset as dataset_table
from rasid.store.tables import entity_fingerprint, ingest_run, metadata, statement
from tests.travel.helpers import PUSHES

DATASET = "piu"
# The 24 h push with the traveller's birth date written otherwise (in the DOCS and so on
# the person): the same person, one value changed.
REDATED = PUSHES["24h"].replace(b"//26DEC48/M/", b"//27DEC48/M/")
REDATED_DEPARTURE = PUSHES["departure"].replace(b"//26DEC48/M/", b"//27DEC48/M/")


def arrive(store: Store, tmp_path: Path, name: str, data: bytes) -> Summary:
    path = tmp_path / name
    path.write_bytes(data)
    return ingest(store, IngestRequest(str(path), DATASET, agency="piu"))


def started(store: Store, run_id: str) -> datetime:
    with store.uow() as uow:
        query = select(ingest_run.c.started_at).where(ingest_run.c.id == run_id)
        return uow.conn.execute(query).scalar_one()  # type: ignore[no-any-return]


def statements(store: Store, runs: list[Summary]) -> list[tuple[Any, ...]]:
    """Every statement, its times given as the number of the import that set them."""
    order = {started(store, run.run_id): n for n, run in enumerate(runs)}
    with store.uow() as uow:
        rows = uow.conn.execute(select(statement).order_by(statement.c.id)).mappings().all()
    return [
        (
            *(row[k] for k in ("id", "entity_id", "prop", "value", "marking", "mask_after")),
            order.get(row["first_seen"], row["first_seen"]),
            order.get(row["last_seen"], row["last_seen"]),
        )
        for row in rows
    ]


def fingerprint_rows(store: Store) -> list[Any]:
    with store.uow() as uow:
        return list(uow.conn.execute(select(entity_fingerprint)).mappings().all())


def no_building(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every traveller built from here on."""
    built: list[str] = []
    original = _Builder.entities

    def entities(self: _Builder) -> Any:
        built.append(self.drafts[0].id)
        return original(self)

    monkeypatch.setattr(_Builder, "entities", entities)
    return built


def never_known(monkeypatch: pytest.MonkeyPatch) -> None:
    """Imports that never find a fingerprint: every record written anew."""
    monkeypatch.setattr(fingerprints, "load", lambda conn, dataset, keys: {})


def three_pushes(store: Store, tmp_path: Path) -> list[Summary]:
    return [arrive(store, tmp_path, f"{name}.edi", data) for name, data in PUSHES.items()]


def test_repeated_pushes_mark_the_travellers_seen(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = arrive(store, tmp_path, "48h.edi", PUSHES["48h"])
    stored = fingerprint_rows(store)
    assert len(stored) == 1 and stored[0]["statements"] > 0
    assert set(stored[0]["members"]) != {stored[0]["entity_id"]}  # the person and documents
    built = no_building(monkeypatch)
    later = [arrive(store, tmp_path, f"{n}.edi", PUSHES[n]) for n in ("24h", "departure")]
    assert built == []
    # The counts of what each file asserts do not depend on how it was stored.
    for summary in later:
        assert (summary.statements, summary.by_schema) == (first.statements, first.by_schema)
    rows = statements(store, [first, *later])
    mine = [r for r in rows if r[1] in stored[0]["members"]]
    assert len(mine) == stored[0]["statements"]
    assert {(r[6], r[7]) for r in mine} == {(0, 2)}  # first seen 48 h, last seen departure
    assert fingerprint_rows(store)[0]["seen"] == started(store, later[-1].run_id)


def test_marking_seen_leaves_what_writing_anew_leaves(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = []
    for anew in (False, True):
        with monkeypatch.context() as patch:
            if anew:
                never_known(patch)
            store = open_store(database_url, create=True)
            try:
                runs = three_pushes(store, tmp_path)
                runs.append(arrive(store, tmp_path, "redated.edi", REDATED))
                # Marked seen: the earlier birth date's statement is not seen again.
                runs.append(arrive(store, tmp_path, "redated-2.edi", REDATED_DEPARTURE))
                summaries = [(r.statements, r.entities, r.by_schema) for r in runs]
                results.append((statements(store, runs), summaries))
            finally:
                with store.uow() as uow:
                    for table in reversed(metadata.sorted_tables):
                        uow.conn.execute(delete(table))
                store.dispose()
    assert results[0] == results[1]


def test_a_changed_traveller_is_written_anew(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = arrive(store, tmp_path, "48h.edi", PUSHES["48h"])
    built = no_building(monkeypatch)
    second = arrive(store, tmp_path, "24h.edi", REDATED)
    assert len(built) == 1
    rows = statements(store, [first, second])
    dates = {(r[3], r[7]) for r in rows if r[2] == "birthDate"}
    assert ("1948-12-26", 0) in dates and ("1948-12-27", 1) in dates
    assert fingerprint_rows(store)[0]["seen"] == started(store, second.run_id)


def test_statements_deleted_since_are_written_again(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = arrive(store, tmp_path, "48h.edi", PUSHES["48h"])
    before = statements(store, [first])
    with store.uow() as uow:
        gone = statement.c.prop == "email"
        assert uow.conn.execute(delete(statement).where(gone)).rowcount == 1
    built = no_building(monkeypatch)
    second = arrive(store, tmp_path, "24h.edi", PUSHES["24h"])
    assert len(built) == 1
    after = statements(store, [first, second])
    assert [r[:6] for r in after] == [r[:6] for r in before]
    assert {r[7] for r in after} == {1}
    assert second.statements == first.statements


def test_new_dataset_defaults_are_written(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arrive(store, tmp_path, "48h.edi", PUSHES["48h"])
    with store.uow() as uow:
        table = dataset_table
        uow.conn.execute(
            update(table).where(table.c.name == DATASET).values(default_marking="TLP:RED")
        )
    built = no_building(monkeypatch)
    arrive(store, tmp_path, "24h.edi", PUSHES["24h"])
    assert len(built) == 1  # the marking an upsert writes differs: written anew
    with store.uow() as uow:
        markings = uow.conn.execute(select(statement.c.marking).distinct()).scalars().all()
    assert markings == ["TLP:RED"]


def test_a_record_twice_in_one_file_is_not_fingerprinted(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = arrive(store, tmp_path, "48h.edi", PUSHES["48h"])
    built = no_building(monkeypatch)
    second = arrive(store, tmp_path, "doubled.edi", _doubled(PUSHES["24h"]))
    assert len(built) == 1  # the first copy marked seen, the second written anew
    assert fingerprint_rows(store) == []  # the next push writes the traveller anew
    assert second.statements == first.statements
    rows = statements(store, [first, second])
    assert {r[7] for r in rows} == {1}
    arrive(store, tmp_path, "departure.edi", PUSHES["departure"])
    assert len(built) == 2 and len(fingerprint_rows(store)) == 1


def _doubled(data: bytes) -> bytes:
    """The push with its one message sent twice in the interchange."""
    text = data.decode("utf-8")
    start, end = text.index("UNH+"), text.index("UNZ+")
    again = text[start:end].replace("UNH+1+", "UNH+2+", 1)
    return (text[:end] + again + text[end:].replace("UNZ+1+", "UNZ+2+", 1)).encode("utf-8")


def test_the_retention_run_deletes_fingerprints_with_their_statements(
    store: Store, tmp_path: Path
) -> None:
    arrive(store, tmp_path, "48h.edi", PUSHES["48h"])
    row = fingerprint_rows(store)[0]
    assert row["delete_after"] is not None
    with store.uow() as uow:
        first = uow.conn.execute(select(func.min(statement.c.delete_after))).scalar_one()
    assert row["delete_after"] == first
    report = run_retention(store, first, "test")
    assert report.deleted.get("entity_fingerprint") == 1
    assert fingerprint_rows(store) == []
