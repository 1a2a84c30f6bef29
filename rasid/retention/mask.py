"""Depersonalisation on read: which values are shown masked, to whom, as of which day.

Nothing is masked in the database: the full data stays stored until its delete date, so
that a supervisor can let someone see it again (``rasid.retention.unmask``). Masking
happens where reads pass: the policy (``rasid.access.policy.visibility``) gives every read
a ``Masking`` for the caller (today's date, the masking periods of the datasets, the
caller's approved unmask requests), and the store and the travel reads apply it.

What is masked is declared in ``masking.yml``:

* a statement whose ``mask_after`` date has come, when its property identifies a person
  (names, addresses, contacts, document numbers, birth dates, remarks): its value becomes
  ``MASKED`` and its original text and language are dropped;
* a travel row received at least its dataset's mask period ago: the identifying columns
  (names, birth date) and the identifying keys inside its JSON columns (document numbers,
  contacts, addresses, payment, frequent flyer, tickets, bag tags, remarks, history).

A masked statement's id is computed again from the masked value: the stored id is a hash
of the value, and would let anyone holding a list of names confirm which one it is.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml
from followthemoney import model

from rasid.model.retention import Period
from rasid.model.statement import RasidStatement
from rasid.retention.periods import is_due

MASKED = "[masked · محجوب]"
"""What a masked value reads, in English and Arabic (the pages show their own label)."""

Row = dict[str, Any]


@cache
def _declared() -> dict[str, Any]:
    text = resources.files("rasid.retention").joinpath("masking.yml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@cache
def masked_props() -> frozenset[str]:
    """The FtM properties whose values are masked (by type or by name)."""
    declared = _declared()["statements"]
    types = set(declared["types"])
    by_type = {
        prop.name
        for schema in model.schemata.values()
        for prop in schema.properties.values()
        if prop.type.name in types
    }
    return frozenset(by_type | set(declared["properties"]))


def travel_tables() -> dict[str, dict[str, Any]]:
    """The travel tables that are masked: received column, columns, JSON columns."""
    tables: dict[str, dict[str, Any]] = _declared()["travel"]
    return tables


def mask_json(value: Any, within: str = "") -> Any:
    """A JSON value with the identifying keys masked: those masked everywhere, and those
    masked in the records of a list (or record) held under the key ``within``."""
    rules = _declared()["json"]
    if isinstance(value, list):
        return [mask_json(item, within) for item in value]
    if not isinstance(value, dict):
        return value
    masked = set(rules["everywhere"]) | set(rules["within"].get(within, ()))
    return {
        key: _masked_value(item) if key in masked else mask_json(item, key)
        for key, item in value.items()
    }


def _masked_value(value: Any) -> Any:
    """MASKED for a value that says something; an empty value stays empty (masking it would
    suggest there was something)."""
    return value if value in (None, "", [], {}) else MASKED


@dataclass(frozen=True)
class Grants:
    """What one caller may see unmasked now (approved unmask requests not yet expired),
    each with the number of the request that allows it."""

    entities: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (id, dataset)
    bookings: Mapping[str, int] = field(default_factory=dict)
    travellers: Mapping[str, int] = field(default_factory=dict)
    targets: Mapping[int, str] = field(default_factory=dict)  # request: "kind:id"


@dataclass(frozen=True)
class Masking:
    """How one read masks: as of ``today``, with the mask period of each dataset that has
    one, and the caller's grants. ``lifted`` collects the requests whose grant a read
    used, so that the unmasked read can be written to the audit log."""

    today: date
    periods: Mapping[str, Period] = field(default_factory=dict)
    grants: Grants = field(default_factory=Grants)
    lifted: set[int] = field(default_factory=set, compare=False)

    @property
    def datasets(self) -> frozenset[str]:
        """The datasets whose data is masked after a while."""
        return frozenset(self.periods)

    @property
    def unmasked_names(self) -> frozenset[tuple[str, str]]:
        """(entity id, dataset) whose masked names the caller may search for."""
        return frozenset(self.grants.entities)

    def statement(self, stmt: RasidStatement) -> RasidStatement:
        """The statement as this read shows it: masked when its mask date has come and its
        property identifies a person, unless the caller was granted it."""
        if stmt.mask_after is None or stmt.mask_after > self.today:
            return stmt
        if stmt.prop not in masked_props():
            return stmt
        # A grant names the entity as it was asked for: its own id, or the merged entity's.
        granted = self.grants.entities.get((stmt.entity_id, stmt.dataset))
        if granted is None and stmt.canonical_id:
            granted = self.grants.entities.get((stmt.canonical_id, stmt.dataset))
        if granted is not None:
            self.lifted.add(granted)
            return stmt
        return masked_statement(stmt)

    def row(self, table: str, row: Mapping[str, Any], dataset: str | None = None) -> Row:
        """A travel row as this read shows it, with ``masked`` saying whether it is."""
        found = dict(row)
        rules = travel_tables()[table]
        period = self.periods.get(dataset or str(row.get("dataset", "")))
        received = row.get(rules["received"])
        if period is None or received is None or not is_due(period, received, self.today):
            return {**found, "masked": False}
        granted = self._row_grant(table, row, dataset)
        if granted is not None:
            self.lifted.add(granted)
            return {**found, "masked": False}
        for column in rules.get("columns", ()):
            value = row.get(column)
            found[column] = _masked_value(value) if isinstance(value, str) else None
        for column, within in rules.get("json", {}).items():
            if isinstance(row.get(column), str):
                found[column] = _mask_json_text(row[column], within)
        return {**found, "masked": True}

    def _row_grant(self, table: str, row: Mapping[str, Any], dataset: str | None) -> int | None:
        grants = self.grants
        if table == "traveller":
            person = (str(row.get("entity_id")), dataset or str(row.get("dataset")))
            return (
                grants.travellers.get(str(row.get("id")))
                or grants.bookings.get(str(row.get("booking_id")))
                or grants.entities.get(person)
            )
        if table == "booking":
            return grants.bookings.get(str(row.get("id")))
        if table == "screening_subject":  # a traveller's, by the traveller's id
            return grants.travellers.get(str(row.get("external_id")))
        return grants.bookings.get(str(row.get("booking_id")))


def _mask_json_text(text: str, within: str) -> str:
    """A JSON column's text with its identifying keys masked (unreadable text whole)."""
    try:
        value = json.loads(text)
    except ValueError:
        return MASKED
    return json.dumps(mask_json(value, within), ensure_ascii=False, sort_keys=True)


def masked_statement(stmt: RasidStatement) -> RasidStatement:
    """A copy of ``stmt`` with its value masked: no original text, no language, and an id
    computed from the masked value (the stored id is a hash of the real one)."""
    return RasidStatement(
        stmt.entity_id,
        stmt.prop,
        stmt.schema,
        MASKED,
        stmt.dataset,
        first_seen=stmt.first_seen,
        external=stmt.external,
        canonical_id=stmt.canonical_id,
        last_seen=stmt.last_seen,
        origin=stmt.origin,
        marking=stmt.marking,
        handling=stmt.handling,
        source_grade=stmt.source_grade,
        info_grade=stmt.info_grade,
        legal_basis=stmt.legal_basis,
        retention_class=stmt.retention_class,
        mask_after=stmt.mask_after,
        delete_after=stmt.delete_after,
    )


def is_masked(value: str | None) -> bool:
    """True when a value shown is the mask."""
    return value == MASKED
