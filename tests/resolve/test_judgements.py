"""The judgement queue: proposals stored, judged, undone, listed, exported and applied."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from rasid.access.audit import verify
from rasid.resolve.errors import ResolveError, UnknownPair
from rasid.resolve.judgements import (
    RULE_ACTOR,
    QueueFilter,
    apply_judgements,
    count_by_status,
    export_judgements,
    get_pair,
    judge,
    list_pairs,
    record_proposals,
    undo,
)
from rasid.resolve.model import Status
from rasid.resolve.rules import apply_rule, auto_kinds, undo_rule
from rasid.store import Store, open_store
from rasid.store.tables import audit_event
from rasid.store.visibility import Visibility
from tests.resolve.conftest import DATASETS, load_people, pair


def test_a_run_proposes_updates_the_undecided_and_keeps_the_judged(people: Store) -> None:
    with people.uow() as uow:
        judge(uow.conn, "pol-1", "brd-1", "same", "analyst.a", "same birth date, same name")
        again = [pair("pol-1", "brd-1", 0.5), pair("pol-3", "brd-3", 0.99), pair("brd-2", "pol-1")]
        stored = record_proposals(uow.conn, again, DATASETS, "run-2")
        assert (stored.new, stored.updated, stored.kept) == (1, 1, 1)
        assert get_pair(uow.conn, "pol-1", "brd-1").status == Status.SAME
        assert get_pair(uow.conn, "pol-1", "brd-1").score == pytest.approx(0.93)  # as judged
        assert get_pair(uow.conn, "brd-3", "pol-3").score == pytest.approx(0.99)
        assert get_pair(uow.conn, "brd-2", "pol-1").status == Status.PROPOSED


def test_judge_and_undo_keep_the_whole_history(people: Store) -> None:
    with people.uow() as uow:
        judge(uow.conn, "brd-3", "pol-3", Status.UNSURE, "analyst.a", "ask the border")
        judge(uow.conn, "pol-3", "brd-3", "not-same", "analyst.b", "different fathers")
        found = undo(uow.conn, "pol-3", "brd-3", "analyst.b")
        assert found.status == Status.UNSURE
        assert [(j.judgement, j.by, j.undone_by) for j in found.history] == [
            (Status.UNSURE, "analyst.a", None),
            (Status.NOT_SAME, "analyst.b", "analyst.b"),
        ]
        assert undo(uow.conn, "pol-3", "brd-3", "analyst.a").status == Status.PROPOSED
        with pytest.raises(ResolveError, match="nothing to undo"):
            undo(uow.conn, "pol-3", "brd-3", "analyst.a")
    with people.uow() as uow:  # audit records are written as the transaction commits
        actions = uow.conn.execute(select(audit_event.c.action, audit_event.c.actor)).all()
        assert [a for a in actions if a[0].startswith("resolve.")] == [
            ("resolve.judge", "analyst.a"),
            ("resolve.judge", "analyst.b"),
            ("resolve.undo", "analyst.b"),
            ("resolve.undo", "analyst.a"),
        ]
        assert verify(uow.conn).ok


@pytest.mark.parametrize("bad", ["maybe", "", "auto"])
def test_judgements_people_may_not_give_are_refused(people: Store, bad: str) -> None:
    with people.uow() as uow, pytest.raises(ResolveError):
        judge(uow.conn, "pol-1", "brd-1", bad, "analyst.a")


def test_unknown_and_unreadable_pairs_are_not_found(people: Store) -> None:
    police_only = Visibility(frozenset({"police_files"}))
    with people.uow() as uow:
        with pytest.raises(UnknownPair):
            judge(uow.conn, "pol-1", "nobody", "same", "analyst.a")
        with pytest.raises(UnknownPair):
            judge(uow.conn, "pol-1", "brd-1", "same", "analyst.a", readable=police_only)
        shown = list_pairs(uow.conn, readable=police_only)
        assert [(p.left_id, p.right_id) for p in shown] == [("pol-1", "pol-3")]
        assert count_by_status(uow.conn, police_only)["proposed"] == 1


def test_the_queue_lists_proposed_first_by_score_and_filters(people: Store) -> None:
    with people.uow() as uow:
        judge(uow.conn, "pol-1", "brd-1", "same", "analyst.a")
        order = [(p.left_id, p.status) for p in list_pairs(uow.conn)]
        assert order == [
            ("brd-2", Status.PROPOSED),
            ("brd-3", Status.PROPOSED),
            ("pol-1", Status.PROPOSED),
            ("brd-1", Status.SAME),
        ]
        high = list_pairs(uow.conn, QueueFilter(min_score=0.8))
        assert {p.left_id for p in high} == {"brd-1", "brd-2"}
        same = list_pairs(uow.conn, QueueFilter(statuses=(Status.SAME,)))
        assert [(p.left_id, p.right_id) for p in same] == [("brd-1", "pol-1")]
        mine = list_pairs(uow.conn, QueueFilter(dataset="police_files", max_score=0.72))
        assert [(p.left_id, p.right_id) for p in mine] == [("pol-1", "pol-3")]


def test_the_rule_accepts_identical_documents_and_is_reversible(people: Store) -> None:
    with people.uow() as uow:
        assert apply_rule(uow.conn, auto_kinds("document"), "cli:op").accepted == 1
        found = get_pair(uow.conn, "pol-2", "brd-2")
        assert found.status == Status.AUTO
        assert found.history[0].by == RULE_ACTOR
        assert "N123456@jo" in found.history[0].reason
        with pytest.raises(ResolveError, match="auto-accept"):
            undo(uow.conn, "pol-2", "brd-2", "analyst.a")
        assert apply_rule(uow.conn, auto_kinds(""), "cli:op").reverted == 1  # turned off
        assert get_pair(uow.conn, "pol-2", "brd-2").status == Status.PROPOSED
        apply_rule(uow.conn, auto_kinds("document,account"), "cli:op")
        assert undo_rule(uow.conn, "cli:op").reverted == 1
        assert get_pair(uow.conn, "pol-2", "brd-2").status == Status.PROPOSED


def test_a_persons_not_same_wins_over_the_rule(people: Store) -> None:
    with people.uow() as uow:
        apply_rule(uow.conn, auto_kinds("document"), "cli:op")
        judge(uow.conn, "pol-2", "brd-2", "not_same", "analyst.a", "a forged passport")
        assert apply_rule(uow.conn, auto_kinds("document"), "cli:op").accepted == 0
        assert get_pair(uow.conn, "pol-2", "brd-2").status == Status.NOT_SAME


def test_an_unknown_kind_for_the_rule_is_refused() -> None:
    with pytest.raises(ResolveError, match="shoe_size"):
        auto_kinds("document,shoe_size")


def test_exported_judgements_apply_on_another_database_idempotently(
    people: Store, tmp_path: Path
) -> None:
    with people.uow() as uow:
        judge(uow.conn, "pol-1", "brd-1", "same", "analyst.a", "same man")
        judge(uow.conn, "pol-3", "brd-3", "not_same", "analyst.b", "other father")
        judge(uow.conn, "pol-1", "pol-3", "unsure", "analyst.b")
        apply_rule(uow.conn, auto_kinds("document"), "cli:op")
        lines = list(export_judgements(uow.conn))
    assert [(x["left_id"], x["judgement"]) for x in lines] == [
        ("brd-1", "same"),
        ("brd-3", "not_same"),
        ("pol-1", "unsure"),
    ]
    json.dumps(lines)  # plain JSON
    other = open_store(f"sqlite:///{tmp_path / 'other.db'}", create=True)
    try:
        (tmp_path / "o").mkdir()
        load_people(other, tmp_path / "o")
        with other.uow() as uow:
            first = apply_judgements(uow.conn, enumerate(lines, 1), "cli:op")
            assert (first.applied, first.created, first.refused) == (3, 3, [])
            second = apply_judgements(uow.conn, enumerate(lines, 1), "cli:op")
            assert (second.applied, second.unchanged) == (0, 3)
            found = get_pair(uow.conn, "brd-1", "pol-1")
            assert (found.status, found.history[0].by) == (Status.SAME, "analyst.a")
            bad = apply_judgements(uow.conn, [(1, {"left_id": "x"})], "cli:op")
            assert bad.refused and bad.refused[0].startswith("line 1:")
    finally:
        other.dispose()
