"""The built graph: entities as nodes (by canonical id), links as edges, and for every edge
the statements that prove it, so that each reader sees only the links they may read.

Visibility is decided on *classes*: a statement's (dataset, marking, handling). Each edge
has one or more proofs, a proof being the one or two statements that together assert the
link (a Membership's ``member`` and ``organization``; the phone number on each of two
people). An edge is visible when every statement of one of its proofs is; a node when one
of the statements that make it exist (FtM's ``id`` statements) is.
"""

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

import igraph as ig
import numpy as np
import numpy.typing as npt
import yaml

IntArray = npt.NDArray[np.int64]


class VisClass(NamedTuple):
    """What visibility depends on for one statement (or one travel row: no marking)."""

    dataset: str
    marking: str
    handling: str


class Item(NamedTuple):
    """One statement behind an edge: a relationship's property (``kind`` "entity", ``ref``
    the relationship entity's id) or a shared value (``kind`` "value", ``ref`` the value as
    written)."""

    kind: str
    ref: str
    dataset: str
    prop: str
    statement_id: str
    vis: int  # index into Graph.classes


class Label(NamedTuple):
    """A name an entity may be shown by, with what its visibility and masking depend on."""

    value: str
    prop: str
    vis: int
    mask_after: Any  # date | None


@dataclass(slots=True)
class Edge:
    """A link between two nodes (undirected for analysis; ``source`` to ``target`` as FtM
    declares the relationship)."""

    id: str
    type: str
    label: str
    source: int
    target: int
    start: str | None = None
    end: str | None = None
    items: list[Item] = field(default_factory=list)
    proofs: list[tuple[int, ...]] = field(default_factory=list)  # indices into items


@dataclass
class Graph:
    """Every node and edge of the store, whoever may read them; readers see a view."""

    ids: list[str]
    schemata: list[str]
    labels: list[list[Label]]
    topics: list[list[tuple[str, int]]]
    presence: list[list[int]]  # the classes of each node's id statements
    edges: list[Edge]
    classes: list[VisClass]
    agencies: dict[str, str]  # dataset -> owning agency
    index: dict[str, int] = field(default_factory=dict)
    # Flat arrays for computing a view: proof -> edge, and each proof's two classes (a
    # one-statement proof repeats its class); node presence -> node and class.
    proof_edge: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    proof_vis: IntArray = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    presence_node: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    presence_vis: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    pairs: IntArray = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    types: list[str] = field(default_factory=list)  # edge type names, by code
    type_code: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    starts: npt.NDArray[np.str_] = field(default_factory=lambda: np.zeros(0, "U10"))
    ends: npt.NDArray[np.str_] = field(default_factory=lambda: np.zeros(0, "U10"))

    def __post_init__(self) -> None:
        self.index = {node: i for i, node in enumerate(self.ids)}
        self.types = sorted({e.type for e in self.edges})
        codes = {t: i for i, t in enumerate(self.types)}
        self.type_code = np.array([codes[e.type] for e in self.edges], np.int64)
        # Dates as ISO text, compared as text ("": none); an edge with an end and no start
        # starts at its end.
        self.starts = np.array([(e.start or e.end or "")[:10] for e in self.edges], "U10")
        self.ends = np.array([(e.end or e.start or "")[:10] for e in self.edges], "U10")
        self.pairs = np.array([(e.source, e.target) for e in self.edges], np.int64).reshape(-1, 2)
        proofs = [(i, p) for i, e in enumerate(self.edges) for p in e.proofs]
        self.proof_edge = np.array([i for i, _ in proofs], np.int64)
        vis = [self._proof_classes(self.edges[i], p) for i, p in proofs]
        self.proof_vis = np.array(vis, np.int64).reshape(-1, 2)
        flat = [(n, c) for n, classes in enumerate(self.presence) for c in classes]
        self.presence_node = np.array([n for n, _ in flat], np.int64)
        self.presence_vis = np.array([c for _, c in flat], np.int64)

    @staticmethod
    def _proof_classes(edge: Edge, proof: tuple[int, ...]) -> tuple[int, int]:
        first = edge.items[proof[0]].vis
        return first, edge.items[proof[-1]].vis

    def igraph(self, edge_ids: IntArray) -> ig.Graph:
        """An undirected igraph graph of every node and the given edges (in that order)."""
        return ig.Graph(n=len(self.ids), edges=self.pairs[edge_ids].tolist())


@cache
def declarations() -> dict[str, Any]:
    """``links.yml``: pivots, affiliation relationships, group topics."""
    text = resources.files("rasid.graph").joinpath("links.yml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data
