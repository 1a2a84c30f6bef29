from datetime import date, timedelta

from sqlalchemy import inspect, select

from rasid.model.markings import Marking
from rasid.store import Store
from rasid.store.entities import get_entities, get_entity, list_entity_ids
from rasid.store.statements import (
    count_statements,
    delete_unseen,
    entities_by_schema,
    of_entities,
    to_row,
    upsert_statements,
    utcnow,
)
from rasid.store.tables import statement
from tests.store.helpers import register, stmt, write


def test_round_trip_keeps_every_column(store: Store) -> None:
    original = stmt(
        "p1",
        "name",
        "مُحَمَّد علي",
        lang="ara",
        marking=Marking.AMBER_STRICT,
        handling="no onward sharing without consent",
        source_grade="2",
        info_grade="B",
        legal_basis="Law 12/2019 art. 7",
        retention_class="intelligence-5y",
        mask_after=date(2027, 1, 1),
        first_seen="2026-03-04T05:06:07",
    )
    with store.uow() as uow:
        register(uow.conn)
        write(uow.conn, original)
    with store.uow() as uow:
        entity = get_entity(uow.conn, "p1", None)
    assert entity is not None
    [loaded] = entity.value_statements()
    assert loaded.id == original.id
    assert loaded.to_full_dict() | {"last_seen": None} == original.to_full_dict() | {
        "last_seen": None,
        "first_seen": "2026-03-04T05:06:07",
        "origin": None,
    }
    assert entity.to_dict()["properties"] == {"name": ["مُحَمَّد علي"]}
    assert entity.schema.name == "Person"


def test_reloading_is_idempotent_and_keeps_first_seen(store: Store) -> None:
    early = utcnow() - timedelta(days=30)
    s = stmt("p1", "name", "Ali", marking=Marking.GREEN)
    with store.uow() as uow:
        register(uow.conn)
        upsert_statements(uow.conn, [to_row(s, early)])
    again = stmt("p1", "name", "Ali", marking=Marking.RED)
    with store.uow() as uow:
        upsert_statements(uow.conn, [to_row(again, utcnow())])
        upsert_statements(uow.conn, [to_row(again, utcnow())])
        assert count_statements(uow.conn) == 1
        [loaded] = get_entities(uow.conn, ["p1"], None) or [None]
    assert loaded is None  # no id statement written: not an entity to readers
    with store.uow() as uow:
        write(uow.conn, again)
        entity = get_entity(uow.conn, "p1", None)
    assert entity is not None
    [value] = entity.value_statements()
    assert value.marking is Marking.RED  # re-marked
    assert value.first_seen == early.isoformat()  # first seen stays
    assert value.last_seen > value.first_seen


def test_views_are_filtered_by_readable_datasets(store: Store) -> None:
    with store.uow() as uow:
        register(uow.conn, "police", "national_police")
        register(uow.conn, "prison", "prisons")
        write(uow.conn, stmt("p1", "name", "Ali Hassan"), stmt("p1", "birthDate", "1980"))
        write(uow.conn, stmt("p1", "name", "علي حسن", dataset="prison"))
    with store.uow() as uow:
        both = get_entity(uow.conn, "p1", None)
        police = get_entity(uow.conn, "p1", ["police"])
        none = get_entity(uow.conn, "p1", [])
        assert list_entity_ids(uow.conn, ["prison"]) == ["p1"]
        assert list_entity_ids(uow.conn, ["other"]) == []
    assert both is not None and police is not None
    assert both.datasets == ["police", "prison"]
    assert sorted(both.proxy.get("name")) == ["Ali Hassan", "علي حسن"]
    assert police.proxy.get("name") == ["Ali Hassan"]
    assert none is None


def test_schemas_of_several_datasets_merge(store: Store) -> None:
    with store.uow() as uow:
        register(uow.conn, "a", "x")
        register(uow.conn, "b", "y")
        write(uow.conn, stmt("e1", "name", "Acme", dataset="a", schema="LegalEntity"))
        write(uow.conn, stmt("e1", "incorporationDate", "2001", dataset="b", schema="Company"))
        entity = get_entity(uow.conn, "e1", None)
        counts = entities_by_schema(uow.conn)
    assert entity is not None and entity.schema.name == "Company"
    assert counts == {"LegalEntity": 1, "Company": 1}  # per asserting dataset


