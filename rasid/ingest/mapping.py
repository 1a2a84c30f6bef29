"""CSV and XLSX files through FollowTheMoney mapping files.

A mapping file is FtM's query format: ``entities:`` (each with ``schema``, ``keys``,
``properties``), optional ``filters:``/``filters_not:``, and for XLSX an optional ``sheet:``.
It may also be a full FtM mapping document (``<name>: {queries: [...]}``) or a ``queries:``
list; every query is applied to every row. Ids come from the keys, prefixed by the dataset, so
re-importing the same rows yields the same ids.
"""

import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import yaml
from followthemoney import model
from followthemoney.dataset import Dataset as FtmDataset
from followthemoney.exc import FollowTheMoneyException
from followthemoney.mapping.csv import CSVSource
from followthemoney.mapping.query import QueryMapping
from followthemoney.statement.entity import StatementEntity

from rasid.ingest.errors import IngestError, UnreadableInput
from rasid.ingest.records import RAW_LIMIT, Dropped, Item, ReadContext, Rejected, Source

Row = dict[str, str]


@dataclass(frozen=True)
class SourceRow:
    """One data row: where it is, its values by column (None if malformed), its raw text."""

    location: str
    values: Row | None
    raw: str
    problem: str = ""


def load_queries(path: Path, dataset: str) -> tuple[list[QueryMapping], dict[str, Any]]:
    """Read a mapping file into FtM query mappings (and the first query's raw options)."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise IngestError(f"{path}: cannot read mapping: {exc}") from None
    queries = _query_dicts(data)
    if not queries:
        raise IngestError(f"{path}: no `entities:` found in the mapping")
    mappings = []
    for query in queries:
        # FtM wants a source; the rows come from us, so the address is never fetched.
        query = {k: v for k, v in query.items() if k not in ("sheet", "csv_url", "csv_urls")}
        query["csv_url"] = "file:///dev/null"
        try:
            mappings.append(model.make_mapping(query, key_prefix=dataset))
        except FollowTheMoneyException as exc:
            raise IngestError(f"{path}: invalid mapping: {exc}") from None
    return mappings, queries[0]


def _query_dicts(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict):
        return []
    if "entities" in data:
        return [data]
    if isinstance(data.get("queries"), list):
        return [q for q in data["queries"] if isinstance(q, dict)]
    found: list[dict[str, Any]] = []
    for value in data.values():
        found.extend(_query_dicts(value))
    return found


def _mapping(ctx: ReadContext) -> tuple[list[QueryMapping], dict[str, Any]]:
    if ctx.mapping is None:
        raise IngestError("CSV and XLSX need a mapping file: --mapping M.yml")
    return load_queries(ctx.mapping, ctx.dataset)


class _Discarded(logging.Handler):
    """Collects the values FtM's mapper discards (it only logs them), so none is lost silently."""

    PATTERN = re.compile(
        r'^\[(?P<entity>[^\]]*)\] Discard\w* unclean value "(?P<value>.*)" '
        r'for property "(?P<prop>[^"]*)"'
    )

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.found: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        match = self.PATTERN.match(record.getMessage())
        if match and match["value"].strip():
            self.found.append((match["prop"], match["value"]))


