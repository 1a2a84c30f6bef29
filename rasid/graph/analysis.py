"""Questions asked of a reader's view of the graph: neighbours, paths, communities,
centrality, a timeline of dated links, nexus bridges (``rasid.graph.nexus``).

Each answer is a ``Subgraph``: node and edge numbers of the graph, and what is particular
to the question (the paths found, the communities...); ``rasid.graph.answer`` turns it into
the JSON every caller gets. igraph does the heavy work (Leiden, betweenness, PageRank, k
shortest paths); the neighbourhood is walked with numpy over igraph's incidence lists.
"""

import warnings
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

import numpy as np

from rasid.graph.cache import BoolArray, View
from rasid.graph.errors import GraphError, UnknownNode
from rasid.graph.model import IntArray
from rasid.graph.nexus import Bridge, bridges, clusters

MAX_DEPTH = 3
MAX_NODES = 500
MAX_PATH_LENGTH = 6
MEASURES = ("degree", "betweenness", "pagerank")
BETWEENNESS_CUTOFF = 4  # paths longer than this do not count (keeps it fast on big graphs)


@dataclass
class Filter:
    """Which links a walk follows: edge types (None: all) and a date range (ISO days; a
    link without a date is left out when a range is given)."""

    types: frozenset[str] | None = None
    since: str | None = None
    until: str | None = None

    def admits(self, view: View, view_edges: IntArray) -> BoolArray:
        """Which of these view edges pass."""
        graph = view.graph
        edges = view.edge_ids[view_edges]
        keep = np.ones(len(edges), np.bool_)
        if self.types is not None:
            codes = [i for i, t in enumerate(graph.types) if t in self.types]
            keep &= np.isin(graph.type_code[edges], codes)
        if self.since or self.until:
            starts, ends = graph.starts[edges], graph.ends[edges]
            keep &= starts != ""
            if self.since:
                keep &= ends >= self.since
            if self.until:
                keep &= starts <= self.until
        return keep


@dataclass
class Subgraph:
    """An answer: nodes and edges (graph numbers) and the question's own keys."""

    nodes: list[int]
    edges: list[int]
    extra: dict[str, Any] = field(default_factory=dict)
    bridges: list[Bridge] = field(default_factory=list)


def check_day(value: str | None, name: str) -> str | None:
    """An ISO day (YYYY-MM-DD), or GraphError naming the parameter."""
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise GraphError(
            f"{name} must be a day as YYYY-MM-DD, not {value!r}",
            arabic=f"يجب أن يكون {name} يومًا بالصيغة YYYY-MM-DD، وليس {value!r}",
        ) from None


def node_of(view: View, entity_id: str) -> int:
    """The node of an entity the reader sees; UnknownNode otherwise."""
    node = view.graph.index.get(entity_id)
    if node is None or not view.node_visible[node]:
        raise UnknownNode(
            f"no entity {entity_id!r} in the graph",
            arabic=f"لا يوجد في الشبكة كيان بالمعرّف {entity_id!r}",
        )
    return node


def _incident(view: View, nodes: list[int]) -> IntArray:
    lists = [view.g.incident(n) for n in nodes]
    flat = [e for found in lists for e in found]
    return np.array(flat, np.int64)


def _ends(view: View, view_edges: IntArray) -> tuple[IntArray, IntArray]:
    pairs = view.graph.pairs[view.edge_ids[view_edges]]
    return pairs[:, 0], pairs[:, 1]


