"""What the API and the command line call: one function per question, each answering in
the shape of ``rasid.graph.answer`` from the reader's view of the current graph."""

import json
from typing import Any

from sqlalchemy import Connection

from rasid.graph import analysis
from rasid.graph.answer import ftm_lines, graphml, render
from rasid.graph.cache import current_view
from rasid.graph.errors import GraphError
from rasid.store.visibility import Readable


def neighbours(
    conn: Connection,
    readable: Readable,
    entity: str,
    depth: int = 1,
    types: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = analysis.MAX_NODES,
) -> dict[str, Any]:
    """The entity's neighbourhood (``analysis.neighbours``)."""
    flt = analysis.Filter(
        frozenset(types) if types else None,
        analysis.check_day(since, "since"),
        analysis.check_day(until, "until"),
    )
    view = current_view(conn, readable)
    return render(view, analysis.neighbours(view, entity, depth, flt, limit), readable)


def paths(
    conn: Connection, readable: Readable, source: str, target: str, max_length: int = 4, k: int = 3
) -> dict[str, Any]:
    """Shortest paths between two entities (``analysis.paths``)."""
    view = current_view(conn, readable)
    return render(view, analysis.paths(view, source, target, max_length, k), readable)


def communities(
    conn: Connection, readable: Readable, community: int | None = None
) -> dict[str, Any]:
    """The largest communities, or one (``analysis.communities``)."""
    view = current_view(conn, readable)
    return render(view, analysis.communities(view, community), readable)


def centrality(
    conn: Connection, readable: Readable, measure: str = "degree", limit: int = 50
) -> dict[str, Any]:
    """The most central entities (``analysis.centrality``)."""
    view = current_view(conn, readable)
    return render(view, analysis.centrality(view, measure, limit), readable)


def timeline(
    conn: Connection, readable: Readable, entity: str | None = None, community: int | None = None
) -> dict[str, Any]:
    """Dated links of an entity or a community (``analysis.timeline``)."""
    view = current_view(conn, readable)
    return render(view, analysis.timeline(view, entity, community), readable)


def bridges(
    conn: Connection, readable: Readable, max_length: int = 2, limit: int = 50
) -> dict[str, Any]:
    """Nexus bridges (``analysis.nexus``)."""
    view = current_view(conn, readable)
    return render(view, analysis.nexus(view, max_length, limit), readable)


def export(
    conn: Connection, readable: Readable, entity: str, depth: int = 1, fmt: str = "graphml"
) -> str:
    """The entity's neighbourhood as GraphML, or as FtM JSON lines (``fmt`` "ftm")."""
    answer = neighbours(conn, readable, entity, depth)
    if fmt == "graphml":
        return graphml(answer)
    if fmt == "ftm":
        lines = ftm_lines(conn, answer, readable)
        return "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in lines)
    raise GraphError("format must be graphml or ftm", arabic="يجب أن تكون الصيغة graphml أو ftm")
