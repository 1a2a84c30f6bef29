"""Running an import: one file into one dataset, in one transaction.

Everything a reader yields is written inside a single unit of work: the good records, the
quarantined ones and the run's own record commit together or not at all. An unreadable file,
an error or an interrupt (Ctrl-C, kill) leaves the database as it was before the import.

Reading comes before writing: what a reader yields is gathered until a batch is full (or the
file ends), and only then is anything written. On SQLite the first write takes the
database's one write lock, so a file smaller than a batch (a travel message) is read and
checked while other imports write, and holds the lock only while its rows go in.

A record a reader describes by a fingerprint (``Fingerprinted``) is built only when the
dataset does not already hold it as it is; otherwise its statements are marked seen again
(``rasid.ingest.fingerprints``).
"""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from followthemoney.statement import Statement
from followthemoney.statement.entity import StatementEntity
from followthemoney.statement.util import BASE_ID
from sqlalchemy import Connection, func, select, update

from rasid.access.registry import add_dataset, ensure_agency, get_dataset
from rasid.ingest import fingerprints
from rasid.ingest.errors import IngestError
from rasid.ingest.fetch import download, is_url
from rasid.ingest.formats import get_reader, guess_format
from rasid.ingest.records import (
    Dropped,
    Fingerprinted,
    Item,
    ReadContext,
    Rejected,
    RunInfo,
    Source,
    TableWrite,
)
from rasid.model.errors import ModelError
from rasid.model.gradings import Scale, get_scale
from rasid.model.markings import Marking
from rasid.model.registry import Dataset
from rasid.model.retention import get_retention_class
from rasid.model.statement import RasidStatement
from rasid.resolve import canonical
from rasid.settings import get_settings
from rasid.store import Store, fts
from rasid.store.statements import (
    delete_unseen,
    parse_seen,
    refresh_statistics,
    statistics_outdated,
    to_row,
    upsert_statements,
    utcnow,
)
from rasid.store.tables import ingest_run, quarantine, statement

# Imports writing at least this many statements refresh the planner's statistics when they
# are missing or out of date: without them both databases pick the wrong index to assemble
# entities (see bench/README.md).
ANALYZE_AFTER = 1000
# Statement ids an import keeps to count what it wrote; past this many the database counts
# them once at the end instead (a scan of the dataset: cheap next to such an import).
COUNT_IN_MEMORY = 200_000
# Fingerprinted records gathered before their stored fingerprints are looked up at once.
PENDING = 1000

# Retention classes (retention.yml) of new datasets of travel data, unless one is given.
FORMAT_RETENTION = {"paxlst": "api", "pnrgov": "pnr"}

# Called with (records read, bytes read, total bytes) as the import goes.
ProgressFn = Callable[[int, int, int], None]


@dataclass
class Summary:
    """What an import did. ``entities`` and ``statements`` count what this file asserts
    (the same on a re-import); ``rejected`` counts quarantined records, ``dropped`` values
    left out of imported records. A reader with tables of its own adds ``records`` (what it
    stored there) and ``counts`` (travel messages: travellers, bookings, flights...), which
    the JSON form shows beside the usual counts."""

    run_id: str
    dataset: str
    source: str
    format: str
    entities: int = 0
    statements: int = 0
    rejected: int = 0
    dropped: int = 0
    replaced: int = 0
    by_schema: dict[str, int] = field(default_factory=dict)
    created_dataset: bool = False
    records: int = 0
    counts: dict[str, Any] = field(default_factory=dict)
    first_rejected: str = ""  # "location: reason" of the first record quarantined

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, the reader's counts at the top level."""
        data = asdict(self)
        data.update(data.pop("counts"))
        return data

    @property
    def nothing_read(self) -> bool:
        """True when no record at all could be imported."""
        return self.statements == 0 and self.records == 0


