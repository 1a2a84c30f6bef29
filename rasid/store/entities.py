"""Entity views assembled from the statements a reader may see, and name search."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from followthemoney import model
from followthemoney.dataset import Dataset as FtmDataset
from followthemoney.schema import Schema
from followthemoney.statement.entity import StatementEntity
from followthemoney.statement.util import BASE_ID
from sqlalchemy import Connection, func, not_, or_, select, tuple_
from sqlalchemy.sql.elements import ColumnElement

from rasid.model.statement import RasidStatement
from rasid.model.text import tokens
from rasid.store import fts
from rasid.store.chunks import chunks
from rasid.store.statements import load_statements
from rasid.store.tables import name_index, resolution_canonical, statement
from rasid.store.visibility import Masker, Visibility, dataset_filter, masker

_VIEW = FtmDataset.make({"name": "rasid_view", "title": "Rasid view"})


@dataclass
class EntityView:
    """An entity as one reader sees it: FtM properties plus each value's provenance."""

    proxy: StatementEntity
    statements: list[RasidStatement]

    @property
    def id(self) -> str:
        """The entity's (canonical) id."""
        return str(self.proxy.id)

    @property
    def schema(self) -> Schema:
        """The FtM schema (the most specific one common to all contributing datasets)."""
        return self.proxy.schema

    @property
    def caption(self) -> str:
        """The display name FtM picks for the entity."""
        return str(self.proxy.caption)

    @property
    def datasets(self) -> list[str]:
        """The datasets that contributed statements."""
        return sorted({s.dataset for s in self.statements})

    def to_dict(self) -> dict[str, Any]:
        """The FtM entity dict (id, schema, properties) with caption and datasets."""
        return {
            "id": self.id,
            "schema": self.schema.name,
            "caption": self.caption,
            "properties": self.proxy.properties,
            "datasets": self.datasets,
        }

    def value_statements(self) -> list[RasidStatement]:
        """The statements carrying property values (without FtM's id statements)."""
        return [s for s in self.statements if s.prop != BASE_ID]


def assemble(stmts: Sequence[RasidStatement]) -> EntityView:
    """One entity view from statements sharing a canonical id."""
    values = [s for s in stmts if s.prop != BASE_ID]
    proxy = StatementEntity.from_statements(_VIEW, list(stmts))
    proxy.id = stmts[0].canonical_id
    return EntityView(proxy, values + [s for s in stmts if s.prop == BASE_ID])


def get_entities(
    conn: Connection, ids: Sequence[str], datasets: Iterable[str] | None
) -> list[EntityView]:
    """The entities with these ids, in the given order, as seen through ``datasets``.

    An id with no readable statement is left out: to the reader it does not exist. The id
    of an entity merged into another gives the merged entity (once, however many of its
    members are asked for).
    """
    merged = merged_into(conn, ids)
    wanted = list(dict.fromkeys(merged.get(i, i) for i in ids))
    groups: dict[str, list[RasidStatement]] = {}
    for stmt in load_statements(conn, wanted, datasets):
        groups.setdefault(stmt.canonical_id, []).append(stmt)
    return [assemble(groups[i]) for i in wanted if i in groups and _has_base(groups[i])]


def merged_into(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    """Of ``ids``, those of entities resolution merged into another, to that entity's id:
    a link to a member keeps reaching the merged entity (see rasid.resolve.canonical)."""
    found: dict[str, str] = {}
    unique = sorted(set(ids))
    for chunk in chunks(unique):
        rows = conn.execute(
            select(resolution_canonical.c.entity_id, resolution_canonical.c.canonical_id).where(
                resolution_canonical.c.entity_id.in_(chunk)
            )
        )
        found.update((e, c) for e, c in rows)
    return found


def _has_base(stmts: list[RasidStatement]) -> bool:
    return any(s.prop == BASE_ID for s in stmts)


def get_entity(
    conn: Connection, entity_id: str, datasets: Iterable[str] | None
) -> EntityView | None:
    """One entity, or None if the reader sees nothing of it."""
    found = get_entities(conn, [entity_id], datasets)
    return found[0] if found else None


def _schema_names(schema: str | None) -> list[str] | None:
    if schema is None:
        return None
    found = model.get(schema)
    if found is None:
        return []
    return [s.name for s in found.descendants] + [found.name]


def list_entity_ids(
    conn: Connection,
    datasets: Iterable[str] | None,
    schema: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[str]:
    """Entity ids in id order, optionally of one schema (its descendants included)."""
    query = select(statement.c.canonical_id).where(statement.c.prop == BASE_ID).distinct()
    visible = dataset_filter(datasets)
    if visible is not None:
        query = query.where(visible)
    names = _schema_names(schema)
    if names is not None:
        query = query.where(statement.c.schema.in_(names))
    query = query.order_by(statement.c.canonical_id).limit(limit).offset(offset)
    return [row[0] for row in conn.execute(query)]


def search_entity_ids(
    conn: Connection,
    q: str,
    datasets: Iterable[str] | None,
    schema: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[str]:
    """Ids of entities with a name matching every word of ``q`` (as a prefix), best first.

    Both sides are normalised (Arabic marks, alef and ya forms, ta marbuta; Latin case and
    accents), so spelling variants of the same written name find each other.
    """
    words = tokens(q)
    if not words:
        return []
    found = fts.match(conn.dialect.name, words)
    query = (
        select(name_index.c.entity_id, func.max(found.score).label("best"))
        .select_from(found.rows)
        .where(found.condition)
        .group_by(name_index.c.entity_id)
    )
    if isinstance(datasets, Visibility) and (datasets.partial or datasets.grantee):
        # Only names the reader may see find an entity: a withheld name (a TLP:RED one in
        # a shared dataset) must not, and a disclosed one must. A name in a dataset read
        # whole needs no look at its statement.
        visible = dataset_filter(datasets)
        assert visible is not None  # a Visibility always limits
        seen = select(statement.c.id).where(statement.c.id == name_index.c.statement_id, visible)
        whole = name_index.c.dataset.in_(sorted(datasets.whole))
        query = query.where(or_(whole, seen.exists()) if datasets.whole else seen.exists())
    elif datasets is not None:
        query = query.where(name_index.c.dataset.in_(sorted(set(datasets))))
    masking = masker(datasets)
    if masking is not None and masking.datasets:
        query = query.where(_unmasked_name(masking))
    names = _schema_names(schema)
    if names is not None:
        typed = select(statement.c.canonical_id).where(
            statement.c.prop == BASE_ID, statement.c.schema.in_(names)
        )
        query = query.where(name_index.c.entity_id.in_(typed))
    query = query.order_by(func.max(found.score).desc(), name_index.c.entity_id)
    rows = conn.execute(query.limit(limit).offset(offset), found.params)
    return [row[0] for row in rows]


def _unmasked_name(masking: Masker) -> ColumnElement[bool]:
    """Names a search may match under ``masking``: those of datasets that never mask,
    those whose statement is not masked yet, and those the reader was granted. A masked
    name must find nothing: the entity would be found by the very name it hides."""
    masked = select(statement.c.id).where(
        statement.c.id == name_index.c.statement_id, statement.c.mask_after <= masking.today
    )
    shown = or_(name_index.c.dataset.not_in(sorted(masking.datasets)), not_(masked.exists()))
    granted = sorted(masking.unmasked_names)
    if granted:
        shown = or_(shown, tuple_(name_index.c.entity_id, name_index.c.dataset).in_(granted))
    return shown
