"""What the store says about a group subject, for the manifestation rules.

Every fact comes from the asking user's view of the link-analysis graph (``rasid.graph``),
so a user who may not read a membership or a listing does not get the fact it makes. The
group is found by its canonical id (records resolved into one organisation are one node).
Criminal and terrorist are decided exactly as the graph's nexus analysis decides them
(``rasid.graph.nexus``: FtM topics declared in ``links.yml``), not by a second rule.

The bridges are looked for over the whole graph, so they are remembered with the reader's
view (``View.cached``): the graph's cache drops the view when the store's contents change
(a new import or resolution moves its fingerprint), so the next suggestion sees a new link
at once, and until then every page view of every group reuses the same search.
"""

from sqlalchemy import Connection

from rasid.access.policy import Principal, visibility
from rasid.graph.cache import View, current_view
from rasid.graph.model import declarations
from rasid.graph.nexus import CRIME, TERROR, Bridge, bridges
from rasid.monitor.model import GroupFacts, Reason, Text
from rasid.store.entities import merged_into

BRIDGE_LENGTH = 2  # links on a broker's path, as the graph's default bridges query
BRIDGE_LIMIT = 500  # bridges looked at (the whole store's, before keeping the group's)
EVIDENCE_MAX = 10  # paths described
CACHED = "monitor.bridges"  # the key of the bridges in the view's cache

REASONS: dict[str, Text] = {
    "bridge.path": Text("{bridge} {node}: {path}", "{bridge} {node}: {path}"),
}


def view_bridges(view: View) -> list[Bridge]:
    """The nexus bridges of the reader's view (looked for once per view)."""
    found = view.cached.get(CACHED)
    if isinstance(found, list):
        return found
    result = bridges(view, BRIDGE_LENGTH, BRIDGE_LIMIT)
    view.cached[CACHED] = result
    return result


def group_facts(conn: Connection, principal: Principal, entity_id: str) -> GroupFacts:
    """The facts about the group ``entity_id`` that ``principal`` may read: the nexus bridges
    touching it (as an alliance or broker's end, or on the path), whether it carries a
    criminal and a terrorist topic and in which datasets. An entity the user sees nothing
    of gives empty facts."""
    view = current_view(conn, visibility(conn, principal))
    canonical = merged_into(conn, [entity_id]).get(entity_id, entity_id)
    node = view.graph.index.get(canonical)
    if node is None or not view.node_visible[node]:
        return GroupFacts()
    touching = [b for b in view_bridges(view) if _touches(b, node)]
    kinds = _topic_datasets(view, node)
    return GroupFacts(
        nexus_bridges=len(touching),
        bridge_evidence=tuple(_describe(view, b) for b in touching[:EVIDENCE_MAX]),
        in_criminal_data=bool(kinds[CRIME]),
        on_terrorism_list=bool(kinds[TERROR]),
        datasets=_datasets(view, node),
    )


def _touches(bridge: Bridge, node: int) -> bool:
    return node in bridge.path or node in (bridge.crime_cluster, bridge.terror_cluster)


def _topic_datasets(view: View, node: int) -> dict[str, set[str]]:
    """The datasets whose readable statements give the node a criminal or terrorist topic."""
    groups = declarations()["groups"]
    wanted = {TERROR: set(groups[TERROR]), CRIME: set(groups[CRIME])}
    found: dict[str, set[str]] = {CRIME: set(), TERROR: set()}
    for topic, vis in view.graph.topics[node]:
        if not view.readable_classes[vis]:
            continue
        for kind, topics in wanted.items():
            if topic in topics:
                found[kind].add(view.graph.classes[vis].dataset)
    return found


def _datasets(view: View, node: int) -> tuple[str, ...]:
    """The datasets that hold the node, of those the reader may read."""
    graph = view.graph
    readable = view.readable_classes
    return tuple(sorted({graph.classes[c].dataset for c in graph.presence[node] if readable[c]}))


def _describe(view: View, bridge: Bridge) -> Reason:
    """The bridge's kind and its path by entity ids."""
    ids = view.graph.ids
    path = " → ".join(ids[n] for n in bridge.path)
    return Reason("bridge.path", {"bridge": bridge.kind, "node": ids[bridge.node], "path": path})