@contextmanager
def _discarded_values() -> Iterator[_Discarded]:
    logger = logging.getLogger("followthemoney.mapping.entity")
    handler, propagate = _Discarded(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False  # the mapper's warnings become quarantine rows instead
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def map_rows(
    rows: Iterable[SourceRow], queries: list[QueryMapping], dataset: FtmDataset
) -> Iterator[Item]:
    """Apply every query to each row. A malformed row, or one that yields no entity (and was
    not filtered out on purpose), is rejected with the reason; a value the mapper discards
    is reported as dropped."""
    with _discarded_values() as discarded:
        for row in rows:
            yield from _map_row(row, queries, dataset)
            for prop, value in discarded.found:
                yield Dropped(row.location, f"{prop}: {value!r} is not a valid value", value)
            discarded.found.clear()


def _map_row(row: SourceRow, queries: list[QueryMapping], dataset: FtmDataset) -> Iterator[Item]:
    raw = row.raw[:RAW_LIMIT]
    if row.values is None:
        yield Rejected(row.location, row.problem, raw)
        return
    produced, filtered = 0, False
    for query in queries:
        if not cast(CSVSource, query.source).check_filters(row.values):
            filtered = True
            continue
        try:
            entities = query.map(row.values)
        except FollowTheMoneyException as exc:
            yield Rejected(row.location, f"cannot map row: {exc}", raw)
            return
        for proxy in entities.values():
            produced += 1
            yield StatementEntity.from_data(dataset, proxy.to_dict(), cleaned=True)
    if produced == 0 and not filtered:
        yield Rejected(row.location, "row yields no entity (its key columns are empty)", raw)


def read_csv(source: Source, ctx: ReadContext) -> Iterator[Item]:
    """Read a CSV file (UTF-8, header row first) through the mapping."""
    queries, _ = _mapping(ctx)
    with source.open_binary() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
        try:
            yield from map_rows(_csv_rows(text, source.label), queries, ctx.ftm_dataset)
        except UnicodeDecodeError as exc:
            raise UnreadableInput(f"{source.label}: not UTF-8 text ({exc.reason})") from None
        except csv.Error as exc:
            raise UnreadableInput(f"{source.label}: not CSV ({exc})") from None


def _csv_rows(text: io.TextIOWrapper, label: str) -> Iterator[SourceRow]:
    reader = csv.reader(text)
    header = [h.strip() for h in next(reader, [])]
    if not any(header):
        raise UnreadableInput(f"{label}: no header row")
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue  # blank line
        location = f"line {reader.line_num}"
        yield _row(location, header, fields, ",".join(fields))


def _row(location: str, header: list[str], fields: list[Any], raw: str) -> SourceRow:
    if len(fields) != len(header):
        problem = f"row has {len(fields)} fields, the header has {len(header)}"
        return SourceRow(location, None, raw, problem)
    values = {h: _cell(v) for h, v in zip(header, fields, strict=True) if h}
    return SourceRow(location, {h: v for h, v in values.items() if v is not None}, raw)


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def read_xlsx(source: Source, ctx: ReadContext) -> Iterator[Item]:
    """Read one sheet of an XLSX workbook (``sheet:`` in the mapping, else the first) through
    the mapping; the first row is the header."""
    import openpyxl  # imported here: only this format needs it

    queries, options = _mapping(ctx)
    try:
        # A workbook is a zip archive: openpyxl needs to seek, so it reads the path itself.
        workbook = openpyxl.load_workbook(source.path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableInput(f"{source.label}: not an XLSX workbook ({exc})") from None
    try:
        sheet_name = options.get("sheet") or workbook.sheetnames[0]
        if sheet_name not in workbook.sheetnames:
            raise UnreadableInput(f"{source.label}: no sheet named {sheet_name!r}")
        rows = workbook[sheet_name].iter_rows(values_only=True)
        yield from map_rows(_xlsx_rows(rows, source.label, sheet_name), queries, ctx.ftm_dataset)
    finally:
        workbook.close()


def _xlsx_rows(rows: Iterator[tuple[Any, ...]], label: str, sheet: str) -> Iterator[SourceRow]:
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise UnreadableInput(f"{label}: sheet {sheet!r} has no header row")
    for number, cells in enumerate(rows, start=2):
        fields = list(cells)
        while len(fields) > len(header) and fields[-1] is None:
            fields.pop()
        if all(_cell(f) is None for f in fields):
            continue
        fields += [None] * (len(header) - len(fields))
        raw = ",".join("" if f is None else str(f) for f in fields)
        yield _row(f"sheet {sheet!r} row {number}", header, fields, raw)