def neighbours(
    view: View, entity_id: str, depth: int = 1, flt: Filter | None = None, limit: int = MAX_NODES
) -> Subgraph:
    """The entity and those within ``depth`` links (1 to 3) of it, through the links the
    filter admits; at most ``limit`` nodes (``truncated`` says when some were left out),
    with every admitted link between them."""
    if not 1 <= depth <= MAX_DEPTH:
        raise GraphError(
            f"depth must be between 1 and {MAX_DEPTH}",
            arabic=f"يجب أن يكون العمق depth بين 1 و{MAX_DEPTH}",
        )
    flt = flt or Filter()
    start = node_of(view, entity_id)
    seen = {start: 0}
    frontier, truncated = [start], False
    for level in range(1, depth + 1):
        edges = _incident(view, frontier)
        edges = edges[flt.admits(view, edges)]
        sources, targets = _ends(view, edges)
        found = np.concatenate([sources, targets])
        new = [int(n) for n in dict.fromkeys(found.tolist()) if n not in seen]
        if len(seen) + len(new) > limit:
            new, truncated = new[: limit - len(seen)], True
        seen.update(dict.fromkeys(new, level))
        frontier = new
        if truncated or not frontier:
            break
    nodes = list(seen)
    return Subgraph(nodes, _between(view, nodes, flt), {"truncated": truncated})


def _between(view: View, nodes: list[int], flt: Filter | None = None) -> list[int]:
    """The (admitted) edges with both ends among ``nodes``."""
    edges = _incident(view, nodes)
    if len(edges) == 0:
        return []
    inside = np.zeros(len(view.graph.ids), np.bool_)
    inside[nodes] = True
    sources, targets = _ends(view, edges)
    keep = inside[sources] & inside[targets]
    if flt is not None:
        keep &= flt.admits(view, edges)
    return sorted({int(e) for e in view.edge_ids[np.unique(edges[keep])]})


def paths(view: View, source: str, target: str, max_length: int = 4, k: int = 3) -> Subgraph:
    """Up to ``k`` shortest paths (fewest links first) from one entity to another, none
    longer than ``max_length`` links; ``k`` 0 gives every shortest path."""
    if not 1 <= max_length <= MAX_PATH_LENGTH:
        raise GraphError(
            f"max_length must be between 1 and {MAX_PATH_LENGTH}",
            arabic=f"يجب أن يكون أقصى طول للمسار max_length بين 1 و{MAX_PATH_LENGTH}",
        )
    a, b = node_of(view, source), node_of(view, target)
    with warnings.catch_warnings():  # igraph warns when the target is out of reach
        warnings.simplefilter("ignore", RuntimeWarning)
        first = view.g.get_shortest_path(a, b, mode="all", output="vpath") if a != b else [a]
    if not first or len(first) - 1 > max_length:
        found: list[list[int]] = []
    elif k == 0:
        found = view.g.get_all_shortest_paths(a, to=b, mode="all")
    elif k == 1:
        found = [first]
    else:
        found = view.g.get_k_shortest_paths(a, b, k=k, mode="all", output="vpath")
    found = [p for p in found if len(p) - 1 <= max_length]
    nodes = list(dict.fromkeys(n for p in found for n in p))
    edges = sorted({e for p in found for e in path_edges(view, p)})
    ids = view.graph.ids
    return Subgraph(nodes, edges, {"paths": [[ids[n] for n in p] for p in found]})


def path_edges(view: View, path: list[int]) -> list[int]:
    """Every visible edge between consecutive nodes of a path."""
    result = []
    for u, v in pairwise(path):
        for e in view.g.incident(u):
            edge = view.graph.edges[view.edge(e)]
            if v in (edge.source, edge.target):
                result.append(view.edge(e))
    return result


def membership(view: View) -> list[int]:
    """Each node's community (Leiden, maximising modularity), -1 for a node without
    links; computed once per view."""
    found = view.cached.get("communities")
    if found is None:
        parts = view.g.community_leiden(objective_function="modularity", n_iterations=2)
        degree = view.g.degree()
        found = [c if d else -1 for c, d in zip(parts.membership, degree, strict=True)]
        view.cached["communities"] = found
    return list(found) if not isinstance(found, list) else found


