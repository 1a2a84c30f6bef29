"""Fixtures for the judgement workflow: a store with the same people in two agencies'
datasets (generated names, no real person), and pairs built directly for determinism."""

import json
from pathlib import Path

import pytest

from rasid.access.registry import add_agency
from rasid.ingest.run import IngestRequest, ingest
from rasid.model.registry import Agency
from rasid.resolve.judgements import record_proposals
from rasid.resolve.model import Pair
from rasid.screen.model import Reason
from rasid.store import Store

POLICE = [
    ("pol-1", "سامر خليل النجار", "1984-02-11"),
    ("pol-2", "Rami Fawzi Haddad", "1990-07-30"),
    ("pol-3", "Nabil Saeed Odeh", "1979-12-01"),
]
BORDER = [
    ("brd-1", "Samer Khalil al-Najjar", "1984-02-11"),
    ("brd-2", "Rami Fawzi Hadad", "1990-07-30"),
    ("brd-3", "Nabeel Said Odeh", "1979-12-01"),
]
DATASETS = {e: "police_files" for e, _, _ in POLICE} | {e: "border_records" for e, _, _ in BORDER}


def _people(path: Path, people: list[tuple[str, str, str]]) -> str:
    lines = [
        {"id": i, "schema": "Person", "properties": {"name": [n], "birthDate": [b]}}
        for i, n, b in people
    ]
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return str(path)


def load_people(store: Store, folder: Path) -> None:
    """The police and the border agency, each with three people (the same three)."""
    with store.uow() as uow:
        add_agency(uow.conn, Agency("police", "Police", "الشرطة", "police"))
        add_agency(uow.conn, Agency("border", "Border", "الحدود", "border"))
    ingest(
        store, IngestRequest(_people(folder / "p.jsonl", POLICE), "police_files", agency="police")
    )
    ingest(
        store, IngestRequest(_people(folder / "b.jsonl", BORDER), "border_records", agency="border")
    )


def pair(
    left: str, right: str, score: float = 0.8, shared: tuple[tuple[str, str], ...] = ()
) -> Pair:
    """A pair as the engine would propose it, with a one-line explanation."""
    a, b = sorted((left, right))
    return Pair(a, b, score, [Reason("name", "names agree", score)], shared)


PAIRS = [
    pair("pol-1", "brd-1", 0.93),
    pair("pol-2", "brd-2", 0.88, (("document", "N123456@jo"),)),
    pair("pol-3", "brd-3", 0.75),
    pair("pol-1", "pol-3", 0.71),
]


@pytest.fixture
def people(store: Store, tmp_path: Path) -> Store:
    """The store with the people loaded and the pairs proposed."""
    load_people(store, tmp_path)
    with store.uow() as uow:
        record_proposals(uow.conn, PAIRS, DATASETS, "run-1")
    return store
