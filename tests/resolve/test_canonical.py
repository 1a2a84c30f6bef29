"""Canonical ids follow from judgements: clusters, conflicts, and the statements' ids."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from rasid.ingest.run import IngestRequest, ingest
from rasid.resolve.canonical import Judged, canonical_of, clusters, members, reapply
from rasid.resolve.errors import Conflict
from rasid.resolve.judgements import judge, record_proposals, undo
from rasid.resolve.rules import apply_rule, auto_kinds
from rasid.store import Store
from rasid.store.entities import get_entity, search_entity_ids
from rasid.store.tables import name_index, statement
from tests.resolve.conftest import DATASETS, pair


def canonical_ids(store: Store, *entities: str) -> dict[str, set[str]]:
    with store.uow() as uow:
        rows = uow.conn.execute(
            select(statement.c.entity_id, statement.c.canonical_id).where(
                statement.c.entity_id.in_(entities)
            )
        )
        found: dict[str, set[str]] = {}
        for entity, canonical in rows:
            found.setdefault(entity, set()).add(canonical)
        return found


@pytest.mark.parametrize(
    ("judged", "expected"),
    [
        (Judged((("a", "b"), ("b", "c")), (), ()), {"a": "a", "b": "a", "c": "a"}),
        (Judged((("b", "c"),), (), (("a", "b"),)), {"a": "a", "b": "a", "c": "a"}),
        # The rule never joins what a person's not_same holds apart.
        (Judged((("b", "c"),), (("a", "c"),), (("a", "b"),)), {"b": "b", "c": "b"}),
        (Judged((), (("a", "b"),), ()), {}),
    ],
)
def test_clusters_are_components_named_by_their_smallest_member(
    judged: Judged, expected: dict[str, str]
) -> None:
    assert clusters(judged) == expected


def test_a_merge_writes_canonical_ids_and_undo_restores_them(people: Store) -> None:
    with people.uow() as uow:
        judge(uow.conn, "pol-1", "brd-1", "same", "analyst.a")
    assert canonical_ids(people, "pol-1", "brd-1") == {"pol-1": {"brd-1"}, "brd-1": {"brd-1"}}
    with people.uow() as uow:
        assert canonical_of(uow.conn, "pol-1") == "brd-1"
        assert members(uow.conn, "brd-1") == ["brd-1", "pol-1"]
        merged = get_entity(uow.conn, "pol-1", None)  # a member id finds the merged entity
        assert merged is not None and merged.id == "brd-1"
        assert merged.datasets == ["border_records", "police_files"]
        assert search_entity_ids(uow.conn, "سامر النجار", None) == ["brd-1"]
        names = uow.conn.execute(select(name_index.c.entity_id).distinct()).scalars().all()
        assert "pol-1" not in names
        undo(uow.conn, "pol-1", "brd-1", "analyst.a")
    assert canonical_ids(people, "pol-1", "brd-1") == {"pol-1": {"pol-1"}, "brd-1": {"brd-1"}}
    with people.uow() as uow:
        assert search_entity_ids(uow.conn, "سامر النجار", None) == ["pol-1"]


def test_same_across_a_not_same_is_refused_naming_the_pair(people: Store) -> None:
    with people.uow() as uow:
        record_proposals(uow.conn, [pair("brd-1", "brd-3")], DATASETS)
        judge(uow.conn, "pol-3", "brd-3", "not_same", "analyst.a")
        judge(uow.conn, "pol-1", "brd-1", "same", "analyst.a")
        judge(uow.conn, "pol-1", "pol-3", "same", "analyst.a")
    with people.uow() as uow, pytest.raises(Conflict, match="brd-3 and pol-3 were judged"):
        judge(uow.conn, "brd-1", "brd-3", "same", "analyst.b")


def test_not_same_inside_a_cluster_of_same_judgements_is_refused(people: Store) -> None:
    with people.uow() as uow:
        judge(uow.conn, "pol-1", "brd-1", "same", "analyst.a")
        judge(uow.conn, "pol-1", "pol-3", "same", "analyst.a")
        record_proposals(uow.conn, [pair("brd-1", "pol-3")], DATASETS)
    with people.uow() as uow, pytest.raises(Conflict, match="undo"):
        judge(uow.conn, "brd-1", "pol-3", "not_same", "analyst.b")
    with people.uow() as uow:  # a person may change their mind on the pair they judged
        judge(uow.conn, "pol-1", "pol-3", "not_same", "analyst.b")


def test_the_rules_merge_splits_when_turned_off(people: Store) -> None:
    with people.uow() as uow:
        apply_rule(uow.conn, auto_kinds("document"), "cli:op")
    assert canonical_ids(people, "pol-2") == {"pol-2": {"brd-2"}}
    with people.uow() as uow:
        apply_rule(uow.conn, auto_kinds(""), "cli:op")
    assert canonical_ids(people, "pol-2") == {"pol-2": {"pol-2"}}


def test_statements_imported_after_a_merge_take_the_clusters_id(people: Store) -> None:
    with people.uow() as uow:
        judge(uow.conn, "pol-1", "brd-1", "same", "analyst.a")
        uow.conn.execute(
            statement.update().where(statement.c.entity_id == "pol-1").values(canonical_id="pol-1")
        )  # as a re-import of new statements about pol-1 leaves them
        assert reapply(uow.conn) > 0
    assert canonical_ids(people, "pol-1") == {"pol-1": {"brd-1"}}


def test_reapplying_for_one_dataset_changes_only_its_statements(people: Store) -> None:
    with people.uow() as uow:
        judge(uow.conn, "pol-1", "brd-1", "same", "analyst.a")
        stale = uow.conn.execute(
            statement.update().where(statement.c.entity_id == "pol-1").values(canonical_id="pol-1")
        ).rowcount
        uow.conn.execute(
            name_index.update()
            .where(
                name_index.c.statement_id.in_(
                    select(statement.c.id).where(statement.c.entity_id == "pol-1")
                )
            )
            .values(entity_id="pol-1")
        )
        assert stale > 0
        assert reapply(uow.conn, "border_records") == 0
    assert canonical_ids(people, "pol-1") == {"pol-1": {"pol-1"}}
    with people.uow() as uow:
        assert reapply(uow.conn, "police_files") == stale
        names = (
            uow.conn.execute(
                select(name_index.c.entity_id)
                .join(statement, statement.c.id == name_index.c.statement_id)
                .where(statement.c.entity_id == "pol-1")
            )
            .scalars()
            .all()
        )
        assert names and set(names) == {"brd-1"}
        assert reapply(uow.conn, "police_files") == 0  # nothing left to change
    assert canonical_ids(people, "pol-1") == {"pol-1": {"brd-1"}}


def test_a_new_import_about_a_merged_entity_joins_it(people: Store, tmp_path: Path) -> None:
    with people.uow() as uow:
        judge(uow.conn, "pol-1", "brd-1", "same", "analyst.a")
    more = tmp_path / "more.jsonl"
    line = {"id": "pol-1", "schema": "Person", "properties": {"phone": ["+962791234567"]}}
    more.write_text(json.dumps(line) + "\n", "utf-8")
    ingest(people, IngestRequest(str(more), "police_files"))
    assert canonical_ids(people, "pol-1") == {"pol-1": {"brd-1"}}
    with people.uow() as uow:
        merged = get_entity(uow.conn, "brd-1", None)
    assert merged is not None and "+962791234567" in merged.proxy.get("phone")
