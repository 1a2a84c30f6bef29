"""Test helpers: the demo's people resolved as people would judge them (by its ground
truth), written as resolution writes them."""

import csv
from collections import defaultdict
from pathlib import Path

import rasid.demo
from rasid.demo.scenario import entity_id
from rasid.store import Store
from rasid.store.statements import utcnow
from rasid.store.tables import resolution_canonical, statement

TRUTH = Path(rasid.demo.__file__).parent / "data" / "truth.csv"
KEY_COLUMN = {
    "police_cases": "person_no",
    "border_crossings": "passport_no",
    "prison_register": "prisoner_no",
}


def record_id(dataset: str, key: str) -> str:
    """The entity id the importer gives one record of the demo."""
    if dataset not in KEY_COLUMN:
        return key  # the FIU's FtM file keeps its ids
    return entity_id(dataset, "person", {KEY_COLUMN[dataset]: key})


def resolve_demo(store: Store) -> dict[str, str]:
    """Give every record of one true person the smallest of their ids as canonical id, as
    resolution does after people judged them the same; returns person -> canonical id."""
    people: dict[str, list[str]] = defaultdict(list)
    with TRUTH.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            people[row["person"]].append(record_id(row["dataset"], row["record_key"]))
    now = utcnow()
    canonical: dict[str, str] = {}
    with store.uow() as uow:
        for person, ids in people.items():
            canonical[person] = first = min(ids)
            merged = [i for i in ids if i != first]
            if not merged:
                continue
            uow.conn.execute(
                statement.update()
                .where(statement.c.entity_id.in_(merged))
                .values(canonical_id=first)
            )
            uow.conn.execute(
                resolution_canonical.insert(),
                [{"entity_id": i, "canonical_id": first, "updated_at": now} for i in merged],
            )
    return canonical
