"""Shared pivots: entities holding the same phone, e-mail, address, account or document
number, or travelling together, are linked (as ``links.yml`` declares).

Values are compared normalised (a phone by its digits, an identifier upper case without
separators, an address as search text); a value shared by more than ``max_share`` entities
links nobody.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import combinations
from typing import Any, Protocol

from followthemoney import model

from rasid.graph.model import Edge, Item
from rasid.model.keys import content_key
from rasid.model.text import normalize_text

_NOT_ALNUM = re.compile(r"[\W_]+")
_NOT_DIGIT = re.compile(r"\D+")
MIN_LENGTH = 4  # shorter values ("0", "n/a") identify nothing


class _Row(Protocol):
    @property
    def entity_id(self) -> str: ...
    @property
    def schema(self) -> str: ...
    @property
    def prop(self) -> str: ...
    @property
    def prop_type(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def dataset(self) -> str: ...
    @property
    def id(self) -> str: ...


def normalise(how: str, value: str) -> str:
    """The form in which two values of a pivot are compared ("" when too short)."""
    if how == "phone":
        digits = _NOT_DIGIT.sub("", value)
        found = digits if len(digits) >= 7 else ""
    elif how == "lower":
        found = value.strip().lower()
    elif how == "text":
        found = normalize_text(value)
    else:
        found = _NOT_ALNUM.sub("", value).upper()
    return found if len(found) >= MIN_LENGTH else ""


def _schemata(names: list[str]) -> frozenset[str]:
    """The named schemata and every schema descending from them."""
    found: set[str] = set()
    for name in names:
        schema = model.get(name)
        if schema is not None:
            found.update(s.name for s in schema.descendants)
            found.add(schema.name)
    return frozenset(found)


Group = tuple[str, str]  # (pivot kind, normalised value or "entity:<id>")
MakeItem = Callable[[str, str, Any, str], Item]


class Pivots:
    """Collects who holds which pivot value, then links them pairwise."""

    def __init__(self, declared: dict[str, Any]) -> None:
        self.max_share = int(declared.get("max_share", 25))
        self.labels: dict[str, str] = {}
        self.by_type: dict[str, tuple[str, str]] = {}
        self.by_prop: dict[str, tuple[str, str]] = {}
        self.via: dict[str, str] = {}
        documents: list[str] = []
        together: list[str] = []
        self.together_kind = "travel"
        for kind, spec in declared["pivots"].items():
            self.labels[kind] = spec["label"]
            how = spec.get("normalise", "identifier")
            self.by_type.update({t: (kind, how) for t in spec.get("types", ())})
            self.by_prop.update({p: (kind, how) for p in spec.get("props", ())})
            self.via.update({p: kind for p in spec.get("via", ())})
            if spec.get("documents"):
                documents += spec["documents"]
                self.document_kind, self.document_how = kind, how
            if spec.get("together"):
                together += spec["together"]
                self.together_kind = kind
        self.documents = _schemata(documents)
        self.together = _schemata(together)
        self.grouping = self.documents | self.together | _schemata(["Address"])
        self.members: dict[Group, list[tuple[str, Item]]] = defaultdict(list)
        self.dates: dict[Group, list[str]] = defaultdict(list)

    def is_grouping(self, row: _Row) -> bool:
        """A row of an entity that groups others (a document, a trip) or is a value itself
        (an address), rather than a node."""
        return row.schema in self.grouping

    def is_reference(self, row: _Row) -> bool:
        """A row naming an entity shared by those who refer to it (an address entity)."""
        return row.prop in self.via

    def _spec(self, row: _Row) -> tuple[str, str] | None:
        return self.by_prop.get(row.prop) or self.by_type.get(row.prop_type)

    def is_pivot(self, row: _Row) -> bool:
        """A value that links its holder with others holding it."""
        return row.schema not in self.grouping and self._spec(row) is not None

    def add(self, row: _Row, canon: str, item: Item) -> None:
        """Record that ``row``'s entity holds ``row``'s value."""
        spec = self._spec(row)
        if spec is None:
            return
        key = normalise(spec[1], row.value)
        if key:
            self.members[(spec[0], key)].append((row.entity_id, item))

    def add_group(self, kind: str, key: str, entity_id: str, item: Item) -> None:
        """Record that ``entity_id`` belongs to a group (travellers of one booking)."""
        self.members[(kind, key)].append((entity_id, item))

    def add_group_ref(self, row: _Row, target: str, item: Item) -> None:
        """Record that ``row``'s entity refers to a shared entity (its address)."""
        self.members[(self.via[row.prop], f"entity:{target}")].append((row.entity_id, item))

    def add_related(
        self, entity_id: str, rows: list[Any], canon: Callable[[str], str], make: MakeItem
    ) -> None:
        """A document's number becomes its holders'; a trip's travellers travel together."""
        schema = rows[0].schema
        if schema in self.documents:
            self._document(rows, make)
        elif schema in self.together:
            key = (self.together_kind, f"entity:{canon(entity_id)}")
            for row in rows:
                if row.prop == "involved":
                    self.members[key].append((row.value, make("entity", entity_id, row, row.id)))
                elif row.prop in ("startDate", "date"):
                    self.dates[key].append(row.value)

    def _document(self, rows: list[Any], make: MakeItem) -> None:
        holders = [r for r in rows if r.prop == "holder"]
        for number in (r for r in rows if r.prop == "number"):
            key = normalise(self.document_how, number.value)
            if not key:
                continue
            for holder in holders:
                if holder.dataset == number.dataset:
                    item = make("value", number.value, number, number.id)
                    self.members[(self.document_kind, key)].append((holder.value, item))

    def edges(
        self, lookup: Callable[[str], int | None], canon: Callable[[str], str]
    ) -> Iterator[Edge]:
        """Pairwise edges between the nodes of each group (one edge per kind and pair)."""
        found: dict[tuple[str, int, int], Edge] = {}
        for (kind, _), members in sorted(self.members.items()):
            by_node: dict[int, list[Item]] = defaultdict(list)
            for entity_id, item in members:
                node = lookup(canon(entity_id))
                if node is not None:
                    by_node[node].append(item)
            if not 2 <= len(by_node) <= self.max_share:
                continue
            dates = sorted(self.dates.get((kind, _), ()))
            for a, b in combinations(sorted(by_node), 2):
                edge = found.get((kind, a, b))
                if edge is None:
                    edge = found[(kind, a, b)] = Edge("", kind, self.labels[kind], a, b)
                _prove(edge, _distinct(by_node[a]), _distinct(by_node[b]))
                if dates:
                    edge.start = min(edge.start or dates[0], dates[0])
                    edge.end = max(edge.end or dates[-1], dates[-1])
        yield from found.values()


def _distinct(items: list[Item]) -> list[Item]:
    """One item per visibility class (two people holding a value in one dataset need one
    proof, not one per copy)."""
    seen: dict[int, Item] = {}
    for item in items:
        seen.setdefault(item.vis, item)
    return list(seen.values())


def _prove(edge: Edge, left: list[Item], right: list[Item]) -> None:
    for a in left:
        for b in right:
            first = len(edge.items)
            edge.items.extend((a, b))
            edge.proofs.append((first, first + 1))


def edge_id(kind: str, a: str, b: str) -> str:
    """A pivot edge's id, stable across rebuilds (of the kind and the two node ids)."""
    return f"{kind}:{content_key(kind, *sorted((a, b)))[:16]}"
