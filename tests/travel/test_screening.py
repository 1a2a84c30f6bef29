"""Screening travellers on arrival: watchlists by name, lost and stolen documents exactly,
no second name screening for unchanged facts, hits visible only with the travel data
(SQLite and PostgreSQL)."""

from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import select

from rasid.names.index import NameIndex
from rasid.screen.engine import Screener
from rasid.screen.hits import list_hits
from rasid.screen.model import Match, Subject
from rasid.store import Store
from rasid.store.tables import ingest_run, traveller
from rasid.travel import screening
from rasid.travel.screening import (
    LIMIT,
    Arrivals,
    TravelDocument,
    document_key,
    document_matches,
    listed_documents,
    recheck_documents,
    screen_arrivals,
    state_code,
)
from rasid.travel.screening import _Recall as Recall
from tests.travel.helpers import API_UA988, PUSHES, SENSITIVE_PNR, add_lists
from tests.travel.helpers import arrive as _import


def test_a_listed_person_is_found_by_name_across_scripts(lists: Store, tmp_path: Path) -> None:
    run_id = _import(lists, tmp_path, "pnr.edi", SENSITIVE_PNR)
    done = screen_arrivals(lists, run_id)
    assert (done.travellers, done.watchlist_alerts, done.document_alerts) == (1, 1, 0)
    assert done.watchlists == ["national"] and done.document_lists == ["sltd"]
    with lists.uow() as uow:
        [found] = list_hits(uow.conn)
        tid = uow.conn.execute(select(traveller.c.id)).scalar_one()
    assert (found.kind, found.entity_id, found.watchlist) == ("name", "wl-hassan", "national")
    assert (found.subject.source, found.subject.external_id) == ("travel", tid)
    assert found.subject.dataset == "piu"
    assert found.subject.name == "MUHAMMAD HASSAN"
    assert found.subject.birth_date == "1980-01-01"
    assert any(r.feature == "birth_date" for r in found.explanation)


def test_a_listed_document_is_found_on_number_and_state(lists: Store, tmp_path: Path) -> None:
    done = screen_arrivals(lists, _import(lists, tmp_path, "api.edi", API_UA988))
    assert (done.travellers, done.watchlist_alerts, done.document_alerts) == (1, 0, 1)
    with lists.uow() as uow:
        [found] = list_hits(uow.conn)
    assert (found.kind, found.entity_id, found.watchlist) == ("document", "sltd-1", "sltd")
    assert (found.score, found.alert, found.matched_name) == (1.0, True, "602120901")
    details = {r.feature: r.detail for r in found.explanation}
    assert details["issuing_state"] == "GBR = GB"
    assert details["listed_summary"] == "stolen"


def test_hits_are_shown_only_with_the_travel_data(lists: Store, tmp_path: Path) -> None:
    screen_arrivals(lists, _import(lists, tmp_path, "api.edi", API_UA988))
    with lists.uow() as uow:
        assert len(list_hits(uow.conn, datasets=["sltd", "piu"])) == 1
        assert list_hits(uow.conn, datasets=["sltd"]) == []  # the list, not the traveller
        assert list_hits(uow.conn, datasets=["piu"]) == []  # the traveller, not the list


def test_unchanged_travellers_are_not_matched_by_name_again(lists: Store, tmp_path: Path) -> None:
    screener = Screener()
    first = screen_arrivals(lists, _import(lists, tmp_path, "48h.edi", PUSHES["48h"]), screener)
    again = screen_arrivals(lists, _import(lists, tmp_path, "24h.edi", PUSHES["24h"]), screener)
    assert first.travellers == again.travellers > 0
    assert first.name_screened == first.travellers
    assert again.name_screened == 0  # the same facts: the queue holds their results already


def test_an_import_without_lists_screens_nothing_in_vain(store: Store, tmp_path: Path) -> None:
    done = screen_arrivals(store, _import(store, tmp_path, "api.edi", API_UA988))
    assert isinstance(done, Arrivals)
    assert (done.travellers, done.hits, done.watchlists, done.document_lists) == (1, 0, [], [])


@pytest.mark.parametrize(
    ("number", "state", "found"),
    [
        ("602120901", "GBR", ["sltd-1"]),
        ("602 120-901", "gb", ["sltd-1"]),  # spaces and hyphens are not part of a number
        ("602120901", "FRA", ["sltd-2"]),
        ("602120901", "DEU", []),  # a listed number, another state: not this document
        ("602120902", "GBR", []),
        ("A1234567", "EGY", []),  # listed without a state: not matched on the number alone
        ("602120901", "", []),
    ],
)
def test_documents_match_exactly(lists: Store, number: str, state: str, found: list[str]) -> None:
    with lists.uow() as uow:
        listed = listed_documents(uow.conn, ["sltd"], [number])
    matches = document_matches([TravelDocument(number, state)], listed)
    assert [m.entity_id for m in matches] == found
    assert all(m.kind == "document" for m in matches)


def test_document_keys_and_states() -> None:
    assert document_key(" ab-12.34 5 ") == "AB12345"
    assert (state_code("D"), state_code("DEU"), state_code("gb"), state_code("")) == (
        "de",
        "de",
        "gb",
        None,
    )


