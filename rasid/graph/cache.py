"""The graph each server process keeps, and each reader's view of it.

Building the graph reads the store once; it is kept until the store's contents change
(an import, a resolution judgement or its undo, a retention run, a change of agencies,
datasets or shares: the *fingerprint* below moves) and rebuilt on the next read after
that. The fingerprint reads a few small tables (runs, judgements, the policy epoch), so
every read checks it: a change made by another process is seen at once.

A view is what one kind of reader sees: the edges one of whose proofs they may read
whole, between nodes they may read. Views are computed from the graph with the policy's
``Visibility`` (``rasid.store.visibility.admits`` decides as the store's WHERE clause
does) and kept per visibility (an agency's role, in practice) while the graph lasts.
Statements a dissemination disclosed to a reader (their agency, or them by name) are read
at every query (``disclosed``): the links they prove join that reader's view, which is
kept per visibility and disclosures.
"""

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

import igraph as ig
import numpy as np
import numpy.typing as npt
from followthemoney.statement.util import BASE_ID
from sqlalchemy import Connection, func, or_, select

from rasid.access.registry import policy_epoch
from rasid.graph.build import read_store
from rasid.graph.model import Graph, IntArray, Item
from rasid.store.changes import changes_besides_imports
from rasid.store.tables import (
    disclosure,
    ingest_run,
    resolution_canonical,
    statement,
)
from rasid.store.visibility import Readable, Visibility, admits

MAX_VIEWS = 16
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Disclosed:
    """Single statements a dissemination gave the reader (their agency, or them by name):
    the links they prove become visible, and the entities whose ``id`` statement is among
    them."""

    statements: frozenset[str] = frozenset()
    nodes: frozenset[str] = frozenset()  # entities disclosed whole (their id statement)
    touched: frozenset[str] = frozenset()  # every entity id the statements name
    labels: tuple[tuple[str, str], ...] = ()  # (entity, a disclosed name)


def disclosed(conn: Connection, readable: Readable) -> Disclosed:
    """What disseminations disclosed to the reader (nothing for the operator)."""
    if not isinstance(readable, Visibility) or readable.grantee is None:
        return Disclosed()
    agency, user = readable.grantee
    granted = select(disclosure.c.statement_id).where(
        disclosure.c.agency == agency,
        or_(disclosure.c.user_name.is_(None), disclosure.c.user_name == user),
    )
    c = statement.c
    rows = conn.execute(
        select(c.id, c.canonical_id, c.prop, c.prop_type, c.value).where(c.id.in_(granted))
    ).all()
    if not rows:
        return Disclosed()
    touched = {r.canonical_id for r in rows} | {r.value for r in rows if r.prop_type == "entity"}
    merged = select(resolution_canonical.c.canonical_id).where(
        resolution_canonical.c.entity_id.in_(sorted(touched))
    )
    touched |= set(conn.execute(merged).scalars())
    return Disclosed(
        frozenset(r.id for r in rows),
        frozenset(r.canonical_id for r in rows if r.prop == BASE_ID),
        frozenset(touched),
        tuple(sorted((r.canonical_id, r.value) for r in rows if r.prop == "name")),
    )


def fingerprint(conn: Connection) -> tuple[Any, ...]:
    """What moves when the graph's contents may have changed."""
    runs = select(func.count(), func.max(ingest_run.c.finished_at))
    return (policy_epoch(conn), *conn.execute(runs).one(), *changes_besides_imports(conn))


def signature(readable: Readable) -> Hashable:
    """What a view depends on in a reader's visibility (masking aside: it changes labels,
    not links)."""
    if readable is None:
        return None
    if not isinstance(readable, Visibility):
        return frozenset(readable)
    partial = frozenset(readable.partial.items())
    return (readable.whole, partial, readable.withheld_handling)


