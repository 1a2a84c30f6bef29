"""FollowTheMoney JSON lines: one entity (``schema``, ``properties``) or one statement
(``entity_id``, ``prop``, ``schema``, ``value``) per line, as ``ftm`` and ``rasid export`` write.

Rasid's own statement columns (marking, grades, legal basis...) are read when present, so an
export re-imports without loss.
"""

import io
import json
from collections.abc import Iterator
from typing import Any

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.statement import Statement
from followthemoney.statement.entity import StatementEntity
from followthemoney.statement.util import BASE_ID

from rasid.ingest.errors import UnreadableInput
from rasid.ingest.records import RAW_LIMIT, Item, ReadContext, Rejected, Source, add_value

STATEMENT_KEYS = ("entity_id", "prop", "schema", "value")


def read_ftm(source: Source, ctx: ReadContext) -> Iterator[Item]:
    """Read FtM JSON lines; a line that is not a valid entity or statement is rejected."""
    with source.open_binary() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
        number = 0
        try:
            for number, line in enumerate(text, start=1):
                if line.strip():
                    yield from _read_line(line, f"line {number}", ctx)
        except UnicodeDecodeError as exc:
            raise UnreadableInput(
                f"{source.label}: not UTF-8 text (line {number + 1}: {exc.reason})"
            ) from None


def _read_line(line: str, location: str, ctx: ReadContext) -> Iterator[Item]:
    raw = line.rstrip("\r\n")[:RAW_LIMIT]
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        yield Rejected(location, f"not JSON: {exc.msg} at column {exc.colno}", raw)
        return
    if not isinstance(data, dict):
        yield Rejected(location, "not a JSON object", raw)
    elif all(k in data for k in STATEMENT_KEYS):
        yield _statement(data, location, ctx, raw)
    elif "schema" in data:
        yield from _entity(data, location, ctx, raw)
    else:
        yield Rejected(
            location, "neither an entity (schema) nor a statement (entity_id, prop)", raw
        )


def _statement(data: dict[str, Any], location: str, ctx: ReadContext, raw: str) -> Item:
    schema = model.get(str(data["schema"]))
    if schema is None:
        return Rejected(location, f"unknown schema {data['schema']!r}", raw)
    prop = str(data["prop"])
    if prop != BASE_ID and prop not in schema.properties:
        return Rejected(location, f"{schema.name} has no property {prop!r}", raw)
    if not isinstance(data["value"], str) or not data["value"] or not data["entity_id"]:
        return Rejected(location, "statement needs a non-empty entity_id and string value", raw)
    given: str = data["value"]
    value = given if prop == BASE_ID else schema.properties[prop].type.clean(given)
    if value is None:
        return Rejected(location, f"{prop}: {given!r} is not a valid value", raw)
    stmt = Statement(
        entity_id=str(data["entity_id"]),
        prop=prop,
        schema=schema.name,
        value=value,
        dataset=ctx.dataset,
        lang=data.get("lang"),
        original_value=data.get("original_value") or (given if value != given else None),
        first_seen=data.get("first_seen"),
        canonical_id=data.get("canonical_id"),
        origin=data.get("origin"),
    )
    # Rasid's columns travel with the statement for the runner to validate and keep.
    extra = {k: data[k] for k in RASID_KEYS if data.get(k) is not None}
    ctx.options.setdefault("statement_columns", {})[stmt.id] = extra
    return stmt


RASID_KEYS = ("marking", "handling", "source_grade", "info_grade", "legal_basis")


def _entity(data: dict[str, Any], location: str, ctx: ReadContext, raw: str) -> Iterator[Item]:
    schema = model.get(str(data["schema"]))
    if schema is None:
        yield Rejected(location, f"unknown schema {data['schema']!r}", raw)
        return
    if schema.abstract:
        yield Rejected(location, f"schema {schema.name} is abstract", raw)
        return
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        yield Rejected(location, "entity has no id", raw)
        return
    properties = data.get("properties") or {}
    if not isinstance(properties, dict):
        yield Rejected(location, "properties is not an object", raw)
        return
    try:
        entity: StatementEntity = ctx.make_entity(schema.name, entity_id.strip())
    except InvalidData as exc:
        yield Rejected(location, str(exc), raw)
        return
    for prop, values in properties.items():
        for value in values if isinstance(values, list) else [values]:
            dropped = add_value(entity, prop, value if isinstance(value, str) else None, location)
            if dropped is None and value is not None and not isinstance(value, str):
                dropped = add_value(entity, prop, str(value), location)
            if dropped is not None:
                yield dropped
    yield entity
