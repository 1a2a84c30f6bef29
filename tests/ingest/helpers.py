"""Builders for import tests: small files written by the tests themselves."""

import json
from pathlib import Path
from typing import Any

from rasid.ingest.run import IngestRequest, Summary, ingest
from rasid.store import Store


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    """One JSON document per line (strings are written as they are)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load(store: Store, path: Path, dataset: str = "police", **kw: Any) -> Summary:
    """Import a file into a dataset owned by national_police (created if new)."""
    kw.setdefault("agency", "national_police")
    return ingest(store, IngestRequest(str(path), dataset, **kw))


PEOPLE = [
    {
        "id": "p1",
        "schema": "Person",
        "properties": {"name": ["مُحَمَّد عبد الله"], "birthDate": ["1980-01-02"]},
    },
    {
        "id": "p2",
        "schema": "Person",
        "properties": {"name": ["Mohamed Abdallah"], "nationality": ["Iraq"]},
    },
    {"id": "o1", "schema": "Organization", "properties": {"name": ["Sand Road Network"]}},
    {
        "id": "m1",
        "schema": "Membership",
        "properties": {"member": ["p2"], "organization": ["o1"], "role": ["courier"]},
    },
]