@dataclass
class View:
    """The part of the graph one reader may see, as an igraph graph of every node (those
    the reader may not see have no edges) and the visible edges."""

    graph: Graph
    readable_classes: BoolArray
    node_visible: BoolArray
    edge_ids: IntArray  # view edge -> graph edge
    g: ig.Graph
    disclosed: frozenset[str] = frozenset()  # statement ids disclosed to the reader
    labels: dict[int, str] = field(default_factory=dict)  # names only a disclosure shows
    cached: dict[str, Any] = field(default_factory=dict)  # communities, groups

    def edge(self, view_edge: int) -> int:
        """The graph's edge behind a view edge."""
        return int(self.edge_ids[view_edge])

    def visible_items(self, graph_edge: int) -> list[int]:
        """The indices of an edge's items that belong to a proof the reader may read."""
        edge = self.graph.edges[graph_edge]
        found: set[int] = set()
        for proof in edge.proofs:
            if all(self._readable(edge.items[i]) for i in proof):
                found.update(proof)
        return sorted(found)

    def _readable(self, item: Item) -> bool:
        return bool(self.readable_classes[item.vis]) or item.statement_id in self.disclosed


def make_view(graph: Graph, readable: Readable, given: Disclosed | None = None) -> View:
    """The reader's view of ``graph`` (with what disseminations disclosed to them)."""
    given = given or Disclosed()
    ok = np.array([admits(readable, *c) for c in graph.classes], np.bool_)
    nodes = np.zeros(len(graph.ids), np.bool_)
    if len(graph.presence_node):
        seen = ok[graph.presence_vis]
        nodes[graph.presence_node[seen]] = True
    nodes[[graph.index[n] for n in given.nodes if n in graph.index]] = True
    edges = np.zeros(len(graph.edges), np.bool_)
    if len(graph.proof_edge):
        proven = ok[graph.proof_vis[:, 0]] & ok[graph.proof_vis[:, 1]]
        edges[graph.proof_edge[proven]] = True
    view = View(graph, ok, nodes, np.zeros(0, np.int64), ig.Graph(), given.statements)
    for e in _touched_edges(graph, given):
        edges[e] = edges[e] or bool(view.visible_items(int(e)))
    if len(edges):
        edges &= nodes[graph.pairs[:, 0]] & nodes[graph.pairs[:, 1]]
    view.edge_ids = np.flatnonzero(edges).astype(np.int64)
    view.g = graph.igraph(view.edge_ids)
    for entity, name in given.labels:
        if entity in graph.index:
            view.labels.setdefault(graph.index[entity], name)
    return view


def _touched_edges(graph: Graph, given: Disclosed) -> IntArray:
    """The edges at an entity a disclosed statement names (those it may prove)."""
    touched = [graph.index[n] for n in given.touched if n in graph.index]
    if not touched or not len(graph.pairs):
        return np.zeros(0, np.int64)
    near = np.isin(graph.pairs[:, 0], touched) | np.isin(graph.pairs[:, 1], touched)
    return np.flatnonzero(near)


class GraphCache:
    """The graph per database, and its views, kept while the fingerprint stays."""

    def __init__(self) -> None:
        self.lock = Lock()
        self.graphs: dict[str, tuple[tuple[Any, ...], Graph]] = {}
        self.views: OrderedDict[tuple[str, Hashable, Disclosed], View] = OrderedDict()

    def graph(self, conn: Connection) -> Graph:
        """The graph of the store ``conn`` reads, rebuilt when its contents changed."""
        url, mark = str(conn.engine.url), fingerprint(conn)
        with self.lock:  # one build at a time; other readers wait for it
            found = self.graphs.get(url)
            if found is not None and found[0] == mark:
                return found[1]
            graph = read_store(conn)
            self.graphs[url] = (mark, graph)
            for key in [k for k in self.views if k[0] == url]:
                del self.views[key]
            return graph

    def view(self, conn: Connection, readable: Readable) -> View:
        """The reader's view of the store's graph."""
        graph = self.graph(conn)
        given = disclosed(conn, readable)
        key = (str(conn.engine.url), signature(readable), given)
        with self.lock:
            found = self.views.get(key)
            if found is not None and found.graph is graph:
                self.views.move_to_end(key)
                return found
        view = make_view(graph, readable, given)
        with self.lock:
            self.views[key] = view
            while len(self.views) > MAX_VIEWS:
                self.views.popitem(last=False)
        return view

    def clear(self) -> None:
        """Forget every graph and view."""
        with self.lock:
            self.graphs.clear()
            self.views.clear()


CACHE = GraphCache()


def current_view(conn: Connection, readable: Readable) -> View:
    """The reader's view of the store's current graph (the process-wide cache)."""
    return CACHE.view(conn, readable)