def communities(view: View, community: int | None = None, limit: int = 20) -> Subgraph:
    """The largest communities (size, members in criminal and terrorist clusters, the best
    connected members), or one community's members and links."""
    member_of = membership(view)
    groups = clusters(view)
    members: dict[int, list[int]] = {}
    for node, c in enumerate(member_of):
        if c >= 0:
            members.setdefault(c, []).append(node)
    if community is not None:
        nodes = _best_connected(view, members.get(community, []), MAX_NODES)
        return Subgraph(nodes, _between(view, nodes), {"community": community})
    ranked = sorted(members.items(), key=lambda item: (-len(item[1]), item[0]))[:limit]
    summary, shown = [], []
    for c, nodes in ranked:
        top = _best_connected(view, nodes, 5)
        shown += top
        kinds = [groups.group(n) for n in nodes]
        summary.append(
            {
                "id": c,
                "size": len(nodes),
                "crime": kinds.count("crime"),
                "terror": kinds.count("terror"),
                "top": [view.graph.ids[n] for n in top],
            }
        )
    return Subgraph(shown, _between(view, shown), {"communities": summary})


def _best_connected(view: View, nodes: list[int], limit: int) -> list[int]:
    degree = view.g.degree(nodes)
    order = sorted(zip(nodes, degree, strict=True), key=lambda item: (-item[1], item[0]))
    return [n for n, _ in order[:limit]]


def centrality(view: View, measure: str = "degree", limit: int = 50) -> Subgraph:
    """The ``limit`` most central entities by ``measure`` (degree, betweenness counted on
    paths of at most BETWEENNESS_CUTOFF links, or PageRank), with their scores."""
    if measure not in MEASURES:
        raise GraphError(
            f"measure must be one of {', '.join(MEASURES)}",
            arabic=f"المقياس measure واحد من: {'، '.join(MEASURES)}",
        )
    scores = view.cached.get(measure)
    if scores is None:
        if measure == "degree":
            scores = view.g.degree()
        elif measure == "betweenness":
            scores = view.g.betweenness(directed=False, cutoff=BETWEENNESS_CUTOFF)
        else:
            scores = view.g.pagerank(directed=False)
        view.cached[measure] = scores
    visible = np.flatnonzero(view.node_visible)
    order = sorted(visible.tolist(), key=lambda n: (-scores[n], n))[:limit]
    ids = view.graph.ids
    ranked = [{"entity_id": ids[n], "score": round(float(scores[n]), 6)} for n in order]
    return Subgraph(order, _between(view, order), {"measure": measure, "ranking": ranked})


def timeline(view: View, entity_id: str | None = None, community: int | None = None) -> Subgraph:
    """The dated links of an entity (or within a community), oldest first."""
    if entity_id is not None:
        start = node_of(view, entity_id)
        edges = [view.edge(e) for e in view.g.incident(start)]
    elif community is not None:
        member_of = membership(view)
        nodes = [n for n, c in enumerate(member_of) if c == community]
        edges = _between(view, nodes)
    else:
        raise GraphError("give an entity or a community", arabic="حدّد كيانًا أو مجتمعًا شبكيًا")
    graph = view.graph
    dated = sorted((graph.starts[e], graph.edges[e].id, e) for e in edges if graph.starts[e])
    chosen = [e for _, _, e in dated]
    nodes = list(dict.fromkeys(n for e in chosen for n in graph.pairs[e].tolist()))
    if entity_id is not None and not nodes:
        nodes = [graph.index[entity_id]]
    events = [
        {"edge": graph.edges[e].id, "start": str(graph.starts[e]), "end": str(graph.ends[e])}
        for e in chosen
    ]
    return Subgraph(nodes, chosen, {"timeline": events})


def nexus(view: View, max_length: int = 2, limit: int = 50) -> Subgraph:
    """The nexus bridges (``rasid.graph.nexus``), with the nodes and links of their paths."""
    if not 1 <= max_length <= 4:
        raise GraphError(
            "max_length must be between 1 and 4",
            arabic="يجب أن يكون أقصى طول للمسار max_length بين 1 و4",
        )
    found = bridges(view, max_length, limit)
    nodes = list(dict.fromkeys(n for b in found for n in b.path))
    edges = sorted({e for b in found for e in path_edges(view, list(b.path))})
    return Subgraph(nodes, edges, {"bridges": []}, bridges=found)
