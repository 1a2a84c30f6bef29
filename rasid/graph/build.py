"""Building the graph from the store: nodes are canonical ids, so that the records people
judged to be one person are one node; edges come from FtM's relationship schemata (each
edge schema's source and target properties, as FtM declares them) and from shared pivots
(``links.yml``: phones, e-mails, addresses, accounts, document numbers, travelling
together, and travellers of one booking in the travel tables).

The builder reads rows, not the database: ``read_store`` streams the store's rows into it,
and the benchmark feeds it generated rows through the same code.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from followthemoney import model
from followthemoney.schema import Schema
from followthemoney.statement.util import BASE_ID
from sqlalchemy import Connection, select

from rasid.graph.model import Edge, Graph, Item, Label, VisClass, declarations
from rasid.graph.pivots import Pivots, edge_id
from rasid.store.tables import dataset as dataset_table
from rasid.store.tables import statement, traveller

DATE_PROPS = ("startDate", "date", "endDate")
DETAIL_PROPS = ("role", "relationship", "amount", "currency")
LABEL_PROPS = ("name", "full", "registrationNumber", "number", "iban", "title")
MAX_LABELS = 4  # names kept per node, enough for one per contributing dataset
EDGE_SCHEMATA: dict[str, Schema] = {s.name: s for s in model.schemata.values() if s.edge}
NODE_ROOT = model.get("LegalEntity")


@dataclass(frozen=True)
class Row:
    """One statement as the builder needs it."""

    id: str
    entity_id: str
    canonical_id: str
    schema: str
    prop: str
    prop_type: str
    value: str
    dataset: str
    marking: str = ""
    handling: str | None = None
    mask_after: Any = None


@dataclass(frozen=True)
class TravelRow:
    """A traveller of a booking (from the travel tables)."""

    id: str
    entity_id: str
    booking_id: str
    dataset: str


def needed_props() -> frozenset[str]:
    """The properties the graph reads (the rest of the store is left alone)."""
    props = {BASE_ID, "topics", "holder", "involved", *DATE_PROPS, *DETAIL_PROPS, *LABEL_PROPS}
    for schema in EDGE_SCHEMATA.values():
        props.update(p.name for p in (schema.source_prop, schema.target_prop) if p)
    for pivot in declarations()["pivots"].values():
        props.update(pivot.get("props", ()))
        props.update(pivot.get("via", ()))
    return frozenset(props)


def pivot_types() -> frozenset[str]:
    """The FtM property types that are pivots wherever they appear."""
    return frozenset(t for p in declarations()["pivots"].values() for t in p.get("types", ()))


def read_store(conn: Connection) -> Graph:
    """The graph of everything in the store (every reader sees a view of it)."""
    agencies = {r.name: r.agency for r in conn.execute(select(dataset_table))}
    return build(_statement_rows(conn), _travel_rows(conn), agencies)


def _statement_rows(conn: Connection) -> Iterator[Row]:
    c = statement.c
    query = select(
        c.id,
        c.entity_id,
        c.canonical_id,
        c.schema,
        c.prop,
        c.prop_type,
        c.value,
        c.dataset,
        c.marking,
        c.handling,
        c.mask_after,
    ).where(c.prop.in_(sorted(needed_props())) | c.prop_type.in_(sorted(pivot_types())))
    for row in conn.execute(query.execution_options(yield_per=20_000)):
        yield Row(*row)


def _travel_rows(conn: Connection) -> Iterator[TravelRow]:
    t = traveller.c
    query = select(t.id, t.entity_id, t.booking_id, t.dataset).where(t.booking_id.is_not(None))
    for row in conn.execute(query.execution_options(yield_per=20_000)):
        yield TravelRow(*row)


def build(
    rows: Iterable[Row], travel: Iterable[TravelRow] = (), agencies: dict[str, str] | None = None
) -> Graph:
    """The graph of these statements and travellers."""
    builder = _Builder()
    for row in rows:
        builder.add(row)
    for trow in travel:
        builder.add_traveller(trow)
    return builder.finish(agencies or {})


class _Builder:
    """Accumulates rows, then makes nodes and edges once every row is known."""

    def __init__(self) -> None:
        self.canonical: dict[str, str] = {}
        self.schema: dict[str, str] = {}
        self.classes: dict[VisClass, int] = {}
        self.presence: dict[str, set[int]] = defaultdict(set)
        self.labels: dict[str, list[Label]] = defaultdict(list)
        self.topics: dict[str, set[tuple[str, int]]] = defaultdict(set)
        self.related: dict[str, list[Row]] = defaultdict(list)  # edge and document entities
        self.pivots = Pivots(declarations())
        self.refs: list[Row] = []  # rows naming an entity that groups (addresses, trips)

    def vis(self, dataset: str, marking: str = "", handling: str | None = None) -> int:
        key = VisClass(dataset, marking, handling or "")
        return self.classes.setdefault(key, len(self.classes))

    def add(self, row: Row) -> None:
        self.canonical[row.entity_id] = row.canonical_id
        canon = row.canonical_id
        if row.prop == BASE_ID:
            self.schema.setdefault(canon, row.schema)
            self.presence[canon].add(self.vis(row.dataset, row.marking, row.handling))
        elif row.schema in EDGE_SCHEMATA or self.pivots.is_grouping(row):
            self.related[row.entity_id].append(row)
        elif row.prop == "topics":
            self.topics[canon].add((row.value, self.vis(row.dataset, row.marking, row.handling)))
        elif self.pivots.is_reference(row):
            self.refs.append(row)
        elif row.prop in LABEL_PROPS and len(self.labels[canon]) < MAX_LABELS:
            vis = self.vis(row.dataset, row.marking, row.handling)
            self.labels[canon].append(Label(row.value, row.prop, vis, row.mask_after))
        if self.pivots.is_pivot(row):
            item = self._item("value", row.value, row, row.id)
            self.pivots.add(row, canon, item)

    def add_traveller(self, row: TravelRow) -> None:
        vis = self.vis(row.dataset)
        item = Item("value", row.booking_id, row.dataset, "booking", row.id, vis)
        self.pivots.add_group("travel", f"booking:{row.booking_id}", row.entity_id, item)

    def _item(self, kind: str, ref: str, row: Row, statement_id: str) -> Item:
        vis = self.vis(row.dataset, row.marking, row.handling)
        return Item(kind, ref, row.dataset, row.prop, statement_id, vis)

    def finish(self, agencies: dict[str, str]) -> Graph:
        nodes = _Nodes(self)
        edges = list(self._relationships(nodes))
        for row in self.refs:
            item = self._item("entity", row.value, row, row.id)
            self.pivots.add_group_ref(row, self._canon(row.value), item)
        for entity_id, rows in self.related.items():
            self.pivots.add_related(entity_id, rows, self._canon, self._item)
        for edge in self.pivots.edges(nodes.index.get, self._canon):
            edge.id = edge_id(edge.type, nodes.ids[edge.source], nodes.ids[edge.target])
            edges.append(edge)
        return nodes.graph(edges, list(self.classes), agencies)

    def _canon(self, entity_id: str) -> str:
        return self.canonical.get(entity_id, entity_id)

    def _relationships(self, nodes: "_Nodes") -> Iterator[Edge]:
        for entity_id, rows in self.related.items():
            schema = EDGE_SCHEMATA.get(rows[0].schema)
            if schema is not None and schema.source_prop and schema.target_prop:
                yield from _relationship(self, nodes, entity_id, schema, rows)


def _relationship(
    builder: _Builder, nodes: "_Nodes", entity_id: str, schema: Schema, rows: list[Row]
) -> Iterator[Edge]:
    """The edges one relationship entity asserts (one per source and target value)."""
    assert schema.source_prop is not None and schema.target_prop is not None
    sources = [r for r in rows if r.prop == schema.source_prop.name]
    targets = [r for r in rows if r.prop == schema.target_prop.name]
    pairs: dict[tuple[int, int], Edge] = {}
    for src in sources:
        for tgt in targets:
            if src.dataset != tgt.dataset or src.value not in builder.canonical:
                continue
            if tgt.value not in builder.canonical:
                continue
            a, b = nodes.node(builder._canon(src.value)), nodes.node(builder._canon(tgt.value))
            if a == b:
                continue
            edge = pairs.get((a, b))
            if edge is None:
                suffix = f"~{len(pairs)}" if pairs else ""
                edge = Edge(f"{entity_id}{suffix}", schema.name, _label(schema, rows), a, b)
                edge.start, edge.end = _dates(rows)
                pairs[(a, b)] = edge
            first = len(edge.items)
            edge.items.append(builder._item("entity", entity_id, src, src.id))
            edge.items.append(builder._item("entity", entity_id, tgt, tgt.id))
            edge.proofs.append((first, first + 1))
    yield from pairs.values()


def _label(schema: Schema, rows: list[Row]) -> str:
    """FtM's label for the relationship, with its role and amount when it has them."""
    found = {r.prop: r.value for r in sorted(rows, key=lambda r: r.id)}
    label = str(schema.edge_label or schema.label)
    detail = found.get("role") or found.get("relationship")
    if "amount" in found:
        detail = " ".join(v for v in (found["amount"], found.get("currency")) if v)
    return f"{label} ({detail})" if detail else label