@dataclass
class IngestRequest:
    """What to import, where, and (for a new dataset) the dataset's description."""

    location: str  # a file path or an http(s) URL
    dataset: str
    fmt: str | None = None
    mapping: Path | None = None
    agency: str | None = None
    title: str | None = None
    purpose: str = ""
    legal_basis: str = ""
    marking: Marking | None = None
    retention_class: str | None = None
    kind: str = "source"
    replace: bool = False
    # When the file was received, for files replayed later (naive UTC; None: now). Travel
    # messages keep it (travel_message.received_at): the data-quality report times by it.
    received_at: datetime | None = None

    def new_dataset(self, fmt: str = "") -> Dataset:
        """The dataset this request describes (when it does not exist yet); its retention
        class, unless given, is the one the law sets for the format's data (API, PNR)."""
        if self.agency is None:
            raise IngestError(
                f"dataset {self.dataset!r} does not exist: give --agency to create it"
            )
        return Dataset(
            name=self.dataset,
            agency=self.agency,
            title=self.title or self.dataset,
            purpose=self.purpose,
            legal_basis=self.legal_basis,
            default_marking=self.marking or Marking.AMBER,
            retention_class=self.retention_class or FORMAT_RETENTION.get(fmt, "intelligence-5y"),
            kind=self.kind,
        )


def ingest(store: Store, request: IngestRequest, progress: ProgressFn | None = None) -> Summary:
    """Import one file (or URL) into a dataset; see the module docstring for guarantees."""
    downloaded = (
        download(request.location, get_settings().fetch_timeout)
        if is_url(request.location)
        else None
    )
    path = downloaded or Path(request.location)
    try:
        if not path.is_file():
            raise IngestError(f"{path}: no such file")
        fmt = request.fmt or guess_format(path)
        source = Source(path, request.location)
        ctx = ReadContext(request.dataset, request.mapping)
        reader = get_reader(fmt)
        with store.uow() as uow:
            return _Batch(uow.conn, request, source, fmt, ctx).run(reader(source, ctx), progress)
    finally:
        if downloaded is not None:
            downloaded.unlink(missing_ok=True)


def add_counts(total: dict[str, Any], more: dict[str, Any]) -> None:
    """Add ``more`` into ``total``: numbers add up, so do dicts of numbers (by key); any other
    value replaces the one before."""
    for key, value in more.items():
        before = total.get(key)
        if isinstance(value, int) and isinstance(before, int):
            total[key] = before + value
        elif isinstance(value, dict) and isinstance(before, dict):
            total[key] = {k: before.get(k, 0) + value.get(k, 0) for k in before.keys() | value}
        else:
            total[key] = value


class _Tally:
    """What an import wrote: statement ids, and entities by schema (one per id statement),
    kept while they are few (``COUNT_IN_MEMORY``); ``None`` once there were too many."""

    def __init__(self) -> None:
        self.ids: set[str] | None = set()
        self.entities: dict[str, set[str]] = {}
        self.touched = 0  # statements marked seen again (rasid.ingest.fingerprints)

    def add_touched(self, statements: int, members: dict[str, str]) -> None:
        """Count the statements and entities of records marked seen again."""
        self.touched += statements
        if self.ids is not None:
            for entity_id, schema in members.items():
                self.entities.setdefault(schema, set()).add(entity_id)

    def add(self, rows: dict[str, dict[str, Any]]) -> None:
        """Count a batch of rows keyed by statement id."""
        if self.ids is None:
            return
        self.ids.update(rows)
        for row in rows.values():
            if row["prop"] == BASE_ID:
                self.entities.setdefault(row["schema"], set()).add(row["canonical_id"])
        if len(self.ids) > COUNT_IN_MEMORY:
            self.ids, self.entities = None, {}


