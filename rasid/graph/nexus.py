"""Nexus bridges: who connects a criminal group with a terrorist group.

A group is known by its FtM topics (``links.yml``: ``crime.terror`` for terror, ``crime``
and its kinds for crime), on an organisation or on a person; its *cluster* is the group
and the entities affiliated with it (members, directors, employees: ``affiliation``). The
UNICRI nexus toolkit's *alliance* is a tie between a criminal and a terrorist group; its
variant the *criminal broker* facilitates between them without belonging to either:

- ``alliance``: an entity in both a criminal and a terrorist cluster, or a direct link
  between a member of one and a member of the other;
- ``broker``: a person or organisation outside both clusters on a short path (at most
  ``max_length`` links) from a member of a criminal cluster to a member of a terrorist
  cluster, the path passing through no other member.

Everything is computed on the reader's view: a reader who may not see a membership or a
payment does not see the bridge it makes.
"""

from collections import deque
from dataclasses import dataclass

from followthemoney import model

from rasid.graph.cache import View
from rasid.graph.model import declarations

CRIME, TERROR = "crime", "terror"
LEGAL_ENTITY = model.get("LegalEntity")


@dataclass(frozen=True)
class Clusters:
    """Each clustered node's clusters: (kind, the group's node) pairs."""

    of: dict[int, frozenset[tuple[str, int]]]

    def group(self, node: int) -> str | None:
        """ "terror" or "crime" (terror first), or None outside every cluster."""
        kinds = {kind for kind, _ in self.of.get(node, ())}
        return TERROR if TERROR in kinds else CRIME if CRIME in kinds else None

    def nodes(self, kind: str) -> set[int]:
        """The nodes in a cluster of this kind."""
        return {n for n, found in self.of.items() if any(k == kind for k, _ in found)}

    def seed(self, node: int, kind: str) -> int:
        """The group of this kind the node belongs to (the lowest-numbered one)."""
        return min(s for k, s in self.of[node] if k == kind)


@dataclass(frozen=True)
class Bridge:
    """A broker or an alliance, with the path from a criminal to a terrorist cluster."""

    node: int
    kind: str  # "broker" or "alliance"
    path: tuple[int, ...]
    crime_cluster: int
    terror_cluster: int


def clusters(view: View) -> Clusters:
    """The criminal and terrorist clusters the reader sees (remembered with the view)."""
    found = view.cached.get("clusters")
    if isinstance(found, Clusters):
        return found
    seeds = _seeds(view)
    affiliation = set(declarations()["affiliation"])
    graph = view.graph
    of: dict[int, set[tuple[str, int]]] = {}
    for seed, kind in seeds.items():
        of.setdefault(seed, set()).add((kind, seed))
        for e in view.g.incident(seed):
            edge = graph.edges[view.edge(e)]
            if edge.type in affiliation:
                other = edge.target if edge.source == seed else edge.source
                of.setdefault(other, set()).add((kind, seed))
    result = Clusters({n: frozenset(v) for n, v in of.items()})
    view.cached["clusters"] = result
    return result


def _seeds(view: View) -> dict[int, str]:
    """Visible nodes carrying a visible group topic, and their kind."""
    groups = declarations()["groups"]
    terror, crime = set(groups[TERROR]), set(groups[CRIME])
    seeds: dict[int, str] = {}
    for node, topics in enumerate(view.graph.topics):
        if not topics or not view.node_visible[node]:
            continue
        seen = {t for t, vis in topics if view.readable_classes[vis]}
        if seen & terror:
            seeds[node] = TERROR
        elif seen & crime:
            seeds[node] = CRIME
    return seeds


def bridges(view: View, max_length: int = 2, limit: int = 50) -> list[Bridge]:
    """Alliances first, then brokers by the length of their path (shortest first)."""
    found = clusters(view)
    crime, terror = found.nodes(CRIME), found.nodes(TERROR)
    result = [
        Bridge(n, "alliance", (n,), found.seed(n, CRIME), found.seed(n, TERROR))
        for n in sorted(crime & terror)
    ]
    result += _direct(view, found, crime - terror, terror - crime)
    members = crime | terror
    from_crime = _reach(view, crime - terror, members, max_length - 1)
    from_terror = _reach(view, terror - crime, members, max_length - 1)
    brokers = []
    for node in set(from_crime) & set(from_terror):
        if not _is_actor(view, node):
            continue
        path = _path(from_crime, node)[::-1] + _path(from_terror, node)[1:]
        if len(path) - 1 <= max_length:
            seeds = found.seed(path[0], CRIME), found.seed(path[-1], TERROR)
            brokers.append(Bridge(node, "broker", tuple(path), *seeds))
    brokers.sort(key=lambda b: (len(b.path), view.graph.ids[b.node]))
    return (result + brokers)[:limit]


def _direct(view: View, found: Clusters, crime: set[int], terror: set[int]) -> list[Bridge]:
    """Direct links between a member of a criminal and one of a terrorist cluster."""
    result = []
    for node in sorted(crime):
        for other in sorted(set(view.g.neighbors(node)) & terror):
            seeds = found.seed(node, CRIME), found.seed(other, TERROR)
            result.append(Bridge(node, "alliance", (node, other), *seeds))
    return result


def _is_actor(view: View, node: int) -> bool:
    schema = model.get(view.graph.schemata[node])
    return schema is not None and LEGAL_ENTITY is not None and schema.is_a(LEGAL_ENTITY)


def _reach(view: View, sources: set[int], members: set[int], depth: int) -> dict[int, int]:
    """Breadth-first from ``sources`` through non-members, up to ``depth`` links: each
    node reached (members excepted) and the node it was reached from (-1: a source)."""
    parent = dict.fromkeys(sources, -1)
    queue = deque((s, 0) for s in sorted(sources))
    while queue:
        node, dist = queue.popleft()
        if dist >= depth:
            continue
        for other in view.g.neighbors(node):
            if other in parent or other in members:
                continue
            parent[other] = node
            queue.append((other, dist + 1))
    return {n: p for n, p in parent.items() if n not in sources}


def _path(parent: dict[int, int], node: int) -> list[int]:
    """From ``node`` back to its source."""
    path = [node]
    while parent.get(path[-1], -1) != -1:
        path.append(parent[path[-1]])
    return path
