from pathlib import Path

import pytest

from rasid.ingest.errors import UnreadableInput
from rasid.model.markings import Marking
from rasid.store import Store
from rasid.store.entities import get_entity
from rasid.store.quarantine import list_quarantine
from tests.ingest.helpers import PEOPLE, load, write_jsonl


def test_entities_import_and_reimport_is_idempotent(store: Store, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "people.jsonl", PEOPLE)
    first = load(store, path)
    second = load(store, path)
    assert first.by_schema == {"Person": 2, "Organization": 1, "Membership": 1}
    assert (first.entities, first.statements, first.rejected) == (4, 12, 0)
    assert (second.entities, second.statements, second.by_schema) == (
        first.entities,
        first.statements,
        first.by_schema,
    )
    assert first.created_dataset and not second.created_dataset
    with store.uow() as uow:
        person = get_entity(uow.conn, "p2", None)
    assert person is not None
    assert person.proxy.get("nationality") == ["iq"]
    [nat] = [s for s in person.value_statements() if s.prop == "nationality"]
    assert nat.original_value == "Iraq"
    assert nat.marking is Marking.AMBER  # the dataset's default
    assert nat.retention_class == "intelligence-5y" and nat.delete_after is not None


def test_bad_lines_are_quarantined_and_the_rest_imported(store: Store, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        [
            PEOPLE[0],
            "{not json",
            '"a string"',
            {"schema": "Starship", "id": "x"},
            {"schema": "Person", "properties": {"name": ["No Id"]}},
            {"schema": "Thing", "id": "t"},
            {
                "id": "p9",
                "schema": "Person",
                "properties": {"name": "Solo", "birthDate": ["someday"]},
            },
        ],
    )
    summary = load(store, path)
    assert (summary.entities, summary.rejected, summary.dropped) == (2, 5, 1)
    with store.uow() as uow:
        held = {r["location"]: r for r in list_quarantine(uow.conn, "police")}
    assert held["line 2"]["reason"].startswith("not JSON")
    assert held["line 2"]["raw"] == "{not json"
    assert held["line 3"]["reason"] == "not a JSON object"
    assert held["line 4"]["reason"] == "unknown schema 'Starship'"
    assert held["line 5"]["reason"] == "entity has no id"
    assert held["line 6"]["reason"] == "schema Thing is abstract"
    assert held["line 7"]["kind"] == "value" and "someday" in held["line 7"]["reason"]
    assert all(r["source"] == str(path) for r in held.values())


def test_statements_with_rasid_columns(store: Store, tmp_path: Path) -> None:
    rows = [
        {"entity_id": "p1", "prop": "id", "schema": "Person", "value": "p1"},
        {
            "entity_id": "p1",
            "prop": "name",
            "schema": "Person",
            "value": "Ali",
            "marking": "amber+strict",
            "source_grade": "1",
            "info_grade": "a",
            "handling": "C: no onward sharing",
        },
        {"entity_id": "p1", "prop": "alias", "schema": "Person", "value": "A.", "info_grade": "Z"},
        {"entity_id": "p1", "prop": "wingspan", "schema": "Person", "value": "2"},
    ]
    summary = load(store, write_jsonl(tmp_path / "s.jsonl", rows))
    assert (summary.statements, summary.rejected) == (2, 2)
    with store.uow() as uow:
        entity = get_entity(uow.conn, "p1", None)
        reasons = sorted(r["reason"] for r in list_quarantine(uow.conn))
    assert entity is not None
    [name] = entity.value_statements()
    assert (name.marking, name.source_grade, name.info_grade) == (Marking.AMBER_STRICT, "1", "A")
    assert name.handling == "C: no onward sharing"
    assert reasons == [
        "Person has no property 'wingspan'",
        "unknown uk-3x5x2 information grade: 'Z' (expected one of A, B, C, D, E)",
    ]


def test_not_utf8_is_unreadable_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"id": "p1", "schema": "Person", "properties": {"name": ["Jos\xe9"]}}\n')
    with pytest.raises(UnreadableInput, match="not UTF-8"):
        load(store, path)
    with store.uow() as uow:
        assert get_entity(uow.conn, "p1", None) is None
        assert list_quarantine(uow.conn) == []


def test_nul_characters_never_reach_the_database(store: Store, tmp_path: Path) -> None:
    rows = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Ali\u0000Baba"]}},
        {"entity_id": "p2", "prop": "name", "schema": "Person", "value": "Nul\u0000Byte"},
    ]
    summary = load(store, write_jsonl(tmp_path / "nul.jsonl", rows))
    assert (summary.entities, summary.rejected) == (2, 0)
    with store.uow() as uow:
        p1, p2 = get_entity(uow.conn, "p1", None), get_entity(uow.conn, "p2", None)
    assert p1 is not None and p1.proxy.get("name") == ["AliBaba"]
    assert p2 is not None and p2.proxy.get("name") == ["NulByte"]  # id statement supplied
    [name] = p2.value_statements()
    assert name.original_value is None  # equal to the value once NUL is gone
