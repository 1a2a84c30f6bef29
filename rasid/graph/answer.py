"""The one shape of every graph answer, and the exports (GraphML, FtM JSON lines).

``{"nodes": [{"id", "label", "schema", "datasets", "agencies", "community", "group"}],
"edges": [{"id", "source", "target", "type", "label", "start", "end", "evidence":
[{"entity_id" | "value", "dataset", "prop", "statement_id"}]}], ...}`` plus the keys of the
question (``paths``, ``bridges``, ``communities``, ``ranking``, ``timeline``,
``truncated``). Only what the reader may read is in it: the evidence of the proofs they
may read, each node's names and datasets from the statements they may read, masked as
retention says.
"""

from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree as ET

from followthemoney import model
from sqlalchemy import Connection

from rasid.graph.analysis import Subgraph, membership, path_edges
from rasid.graph.cache import View
from rasid.graph.model import Edge, Label
from rasid.graph.nexus import Bridge, clusters
from rasid.model.markings import Marking
from rasid.model.statement import RasidStatement
from rasid.store.entities import get_entities
from rasid.store.visibility import Readable, masker

GRAPHML = "http://graphml.graphdrawing.org/xmlns"


def render(view: View, found: Subgraph, readable: Readable) -> dict[str, Any]:
    """The JSON answer for ``found``."""
    member_of = membership(view)
    groups = clusters(view)
    nodes = [node_json(view, n, readable, member_of, groups.group(n)) for n in found.nodes]
    answer: dict[str, Any] = {
        "nodes": nodes,
        "edges": [edge_json(view, e) for e in found.edges],
        **found.extra,
    }
    if "bridges" in found.extra:
        answer["bridges"] = [_bridge_json(view, b) for b in found.bridges]
    return answer


def node_json(
    view: View, node: int, readable: Readable, member_of: list[int], group: str | None
) -> dict[str, Any]:
    """One node as the reader sees it."""
    graph = view.graph
    ok = view.readable_classes
    datasets = sorted({graph.classes[c].dataset for c in graph.presence[node] if ok[c]})
    community = member_of[node] if node < len(member_of) else -1
    return {
        "id": graph.ids[node],
        "label": _label(view, node, readable),
        "schema": graph.schemata[node],
        "datasets": datasets,
        "agencies": sorted({graph.agencies[d] for d in datasets if d in graph.agencies}),
        "community": community if community >= 0 else None,
        "group": group,
    }


def _label(view: View, node: int, readable: Readable) -> str:
    """The first name the reader may read, masked when its mask date has come."""
    graph = view.graph
    for label in graph.labels[node]:
        if view.readable_classes[label.vis]:
            return _shown(view, node, label, readable)
    return view.labels.get(node, graph.ids[node])


def _shown(view: View, node: int, label: Label, readable: Readable) -> str:
    masking = masker(readable)
    if masking is None or label.mask_after is None or label.mask_after > masking.today:
        return label.value
    cls = view.graph.classes[label.vis]
    entity_id = view.graph.ids[node]
    stmt = RasidStatement(
        entity_id,
        label.prop,
        view.graph.schemata[node],
        label.value,
        cls.dataset,
        canonical_id=entity_id,
        marking=Marking(cls.marking) if cls.marking else Marking.AMBER,
        mask_after=label.mask_after,
    )
    return str(masking.statement(stmt).value)


def edge_json(view: View, index: int) -> dict[str, Any]:
    """One edge with the evidence the reader may read."""
    edge: Edge = view.graph.edges[index]
    ids = view.graph.ids
    evidence = []
    for i in view.visible_items(index):
        item = edge.items[i]
        key = "entity_id" if item.kind == "entity" else "value"
        evidence.append(
            {
                key: item.ref,
                "dataset": item.dataset,
                "prop": item.prop,
                "statement_id": item.statement_id,
            }
        )
    return {
        "id": edge.id,
        "source": ids[edge.source],
        "target": ids[edge.target],
        "type": edge.type,
        "label": edge.label,
        "start": edge.start,
        "end": edge.end,
        "evidence": evidence,
    }


def _bridge_json(view: View, bridge: Bridge) -> dict[str, Any]:
    ids = view.graph.ids
    evidence = [
        {"edge": view.graph.edges[e].id, **ev}
        for e in path_edges(view, list(bridge.path))
        for ev in edge_json(view, e)["evidence"]
    ]
    return {
        "entity_id": ids[bridge.node],
        "kind": bridge.kind,
        "path": [ids[n] for n in bridge.path],
        "crime_cluster": ids[bridge.crime_cluster],
        "terror_cluster": ids[bridge.terror_cluster],
        "evidence": evidence,
    }


def graphml(answer: dict[str, Any]) -> str:
    """An answer as GraphML (node and edge attributes as GraphML keys)."""
    ET.register_namespace("", GRAPHML)
    root = ET.Element(f"{{{GRAPHML}}}graphml")
    keys = {
        "node": ("label", "schema", "datasets", "agencies", "community", "group"),
        "edge": ("type", "label", "start", "end", "evidence"),
    }
    for kind, names in keys.items():
        for name in names:
            _key(root, kind, name)
    graph = ET.SubElement(root, f"{{{GRAPHML}}}graph", id="rasid", edgedefault="directed")
    for node in answer["nodes"]:
        element = ET.SubElement(graph, f"{{{GRAPHML}}}node", id=node["id"])
        _data(element, "node", node, keys["node"])
    for edge in answer["edges"]:
        element = ET.SubElement(
            graph,
            f"{{{GRAPHML}}}edge",
            id=edge["id"],
            source=edge["source"],
            target=edge["target"],
        )
        _data(element, "edge", edge, keys["edge"])
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _key(root: ET.Element, kind: str, name: str) -> None:
    attrs = {"id": f"{kind}_{name}", "for": kind, "attr.name": name, "attr.type": "string"}
    ET.SubElement(root, f"{{{GRAPHML}}}key", attrs)


def _data(element: ET.Element, kind: str, values: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        value = values.get(name)
        if value is None or value == []:
            continue
        if isinstance(value, list):
            value = "; ".join(
                str(v) if not isinstance(v, dict) else " ".join(f"{k}={x}" for k, x in v.items())
                for v in value
            )
        data = ET.SubElement(element, f"{{{GRAPHML}}}data", key=f"{kind}_{name}")
        data.text = str(value)


def ftm_lines(
    conn: Connection, answer: dict[str, Any], readable: Readable
) -> Iterator[dict[str, Any]]:
    """An answer as FtM entities: its nodes and relationship entities as the reader sees
    them, and each shared-pivot link as an ``UnknownLink`` whose role says what is shared."""
    relationship_ids = sorted(
        {ev["entity_id"] for e in answer["edges"] for ev in e["evidence"] if "entity_id" in ev}
    )
    node_ids = [n["id"] for n in answer["nodes"]]
    for entity in get_entities(conn, node_ids + relationship_ids, readable):
        if entity.schema.name in ("Trip", "Address") and entity.id not in node_ids:
            continue
        yield entity.to_dict()
    for edge in answer["edges"]:
        if model.get(edge["type"]) is None:
            yield {
                "id": edge["id"],
                "schema": "UnknownLink",
                "properties": {
                    "subject": [edge["source"]],
                    "object": [edge["target"]],
                    "role": [edge["label"]],
                    **({"startDate": [edge["start"]]} if edge["start"] else {}),
                    **({"endDate": [edge["end"]]} if edge["end"] else {}),
                },
            }
