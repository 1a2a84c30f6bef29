"""A store holding a small watchlist written for these tests (and the UN list when asked)."""

from pathlib import Path

import pytest

from rasid.ingest.run import IngestRequest, ingest
from rasid.store import Store
from tests.ingest.helpers import write_jsonl

LISTED = [
    {
        "id": "w-zawahiri",
        "schema": "Person",
        "properties": {
            "name": ["Ayman al-Zawahiri", "أيمن الظواهري"],
            "alias": ["Abu Muhammad"],
            "birthDate": ["1951-06-19"],
            "nationality": ["eg"],
            "gender": ["male"],
            "passportNumber": ["1084010"],
        },
    },
    {
        "id": "w-noureddine",
        "schema": "Person",
        "properties": {"name": ["Noureddine Ben Youssef Kacem"], "birthDate": ["1975"]},
    },
    {"id": "w-org", "schema": "Organization", "properties": {"name": ["Al-Nur Network"]}},
    {"id": "x-police", "schema": "Person", "properties": {"name": ["Mohammed Abdallah"]}},
]


@pytest.fixture
def watchlist(store: Store, tmp_path: Path) -> Store:
    """The watchlist ``wl`` (kind watchlist) and a police dataset that is not one."""
    path = write_jsonl(tmp_path / "wl.jsonl", LISTED[:3])
    ingest(store, IngestRequest(str(path), "wl", agency="un", kind="watchlist", fmt="ftm"))
    police = write_jsonl(tmp_path / "police.jsonl", LISTED[3:])
    ingest(store, IngestRequest(str(police), "police", agency="police", fmt="ftm"))
    return store