def test_list_by_schema_includes_descendants(store: Store) -> None:
    with store.uow() as uow:
        register(uow.conn)
        write(uow.conn, stmt("c1", "name", "Acme", schema="Company"))
        write(uow.conn, stmt("p1", "name", "Ali"))
        assert list_entity_ids(uow.conn, None, "LegalEntity") == ["c1", "p1"]
        assert list_entity_ids(uow.conn, None, "Company") == ["c1"]
        assert list_entity_ids(uow.conn, None, "NoSuchSchema") == []
        assert list_entity_ids(uow.conn, None, limit=1, offset=1) == ["p1"]


def test_delete_unseen_removes_stale_statements_and_their_index(store: Store) -> None:
    with store.uow() as uow:
        register(uow.conn)
        write(uow.conn, stmt("p1", "name", "Old Name"))
    cutoff = utcnow() + timedelta(seconds=1)
    with store.uow() as uow:
        upsert_statements(uow.conn, [to_row(stmt("p1", "name", "New Name"), cutoff)])
        for row in [to_row(stmt("p1", "id", "p1"), cutoff)]:
            upsert_statements(uow.conn, [row])
        removed = delete_unseen(uow.conn, "police", cutoff)
        entity = get_entity(uow.conn, "p1", None)
    assert removed == 1
    assert entity is not None and entity.proxy.get("name") == ["New Name"]


def test_a_failed_unit_of_work_leaves_nothing(store: Store) -> None:
    try:
        with store.uow() as uow:
            register(uow.conn)
            write(uow.conn, stmt("p1", "name", "Ali"))
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with store.uow() as uow:
        assert count_statements(uow.conn) == 0


def test_of_entities_finds_own_and_merged_statements(store: Store) -> None:
    # p2 was merged into p1: its statements carry p1 as canonical id, and only those are in
    # the index on entity_id. Asked by entity id, each entity gives its own statements.
    rows = [
        to_row(stmt("p1", "name", "Ali Hassan"), utcnow()),
        to_row(stmt("p2", "name", "Ali Hasan", canonical_id="p1"), utcnow()),
        to_row(stmt("p2", "birthDate", "1980-01-01", canonical_id="p1"), utcnow()),
        to_row(stmt("p3", "name", "Omar"), utcnow()),
    ]
    with store.uow() as uow:
        register(uow.conn)
        upsert_statements(uow.conn, rows)
    by_entity = select(statement.c.entity_id, statement.c.value)
    with store.uow() as uow:
        found = {
            key: sorted(uow.conn.execute(by_entity.where(of_entities(ids))).all())
            for key, ids in {"p1": ["p1"], "p2": ["p2"], "p1+p3": ["p1", "p3"]}.items()
        }
        by_subquery = select(statement.c.entity_id).where(statement.c.value == "Ali Hasan")
        merged = uow.conn.execute(by_entity.where(of_entities(by_subquery))).all()
    assert found == {
        "p1": [("p1", "Ali Hassan")],
        "p2": [("p2", "1980-01-01"), ("p2", "Ali Hasan")],
        "p1+p3": [("p1", "Ali Hassan"), ("p3", "Omar")],
    }
    assert sorted(merged) == [("p2", "1980-01-01"), ("p2", "Ali Hasan")]


def test_entity_id_index_holds_only_merged_statements(store: Store) -> None:
    with store.uow() as uow:
        indexes = {ix["name"]: ix for ix in inspect(uow.conn).get_indexes("statement")}
    assert "ix_statement_entity_id" not in indexes
    merged = indexes["ix_statement_entity_id_merged"]
    assert merged["column_names"] == ["entity_id"]
    where = merged["dialect_options"].get(f"{store.dialect}_where")
    assert "entity_id" in str(where) and "canonical_id" in str(where)
