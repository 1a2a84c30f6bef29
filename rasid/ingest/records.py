"""What readers yield, and the context they read in.

A reader is a function ``read(source: Source, ctx: ReadContext) -> Iterator[Item]``. It yields

* ``StatementEntity`` objects (FtM v4, made with ``ctx.make_entity``), whose statements the
  runner stores with the dataset's defaults (marking, legal basis, retention);
* FtM ``Statement`` objects (for statement-level input), stored as they are;
* ``Rejected`` for a record that cannot be imported (quarantined whole) and ``Dropped`` for a
  value that was left out of an otherwise imported record;
* ``TableWrite`` for rows of tables of its own (travel messages: flights, bookings), which the
  runner writes in the import's transaction like everything else;
* ``Fingerprinted`` for a record's entities built only when the dataset does not already
  hold them as they are (``rasid.ingest.fingerprints``).

A file that cannot be read at all raises ``UnreadableInput`` (nothing is written).
"""

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import IO, Any

from followthemoney import model
from followthemoney.dataset import Dataset as FtmDataset
from followthemoney.property import Property
from followthemoney.statement import Statement
from followthemoney.statement.entity import StatementEntity
from followthemoney.util import make_entity_id
from sqlalchemy import Connection

RAW_LIMIT = 64 * 1024  # characters of a bad record kept in quarantine


@dataclass(frozen=True)
class Rejected:
    """A record that could not be imported: where it is, why, and its raw text."""

    location: str
    reason: str
    raw: str | None = None


@dataclass(frozen=True)
class Dropped:
    """A value left out of an imported record (e.g. a date that is not a date)."""

    location: str
    reason: str
    raw: str | None = None


@dataclass(frozen=True)
class RunInfo:
    """The import a ``TableWrite`` runs in: its run record, dataset, source and start time,
    and when the file was received (its start, unless a replayed file says when)."""

    run_id: str
    dataset: str
    source: str
    started: datetime  # naive UTC, as the store keeps times
    received: datetime | None = None  # naive UTC; None: ``started``

    @property
    def received_at(self) -> datetime:
        """When the file reached Rasid (naive UTC)."""
        return self.received or self.started


@dataclass(frozen=True)
class Written:
    """What a ``TableWrite`` did: how many records of the file it stored (an import that
    stores none and no statement read nothing) and counts for the summary."""

    records: int
    counts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TableWrite:
    """Rows for tables a reader owns, written by ``write`` on the import's connection (never
    committing: the import's unit of work does)."""

    write: Callable[[Connection, RunInfo], Written]


@dataclass(frozen=True)
class Fingerprinted:
    """One record's entities (a traveller and their documents), described by ``key`` (the
    lead entity's id) and a fingerprint of every value they would carry
    (``rasid.ingest.fingerprints.digest``), and built by ``build`` only when the dataset
    does not hold them as they are (``rasid.ingest.fingerprints``)."""

    key: str
    fingerprint: str
    build: Callable[[], Iterable["StatementEntity | Dropped"]]


Item = StatementEntity | Statement | Rejected | Dropped | TableWrite | Fingerprinted


class CountingReader(io.RawIOBase):
    """A binary file that counts the bytes read from it (for progress by bytes)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


@dataclass
class Source:
    """A local file to read (a URL is downloaded to one first) and how far it has been read."""

    path: Path
    label: str  # how the file is named in messages and provenance (path or URL)
    _readers: list[CountingReader] = field(default_factory=list)

    def open_binary(self) -> io.BufferedReader:
        """Open the file for reading; bytes read are counted for the progress bar."""
        counter = CountingReader(self.path.open("rb"))
        self._readers.append(counter)
        return io.BufferedReader(counter, buffer_size=1 << 16)

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return self.path.stat().st_size

    @property
    def bytes_read(self) -> int:
        """Bytes read so far through ``open_binary``."""
        return sum(r.count for r in self._readers)


@dataclass
class ReadContext:
    """What a reader knows of the import: the target dataset and options."""

    dataset: str
    mapping: Path | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def ftm_dataset(self) -> FtmDataset:
        """The FtM dataset object statements are made in (built once: FtM validates it)."""
        return FtmDataset.make({"name": self.dataset, "title": self.dataset})

    def make_id(self, *parts: Any) -> str:
        """An entity id derived from the dataset and the record's key, stable across imports:
        ``<dataset>-<sha1 of the parts>`` (underscores become hyphens: FtM ids allow letters,
        digits, dots and hyphens only)."""
        digest = make_entity_id(*parts, key_prefix=self.dataset)
        if digest is None:
            raise ValueError("an entity id needs at least one non-empty key part")
        return f"{self.dataset.replace('_', '-')}-{digest}"

    def make_entity(self, schema: str, entity_id: str) -> StatementEntity:
        """A new, empty FtM entity of ``schema`` in this dataset."""
        return StatementEntity(self.ftm_dataset, {"schema": schema, "id": entity_id})


def add_value(
    entity: StatementEntity,
    prop: str,
    value: str | None,
    location: str,
    lang: str | None = None,
) -> Dropped | None:
    """Add a raw value to ``entity``; if FtM's cleaning rejects it, say so instead of losing it
    silently. Returns the Dropped record to yield, or None if the value was kept (or empty)."""
    if value is None or not value.strip():
        return None
    prop_obj: Property | None = entity.schema.get(prop)
    if prop_obj is None:
        return Dropped(location, f"{entity.schema.name} has no property {prop!r}", value)
    cleaned = prop_obj.type.clean(value, proxy=entity)
    if cleaned is None:
        return Dropped(location, f"{prop}: {value!r} is not a valid {prop_obj.type.name}", value)
    entity.unsafe_add(prop_obj, cleaned, cleaned=True, lang=lang, original_value=value)
    return None


Reader = Callable[[Source, ReadContext], Iterator[Item]]


def schema_exists(name: str) -> bool:
    """True if FtM has a schema of this name."""
    return model.get(name) is not None
