"""The travel reader's entities: values cleaned once and remembered give the statements, and
the dropped values, that the general ``add_value`` gives."""

from datetime import date

import pytest
from followthemoney.statement.entity import StatementEntity

from rasid.ingest.records import Dropped, ReadContext, add_value
from rasid.ingest.travel import add_text

# (schema, property, value): kept, cleaned, empty, rejected, and a reference to the entity
# itself (which FtM refuses whatever the cache holds).
VALUES: list[tuple[str, str, str | date | None]] = [
    ("Person", "name", "  CHARLES   ACKARY "),
    ("Person", "name", '"ACKARY"'),
    ("Person", "firstName", "CHARLES"),
    ("Person", "birthDate", date(1948, 12, 26)),
    ("Person", "birthDate", "1948-12"),
    ("Person", "birthDate", "26 December"),
    ("Person", "nationality", "GB"),
    ("Person", "nationality", "ZZ"),
    ("Person", "gender", "male"),
    ("Person", "gender", "unknown gender"),
    ("Person", "email", "CHARLES.ACKARY@YAHOO.COM"),
    ("Person", "email", "not an address"),
    ("Person", "title", "MR"),
    ("Person", "passportNumber", "602120901"),
    ("Person", "birthPlace", ""),
    ("Person", "birthPlace", "   "),
    ("Person", "birthPlace", None),
    ("Person", "noSuchProperty", "x"),
    ("Passport", "number", "602120901"),
    ("Passport", "country", "DE"),
    ("Passport", "endDate", date(2030, 1, 1)),
    ("Passport", "holder", "piu-person"),
    ("Passport", "holder", "piu-passport"),  # itself: refused
]


def _entity(schema: str) -> StatementEntity:
    return ReadContext("piu").make_entity(schema, f"piu-{schema.lower()}")


def _general(schema: str, prop: str, value: str | date | None) -> tuple[StatementEntity, list]:
    entity = _entity(schema)
    text = value.isoformat() if isinstance(value, date) else value
    try:
        dropped = add_value(entity, prop, text, "here")
    except Exception as exc:
        return entity, [type(exc)]
    return entity, [dropped] if dropped is not None else []


def _builder(schema: str, prop: str, value: str | date | None) -> tuple[StatementEntity, list]:
    entity = _entity(schema)
    text = value.isoformat() if isinstance(value, date) else value
    if text is None or not text.strip():  # the reader leaves empty values out
        return entity, []
    try:
        dropped = add_text(entity, prop, text, "here")
    except Exception as exc:
        return entity, [type(exc)]
    return entity, [dropped] if dropped is not None else []


def _statements(entity: StatementEntity) -> list[tuple[str, str, str, str | None]]:
    return sorted((s.id, s.prop, s.value, s.original_value) for s in entity.statements)


@pytest.mark.parametrize(("schema", "prop", "value"), VALUES)
def test_a_value_gives_what_add_value_gives(
    schema: str, prop: str, value: str | date | None
) -> None:
    for _ in range(2):  # the second time from what was remembered
        expected, expected_dropped = _general(schema, prop, value)
        found, dropped = _builder(schema, prop, value)
        assert _statements(found) == _statements(expected)
        assert dropped == expected_dropped
        assert all(isinstance(d, Dropped | type) for d in dropped)
