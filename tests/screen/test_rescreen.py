"""Stored subjects are screened again when a watchlist changes, against what changed only."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasid.cli.main import app
from rasid.ingest.run import IngestRequest, ingest
from rasid.screen.engine import Screener, watchlist_names
from rasid.screen.errors import ScreenError
from rasid.screen.hits import list_hits
from rasid.screen.model import Subject
from rasid.screen.rescreen import rescreen
from rasid.store import Store
from tests.ingest.helpers import write_jsonl

BAGHDADI = {
    "id": "w-baghdadi",
    "schema": "Person",
    "properties": {
        "name": ["Ibrahim Awwad Ibrahim Ali al-Badri", "إبراهيم عواد إبراهيم البدري"],
        "alias": ["Abu Bakr al-Baghdadi"],
        "birthDate": ["1971-07-28"],
    },
}


def _screen(store: Store, subject: Subject, source: str) -> int:
    """Screen and record as `rasid screen` does; the number of hits opened or refreshed."""
    with store.uow() as uow:
        datasets = watchlist_names(uow.conn)
        _, hits = Screener().screen_and_record(uow.conn, subject, datasets, source)
    return len(hits)


def _add(store: Store, tmp_path: Path, rows: list[dict[str, object]], name: str) -> str:
    path = write_jsonl(tmp_path / name, rows)
    return ingest(store, IngestRequest(str(path), "wl", fmt="ftm")).run_id


def test_an_addition_to_a_watchlist_reaches_people_screened_before(
    watchlist: Store, tmp_path: Path
) -> None:
    assert _screen(watchlist, Subject("pax-1", "ABU BAKR AL BAGHDADI"), "batch:pax.jsonl") == 0
    assert _screen(watchlist, Subject("", "Noureddine Kacem", birth_date="1975"), "cli") == 1
    assert _screen(watchlist, Subject("pax-2", "Maria Lopez"), "batch:pax.jsonl") == 0

    run_id = _add(watchlist, tmp_path, [BAGHDADI], "update.jsonl")
    done = rescreen(watchlist, "wl", run_id)
    assert (done.changed_entities, done.subjects) == (1, 3)
    assert (done.alerting_subjects, done.hits) == (1, 1)

    with watchlist.uow() as uow:
        hits = list_hits(uow.conn)
    by_entity = {h.entity_id: h for h in hits}
    assert set(by_entity) == {"w-baghdadi", "w-noureddine"}  # no duplicate, nothing else
    found = by_entity["w-baghdadi"]
    # The same stored subject (its source and id), not a new one.
    assert (found.subject.external_id, found.subject.source) == ("pax-1", "batch:pax.jsonl")
    assert found.status == "new" and found.alert
    assert any(r.feature == "name_part" for r in found.explanation)


def test_an_unchanged_import_screens_nobody(watchlist: Store, tmp_path: Path) -> None:
    _screen(watchlist, Subject("", "Ayman al-Zawahiri"), "cli")
    first = _add(watchlist, tmp_path, [BAGHDADI], "a.jsonl")
    assert rescreen(watchlist, "wl", first).hits == 0  # nobody screened matches al-Badri
    again = _add(watchlist, tmp_path, [BAGHDADI], "b.jsonl")
    done = rescreen(watchlist, "wl", again)
    assert (done.changed_entities, done.subjects, done.hits) == (0, 0, 0)


def test_a_changed_entity_is_screened_again(watchlist: Store, tmp_path: Path) -> None:
    _screen(watchlist, Subject("t-9", "Nur al-Din Kassem"), "api")
    with watchlist.uow() as uow:
        before = {h.entity_id: h.score for h in list_hits(uow.conn)}
    changed = {
        "id": "w-noureddine",
        "schema": "Person",
        "properties": {"name": ["Noureddine Ben Youssef Kacem"], "alias": ["Nur al-Din Qasim"]},
    }
    done = rescreen(watchlist, "wl", _add(watchlist, tmp_path, [changed], "c.jsonl"))
    assert done.changed_entities == 1 and done.subjects == 1
    with watchlist.uow() as uow:
        after = list_hits(uow.conn)
    assert len(after) == 1 and after[0].entity_id == "w-noureddine"  # refreshed, not doubled
    assert after[0].score >= before.get("w-noureddine", 0.0)


def test_only_watchlists_are_followed(watchlist: Store, tmp_path: Path) -> None:
    _screen(watchlist, Subject("", "Mohammed Abdallah"), "cli")
    police = write_jsonl(tmp_path / "p.jsonl", [{**BAGHDADI, "id": "p-1"}])
    run_id = ingest(watchlist, IngestRequest(str(police), "police", fmt="ftm")).run_id
    done = rescreen(watchlist, "police", run_id)
    assert (done.changed_entities, done.subjects, done.hits) == (0, 0, 0)
    with pytest.raises(ScreenError):
        rescreen(watchlist, "nope", run_id)
    with pytest.raises(ScreenError):
        rescreen(watchlist, "wl", run_id)  # that import was not of this dataset


def test_rasid_ingest_reports_the_rescreening(settings_env: str, tmp_path: Path) -> None:
    runner = CliRunner()
    first = write_jsonl(tmp_path / "wl.jsonl", [{**BAGHDADI, "id": "w-other"}])
    args = ["ingest", str(first), "-d", "wl", "--agency", "un", "--watchlist", "-q", "--json"]
    assert runner.invoke(app, args).exit_code == 0
    result = runner.invoke(app, ["screen", "Abu Bakr Baghdadi", "--json"])
    assert result.exit_code == 0
    update = write_jsonl(tmp_path / "update.jsonl", [BAGHDADI])
    result = runner.invoke(app, ["ingest", str(update), "-d", "wl", "-q", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["rescreened"]
    assert report["changed_entities"] == 1 and report["subjects"] == 1
    assert report["hits"] == 1