class _Batch:
    """The write side of one import, inside the caller's transaction. Nothing is written
    until the first batch is full or the reader is done (see the module docstring)."""

    def __init__(
        self, conn: Connection, request: IngestRequest, source: Source, fmt: str, ctx: ReadContext
    ) -> None:
        self.conn, self.request, self.source, self.ctx = conn, request, source, ctx
        # Microseconds kept: statements this run touches are those with last_seen >= started.
        self.started = datetime.now(UTC).replace(tzinfo=None)
        self.scale: Scale = get_scale(get_settings().grading_scale)
        self.rows: dict[str, dict[str, Any]] = {}
        self.based: set[tuple[str, str]] = set()  # (entity, schema) with an id statement
        self.batch_size = get_settings().batch_size
        self.quarantined: list[dict[str, Any]] = []
        self.table_writes: list[TableWrite] = []
        self.tally = _Tally()
        self.pending: list[Fingerprinted] = []
        self.keys: set[str] = set()  # fingerprinted records met in this import
        self.repeated: set[str] = set()  # ... and those met twice (never fingerprinted)
        self.touched: dict[str, int] = {}  # statements of those marked seen, by record
        self.matched: list[tuple[Fingerprinted, fingerprints.Stored]] = []  # to mark seen
        self.collecting: set[str] | None = None  # ids of the rows of the record being built
        self.fingerprinted: list[dict[str, Any]] = []  # to store after the statements
        self.stale: list[str] = []  # fingerprints to delete
        self.writing = False  # the run record (and a new dataset) are written
        existing = get_dataset(conn, request.dataset)
        self.summary = Summary(uuid.uuid4().hex, request.dataset, request.location, fmt)
        if existing is None:
            existing = request.new_dataset(fmt)
            self.summary.created_dataset = True
        self.dataset = existing
        retention = get_retention_class(existing.retention_class)
        self.mask_after, self.delete_after = retention.dates(self.started.date())

    def run(self, items: Iterator[Item], progress: ProgressFn | None) -> Summary:
        """Consume the reader's items and write them; return the summary."""
        records = 0
        for item in items:
            records += 1
            self._take(item)
            if len(self.rows) >= self.batch_size or len(self.pending) >= PENDING:
                self._flush()
            if progress is not None and records % 200 == 0:
                progress(records, self.source.bytes_read, self.source.size)
        self._flush()
        if progress is not None:
            progress(records, self.source.size, self.source.size)
        self._count()
        if self.request.replace and self.summary.statements > 0:
            # Only when the file said something: an empty file must not empty the dataset.
            self.summary.replaced = delete_unseen(self.conn, self.dataset.name, self.started)
        if self.summary.statements >= ANALYZE_AFTER:
            fts.settle(self.conn)
            if statistics_outdated(self.conn):
                refresh_statistics(self.conn)
        self._finish_run()
        return self.summary

    def _take(self, item: Item) -> None:
        if isinstance(item, Rejected):
            self.summary.rejected += 1
            self.summary.first_rejected = (
                self.summary.first_rejected or f"{item.location}: {item.reason}"
            )
            self._quarantine(item.location, "record", item.reason, item.raw)
        elif isinstance(item, TableWrite):
            self.table_writes.append(item)
        elif isinstance(item, Fingerprinted):
            self.pending.append(item)
        elif isinstance(item, Dropped):
            self.summary.dropped += 1
            self._quarantine(item.location, "value", item.reason, item.raw)
        elif isinstance(item, StatementEntity):
            for stmt in item.statements:
                if stmt.prop == BASE_ID or stmt.dataset != self.dataset.name:
                    # FtM's id statement carries a checksum of the values; Rasid's carries
                    # the id, so that it stays the same when the entity's values change.
                    self._add(stmt, {}, value=item.id if stmt.prop == BASE_ID else None)
                else:
                    self._put(self.plain_row(stmt))
        else:
            columns = self.ctx.options.get("statement_columns", {}).pop(item.id, {})
            self._add(item, columns)
            self._ensure_base(item)

    def _write_tables(self, item: TableWrite) -> None:
        """Let a reader write its own tables in this transaction; add up what it reports."""
        info = RunInfo(
            self.summary.run_id,
            self.dataset.name,
            self.source.label,
            self.started,
            self.request.received_at,
        )
        written = item.write(self.conn, info)
        self.summary.records += written.records
        add_counts(self.summary.counts, written.counts)

    def _ensure_base(self, stmt: Statement) -> None:
        """Statement input may omit FtM's id statement; an entity exists once it has one."""
        key = (stmt.entity_id, stmt.schema)
        if stmt.prop == BASE_ID or key in self.based:
            self.based.add(key)
            return
        self.based.add(key)
        base = Statement(
            stmt.entity_id,
            BASE_ID,
            stmt.schema,
            stmt.entity_id,
            stmt.dataset,
            canonical_id=stmt.canonical_id,
            first_seen=stmt.first_seen,
        )
        self._add(base, {})

    def _add(self, stmt: Statement, columns: dict[str, Any], value: str | None = None) -> None:
        try:
            extended = self._extend(stmt, columns, value)
        except ModelError as exc:
            self.summary.rejected += 1
            raw = str(stmt.to_dict())
            self._quarantine(f"statement {stmt.id}", "record", str(exc), raw)
            return
        row = to_row(extended, self.started)
        row["last_seen"] = self.started
        self._put(row)

    def _put(self, row: dict[str, Any]) -> None:
        self.rows[row["id"]] = row
        if self.collecting is not None:
            self.collecting.add(row["id"])

    def plain_row(self, stmt: Statement) -> dict[str, Any]:
        """The row ``_add`` makes of a statement of the target dataset with no columns of
        its own (the dataset's defaults), made directly: a travel file has thousands, and
        building a RasidStatement for each, and its id again, was a third of the writing.
        Its id is the reader's: FtM's key of the same dataset, entity, property and value."""
        row = self.defaults.copy()
        row["id"] = stmt.id
        row["entity_id"] = stmt.entity_id
        row["canonical_id"] = stmt.canonical_id or stmt.entity_id
        row["schema"] = stmt.schema
        row["prop"] = stmt.prop
        row["prop_type"] = stmt.prop_type
        row["value"] = stmt.value
        row["lang"] = stmt.lang
        original = stmt.original_value
        row["original_value"] = original.replace("\x00", "") if original else None
        row["origin"] = stmt.origin or self.summary.format
        row["external"] = stmt.external
        if stmt.first_seen:
            row["first_seen"] = parse_seen(stmt.first_seen, self.started)
        return row

    @cached_property
    def defaults(self) -> dict[str, Any]:
        """The columns every plain row of this import shares (see ``plain_row``)."""
        return {
            "dataset": self.dataset.name,
            "first_seen": self.started,
            "last_seen": self.started,
            "marking": str(self.dataset.default_marking),
            "handling": None,
            "source_grade": None,
            "info_grade": None,
            "legal_basis": self.dataset.legal_basis or None,
            "retention_class": self.dataset.retention_class,
            "mask_after": self.mask_after,
            "delete_after": self.delete_after,
        }

    def _extend(
        self, stmt: Statement, columns: dict[str, Any], value: str | None
    ) -> RasidStatement:
        """The statement in the target dataset with Rasid's columns; its id is computed anew
        (the dataset, and for id statements the value, may differ from the reader's)."""
        marking = columns.get("marking")
        return RasidStatement(
            stmt.entity_id,
            stmt.prop,
            stmt.schema,
            value or stmt.value,
            self.dataset.name,
            lang=stmt.lang,
            original_value=stmt.original_value,
            first_seen=stmt.first_seen,
            external=stmt.external,
            canonical_id=stmt.canonical_id,
            origin=stmt.origin or self.summary.format,
            marking=Marking.parse(marking) if marking else self.dataset.default_marking,
            handling=columns.get("handling"),
            source_grade=self.scale.check_source(columns.get("source_grade")),
            info_grade=self.scale.check_info(columns.get("info_grade")),
            legal_basis=columns.get("legal_basis") or self.dataset.legal_basis or None,
            retention_class=self.dataset.retention_class,
            mask_after=self.mask_after,
            delete_after=self.delete_after,
        )

    def _flush(self) -> None:
        """Write what was gathered: the run record first (and a new dataset), then the
        statements, the quarantined records and the reader's own tables, in that order."""
        self._resolve()
        if not self.writing:
            self.writing = True
            if self.summary.created_dataset:
                ensure_agency(self.conn, self.dataset.agency)
                add_dataset(self.conn, self.dataset)
            self._insert_run()
        self._touch()
        self.tally.add(self.rows)
        upsert_statements(self.conn, list(self.rows.values()))
        self.rows.clear()
        fingerprints.save(
            self.conn, [r for r in self.fingerprinted if r["entity_id"] not in self.repeated]
        )
        self.fingerprinted.clear()
        fingerprints.forget(self.conn, self.dataset.name, [*self.stale, *self.repeated])
        self.stale.clear()
        if self.quarantined:
            self.conn.execute(quarantine.insert(), self.quarantined)
            self.quarantined.clear()
        for write in self.table_writes:
            self._write_tables(write)
        self.table_writes.clear()

    def _resolve(self) -> None:
        """The pending fingerprinted records: those the dataset holds as they are wait for
        ``_touch``, the others are built (see ``rasid.ingest.fingerprints``). Reads only:
        on SQLite the write lock is not taken while records are built."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        dataset = self.dataset
        defaults = (str(dataset.default_marking), dataset.legal_basis, self.summary.format)
        new_keys = list({item.key for item in pending} - self.keys)
        stored = fingerprints.load(self.conn, dataset.name, new_keys)
        matched: list[tuple[Fingerprinted, fingerprints.Stored]] = []
        building: list[tuple[Fingerprinted, str | None]] = []
        for item in pending:
            fingerprint = fingerprints.combined(item.fingerprint, defaults)
            if item.key in self.keys:  # met before in this file: written with both
                self.repeated.add(item.key)
                self.tally.touched -= self.touched.pop(item.key, 0)
                building.append((item, None))
                continue
            self.keys.add(item.key)
            known = stored.get(item.key)
            if known is not None and known.fingerprint == fingerprint:
                matched.append((item, known))
            else:
                building.append((item, fingerprint))
        self.matched.extend(matched)
        for item, wanted in building:
            self._build(item, wanted)

    def _touch(self) -> None:
        """Mark the matched records' statements seen (the write ``_resolve`` left)."""
        matched, self.matched = self.matched, []
        if not matched:
            return
        expected = sum(known.statements for _, known in matched)
        records = {item.key: known for item, known in matched}
        if fingerprints.touch(self.conn, self.dataset.name, records, self.started) != expected:
            for item, known in matched:  # statements deleted since: write them all again
                self._build(item, known.fingerprint)
            return
        for item, known in matched:
            if item.key not in self.repeated:  # (a repeated one is counted as built)
                self.tally.add_touched(known.statements, known.members)
                self.touched[item.key] = known.statements

    def _build(self, item: Fingerprinted, fingerprint: str | None) -> None:
        """Take a record's entities as any reader's; keep its fingerprint to store, unless
        a value or statement of it was left out (or it came twice: ``fingerprint`` None)."""
        members: dict[str, str] = {}
        ids: set[str] = set()
        self.collecting = ids
        rejected, dropped = self.summary.rejected, self.summary.dropped
        for part in item.build():
            if isinstance(part, StatementEntity) and part.id is not None:
                members[part.id] = part.schema.name
            self._take(part)
        self.collecting = None
        if fingerprint is None:
            return
        if (self.summary.rejected, self.summary.dropped) != (rejected, dropped):
            self.stale.append(item.key)
            return
        self.fingerprinted.append(
            {
                "dataset": self.dataset.name,
                "entity_id": item.key,
                "fingerprint": fingerprint,
                "seen": self.started,
                "statements": len(ids),
                "members": members,
                "delete_after": self.delete_after,
            }
        )

    def _quarantine(self, location: str, kind: str, reason: str, raw: str | None) -> None:
        self.quarantined.append(
            {
                "run_id": self.summary.run_id,
                "dataset": self.dataset.name,
                "source": self.source.label,
                "location": location,
                "kind": kind,
                "reason": reason,
                "raw": raw,
                "created_at": self.started,
            }
        )

    def _count(self) -> None:
        """The statements and entities this file asserts: those it wrote, counted as they
        were written, or (past ``COUNT_IN_MEMORY``) those the run saw, counted in the table."""
        if self.tally.ids is not None:
            self.summary.statements = len(self.tally.ids) + self.tally.touched
            self.summary.by_schema = {s: len(ids) for s, ids in self.tally.entities.items()}
            self.summary.entities = sum(self.summary.by_schema.values())
            return
        seen = (statement.c.dataset == self.dataset.name) & (statement.c.last_seen >= self.started)
        self.summary.statements = int(
            self.conn.execute(select(func.count()).where(seen)).scalar_one()
        )
        query = (
            select(statement.c.schema, func.count(func.distinct(statement.c.canonical_id)))
            .where(seen, statement.c.prop == BASE_ID)
            .group_by(statement.c.schema)
        )
        self.summary.by_schema = {s: int(n) for s, n in self.conn.execute(query)}
        self.summary.entities = sum(self.summary.by_schema.values())

    def _insert_run(self) -> None:
        self.conn.execute(
            ingest_run.insert().values(
                id=self.summary.run_id,
                dataset=self.dataset.name,
                source=self.source.label,
                format=self.summary.format,
                started_at=self.started,
                finished_at=self.started,
                entities=0,
                statements=0,
                rejected=0,
            )
        )

    def _finish_run(self) -> None:
        # More about an entity people merged into another joins that entity at once.
        canonical.reapply(self.conn, self.request.dataset)
        self.conn.execute(
            update(ingest_run)
            .where(ingest_run.c.id == self.summary.run_id)
            .values(
                finished_at=utcnow(),
                entities=self.summary.entities,
                statements=self.summary.statements,
                rejected=self.summary.rejected,
            )
        )