def _dates(rows: list[Row]) -> tuple[str | None, str | None]:
    found = {r.prop: r.value for r in sorted(rows, key=lambda r: r.id) if r.prop in DATE_PROPS}
    start = found.get("startDate") or found.get("date")
    return start, found.get("endDate")


def _label_rank(label: Label) -> int:
    """Names first, then addresses, numbers, titles (``LABEL_PROPS`` order)."""
    return LABEL_PROPS.index(label.prop)


class _Nodes:
    """Node numbering: every legal entity is a node, and anything an edge ends at."""

    def __init__(self, builder: _Builder) -> None:
        self.builder = builder
        self.index: dict[str, int] = {}
        self.ids: list[str] = []
        for canon in sorted(builder.presence):
            schema = model.get(builder.schema.get(canon, ""))
            if schema is not None and NODE_ROOT is not None and schema.is_a(NODE_ROOT):
                self.node(canon)

    def node(self, canon: str) -> int:
        found = self.index.get(canon)
        if found is None:
            found = self.index[canon] = len(self.ids)
            self.ids.append(canon)
        return found

    def graph(self, edges: list[Edge], classes: list[VisClass], agencies: dict[str, str]) -> Graph:
        b = self.builder
        return Graph(
            ids=self.ids,
            schemata=[b.schema.get(i, "Thing") for i in self.ids],
            labels=[sorted(b.labels.get(i, []), key=_label_rank) for i in self.ids],
            topics=[sorted(b.topics.get(i, ())) for i in self.ids],
            presence=[sorted(b.presence.get(i, ())) for i in self.ids],
            edges=edges,
            classes=classes,
            agencies=agencies,
        )