def test_a_newly_listed_document_is_found_on_stored_travellers(
    store: Store, tmp_path: Path
) -> None:
    before = screen_arrivals(store, _import(store, tmp_path, "api.edi", API_UA988))
    assert before.hits == 0  # no list yet
    add_lists(store, tmp_path)
    with store.uow() as uow:
        run_id = uow.conn.execute(
            select(ingest_run.c.id).where(ingest_run.c.dataset == "sltd")
        ).scalar_one()
    done = recheck_documents(store, "sltd", run_id)
    assert (done.documents_only, done.travellers, done.document_alerts, done.hits) == (
        True, 1, 1, 1,
    )  # fmt: skip
    with store.uow() as uow:
        [found] = list_hits(uow.conn)
    assert (found.kind, found.entity_id, found.subject.dataset) == ("document", "sltd-1", "piu")
    again = recheck_documents(store, "sltd", run_id)
    assert again.hits == 1 and len(list_hits_all(store)) == 1  # refreshed, not doubled
    assert recheck_documents(store, "national", run_id).travellers == 0  # not a document list


def list_hits_all(store: Store) -> list[object]:
    with store.uow() as uow:
        return list(list_hits(uow.conn))


# The traveller of SENSITIVE_PNR as the flight's manifest gives him: another entity, the
# same facts (name, birth date, nationality, sex and passport).
API_HASSAN = b"""UNA:+.? '
UNB+UNOA:4+XY+RASID+240305:1015+API2'
UNH+1+PAXLST:D:05B:UN:IATA'
BGM+745'
NAD+MS+++XY OPS'
TDT+20+XY123+++XY'
LOC+125+CAI'
DTM+189:2403051000'
LOC+87+DXB'
DTM+232:2403051400'
NAD+FL+++HASSAN:MUHAMMAD'
ATT+2++M'
DTM+329:800101'
NAT+2+EGY'
DOC+P+A1234567'
DTM+36:300101'
LOC+91+EGY'
CNT+42:1'
UNT+17+1'
UNZ+1+API2'
"""


class Counting:
    """A name index that counts its matches (a wrapper: a compiled index has no subclasses
    written in Python)."""

    calls = 0

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self.serial = index.serial

    def match(self, subject: Subject, limit: int = 5, among: object | None = None) -> list[Match]:
        Counting.calls += 1
        return self.index.match(subject, limit)


def _index(*names: str) -> NameIndex:
    index = NameIndex()
    for i, name in enumerate(names):
        index.add(f"wl-{i}", [name], birth_dates=["1980-01-01"], nationalities=["eg"])
    index.prepare()
    return cast(NameIndex, Counting(index))


def test_the_same_facts_are_matched_once() -> None:
    recall, index = Recall(), _index("محمد حسن", "Zayd Qurashi")
    Counting.calls = 0
    booked = Subject("pnr-1", "MUHAMMAD HASSAN", "1980-01-01", "eg", "male", "A1234567")
    on_manifest = Subject("api-1", "MUHAMMAD HASSAN", "1980-01-01", "eg", "male", "A1234567")
    first = recall.match(index, booked)
    assert first and first == index.match(booked, LIMIT)
    Counting.calls = 0
    assert recall.match(index, on_manifest) == first
    assert Counting.calls == 0
    other = Subject("api-2", "MUHAMMAD HASSAN", "1981-01-01", "eg", "male", "A1234567")
    recall.match(index, other)  # another birth date: other facts
    assert Counting.calls == 1
    recall.match(index, on_manifest)
    assert Counting.calls == 1
    recall.match(_index("محمد حسن"), on_manifest)  # a new index: a watchlist changed
    assert Counting.calls == 2


def test_only_the_facts_used_last_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screening, "MEMORY", 2)
    recall, index = Recall(), _index("محمد حسن")
    people = [Subject(f"s{i}", "MUHAMMAD HASSAN", f"198{i}-01-01") for i in range(3)]
    for person in [*people, people[2], people[0]]:
        recall.match(index, person)
    Counting.calls = 0
    recall.match(index, people[1])  # the least recently used: forgotten
    assert Counting.calls == 1
    recall.match(index, people[0])
    assert Counting.calls == 1


def test_booking_and_manifest_of_one_traveller_get_the_same_hit(
    lists: Store, tmp_path: Path
) -> None:
    screener = Screener()
    booked = screen_arrivals(lists, _import(lists, tmp_path, "pnr.edi", SENSITIVE_PNR), screener)
    manifest = screen_arrivals(lists, _import(lists, tmp_path, "api.edi", API_HASSAN), screener)
    assert booked.name_screened == manifest.name_screened == 1
    assert booked.watchlist_alerts == manifest.watchlist_alerts == 1
    with lists.uow() as uow:
        hits = [h for h in list_hits(uow.conn) if h.kind == "name"]
    assert len(hits) == 2 and len({h.subject.external_id for h in hits}) == 2
    assert len({(h.entity_id, h.score, tuple(h.explanation)) for h in hits}) == 1
