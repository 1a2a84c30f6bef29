"""Records seen again: an import marks their statements seen instead of writing them anew.

A travel file repeats most of what the one before it said: the 24 h push of a booking
carries the travellers of the 48 h push, and the departure push carries them again. A reader
may describe such a record's entities by a fingerprint (``Fingerprinted``): a hash of every
value it would add to them, made without building them. The runner adds the dataset's
defaults that an upsert would write (marking, legal basis, origin) and looks the record's
lead entity up in ``entity_fingerprint``:

* the same fingerprint: the statements the earlier import wrote for these entities (those
  whose ``last_seen`` is that import's start) are marked seen by this one, one entity at a
  time (by equality on its id, so that the planner keeps to the index). If the update
  finds fewer statements than were written (a retention run or a replacing import deleted
  some since), the record is built and written after all;
* another fingerprint, none, or the record twice in one file: the record is built and its
  statements written as any entity's are; its fingerprint is stored with what was written,
  unless a value was dropped (a record whose values are quarantined is always read again,
  so that each import reports them).

What a statement means does not change: ``last_seen`` is still the last import whose file
said the value, and an upsert's other columns would have written what they hold. A
fingerprint is a hash of personal data: it is deleted with the first of its statements
(``delete_after``, by the retention run) and never read out.
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Connection, Update, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from rasid.store.chunks import chunks
from rasid.store.tables import entity_fingerprint, statement


@dataclass(frozen=True)
class Stored:
    """A record's fingerprint as the dataset holds it."""

    fingerprint: str
    seen: datetime  # the start of the import that last wrote its statements
    statements: int  # how many it wrote
    members: dict[str, str]  # entity id -> schema


def combined(fingerprint: str, defaults: Sequence[str | None]) -> str:
    """A reader's fingerprint with the dataset defaults an upsert would write."""
    text = "\x1f".join([fingerprint, *(value or "" for value in defaults)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(values: Iterable[Sequence[object]]) -> str:
    """A reader's fingerprint of the values it would add (rows of strings, dates, None)."""
    hasher = hashlib.sha256()
    for row in values:
        hasher.update("\x1f".join("" if v is None else str(v) for v in row).encode("utf-8"))
        hasher.update(b"\x1e")
    return hasher.hexdigest()


def load(conn: Connection, dataset: str, keys: Sequence[str]) -> dict[str, Stored]:
    """The stored fingerprints of these lead entities (those the dataset has)."""
    found: dict[str, Stored] = {}
    c = entity_fingerprint.c
    for part in chunks(keys):
        query = select(c.entity_id, c.fingerprint, c.seen, c.statements, c.members).where(
            c.dataset == dataset, c.entity_id.in_(part)
        )
        for key, fingerprint, seen, count, members in conn.execute(query):
            found[key] = Stored(fingerprint, seen, int(count), json.loads(members))
    return found


def _seen_again() -> Update:
    """Mark one entity's statements of one import seen again, by equality on its id (so
    that the planner takes the index on it: given hundreds of ids in one ``IN``, SQLite
    would read the whole dataset instead)."""
    c = statement.c
    entity: BindParameter[str] = bindparam("entity")
    own = (c.canonical_id == entity) & (c.entity_id == c.canonical_id)
    merged = (c.entity_id == entity) & (c.entity_id != c.canonical_id)
    return (
        update(statement)
        .where(own | merged, c.dataset == bindparam("ds"), c.last_seen == bindparam("seen"))
        .values(last_seen=bindparam("now"))
    )


def touch(conn: Connection, dataset: str, records: dict[str, Stored], now: datetime) -> int:
    """Mark the statements each record (by lead entity) had its last import write as seen
    ``now``, and the records as written then; how many statements were found (the records'
    ``statements`` added up, unless some were deleted since)."""
    c = entity_fingerprint.c
    for part in chunks(records):
        mark = update(entity_fingerprint).where(c.dataset == dataset, c.entity_id.in_(part))
        conn.execute(mark.values(seen=now))
    rows = [
        {"entity": member, "ds": dataset, "seen": record.seen, "now": now}
        for record in records.values()
        for member in record.members
    ]
    return conn.execute(_seen_again(), rows).rowcount if rows else 0


def save(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Store fingerprints (``dataset``, ``entity_id``, ``fingerprint``, ``seen``,
    ``statements``, ``members`` as a dict, ``delete_after``); a stored one is replaced but
    keeps its delete date (that of its first statements, which an upsert keeps too)."""
    if not rows:
        return
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    ins = module.insert(entity_fingerprint)
    changing = ("fingerprint", "seen", "statements", "members")
    upsert = ins.on_conflict_do_update(
        index_elements=["dataset", "entity_id"],
        set_={name: ins.excluded[name] for name in changing},
    )
    values = [{**row, "members": json.dumps(row["members"], sort_keys=True)} for row in rows]
    conn.execute(upsert, values)


def forget(conn: Connection, dataset: str, keys: Sequence[str]) -> None:
    """Delete these records' fingerprints (their statements are being written otherwise)."""
    c = entity_fingerprint.c
    for part in chunks(keys):
        conn.execute(delete(entity_fingerprint).where(c.dataset == dataset, c.entity_id.in_(part)))
