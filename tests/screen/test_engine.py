"""Screening against the store's watchlists."""

from datetime import date

import pytest

from rasid.ingest.run import IngestRequest, ingest
from rasid.names.score import ALERT_THRESHOLD
from rasid.resolve.canonical import canonical_of
from rasid.resolve.judgements import judge, record_proposals
from rasid.retention.run import run_retention
from rasid.screen.engine import Screener, _version, watchlist_names
from rasid.screen.errors import ScreenError
from rasid.screen.model import Subject
from rasid.store import Store
from tests.ingest.helpers import write_jsonl
from tests.resolve.conftest import pair


def _screen(store: Store, subject: Subject, datasets: list[str] | None = None) -> list:  # type: ignore[type-arg]
    with store.uow() as uow:
        return Screener().screen(uow.conn, subject, watchlist_names(uow.conn, datasets))


@pytest.mark.parametrize(
    "name",
    ["Ayman Zawahiri", "AL-ZAWAHIRI, Ayman", "أيمن الظواهري", "Sheikh Aiman al-Zawahri"],
)
def test_listed_person_alerts_with_explanation(watchlist: Store, name: str) -> None:
    [best, *_] = _screen(watchlist, Subject("s", name))
    assert best.entity_id == "w-zawahiri" and best.alert and best.score >= ALERT_THRESHOLD
    assert any(r.feature == "name_part" for r in best.explanation)
    assert set(best.to_dict()) == {"entity_id", "score", "alert", "name", "explanation"}


def test_facts_agree_or_conflict(watchlist: Store) -> None:
    agree = _screen(
        watchlist,
        Subject("s", "Ayman Zawahiri", birth_date="1951-06-19", document_number="10-84010"),
    )[0]
    conflict = _screen(
        watchlist, Subject("s", "Ayman Zawahiri", birth_date="1990", gender="female")
    )[0]
    assert agree.score > conflict.score
    assert {r.feature for r in agree.explanation} >= {"birth_date", "document"}
    assert not conflict.alert


def test_only_watchlists_are_screened(watchlist: Store) -> None:
    found = _screen(watchlist, Subject("s", "Mohammed Abdallah"))
    assert all(m.entity_id != "x-police" for m in found)  # police data is not a watchlist
    with pytest.raises(ScreenError, match="unknown watchlist"):
        _screen(watchlist, Subject("s", "x"), ["nope"])


def test_no_watchlist_is_a_clear_error(store: Store) -> None:
    with pytest.raises(ScreenError, match="no watchlist dataset"), store.uow() as uow:
        watchlist_names(uow.conn)


def test_the_index_follows_the_watchlist(watchlist: Store, tmp_path: object) -> None:
    screener = Screener()
    with watchlist.uow() as uow:
        datasets = watchlist_names(uow.conn)
        before = screener.screen(uow.conn, Subject("s", "Kassem Haddad"), datasets)
    assert not any(m.alert for m in before)
    from pathlib import Path

    path = write_jsonl(
        Path(str(tmp_path)) / "more.jsonl",
        [{"id": "w-new", "schema": "Person", "properties": {"name": ["Qasim Haddad"]}}],
    )
    ingest(watchlist, IngestRequest(str(path), "wl", fmt="ftm"))
    with watchlist.uow() as uow:
        [found, *_] = screener.screen(uow.conn, Subject("s", "Kassem Haddad"), datasets)
    assert found.entity_id == "w-new" and found.alert


def test_the_index_follows_merges(watchlist: Store) -> None:
    """Merging two listed entities changes the id the index keys them by: a screener that
    built its index before the merge returns the merged entity's id after it."""
    screener = Screener()
    subject = Subject("s", "Ayman al-Zawahiri")
    with watchlist.uow() as uow:
        datasets = watchlist_names(uow.conn)
        [before, *_] = screener.screen(uow.conn, subject, datasets)
    assert before.entity_id == "w-zawahiri"
    with watchlist.uow() as uow:
        record_proposals(
            uow.conn,
            [pair("w-noureddine", "w-zawahiri")],
            {"w-noureddine": "wl", "w-zawahiri": "wl"},
            "run-1",
        )
        judge(uow.conn, "w-noureddine", "w-zawahiri", "same", "analyst.a")
    with watchlist.uow() as uow:
        merged = {canonical_of(uow.conn, "w-zawahiri"), canonical_of(uow.conn, "w-noureddine")}
        [after, *_] = screener.screen(uow.conn, subject, datasets)
    assert merged == {"w-noureddine"}  # the smaller id names the cluster
    assert after.entity_id == "w-noureddine" and after.alert


def test_a_retention_run_is_a_new_version(watchlist: Store) -> None:
    """Retention deletes statements without an import: its run changes the version."""
    with watchlist.uow() as uow:
        datasets = watchlist_names(uow.conn)
        before = _version(uow.conn, datasets)
    run_retention(watchlist, date(2026, 1, 1), "dpo")
    with watchlist.uow() as uow:
        assert _version(uow.conn, datasets) != before
        assert _version(uow.conn, datasets) == _version(uow.conn, datasets)
