"""Link analysis, JSON under /api/graph. Every answer has the shape of
``rasid.graph.answer``: ``nodes`` and ``edges`` (each edge with its evidence), plus the
question's own keys. Every read needs the `read` scope and a purpose, and goes to the
audit log with the entities and datasets it returned."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from rasid.access.accounts import Scope
from rasid.access.policy import Principal, record
from rasid.graph import service
from rasid.graph.errors import UnknownNode
from rasid.retention.unmask import record_unmasked
from rasid.store import UnitOfWork
from rasid.store.visibility import Visibility
from rasid.web.deps import ApiPurpose, Caller, Readable, Uow, scoped
from rasid.web.models import ErrorOut, signed_in

router = APIRouter(prefix="/api/graph", tags=["graph"])
READ = [scoped(Scope.READ)]
RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such entity readable by the caller"},
    422: {"model": ErrorOut, "description": "Invalid parameter, or no purpose"},
    **signed_in(),
}
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    **RESPONSES,
    200: {"content": {"application/xml": {}, "application/x-ndjson": {}}},
}
Entity = Annotated[str, Query(description="An entity's (canonical) id")]


class Evidence(BaseModel):
    """A statement behind a link: a relationship entity's property or a shared value."""

    model_config = ConfigDict(extra="allow")
    dataset: str
    prop: str
    statement_id: str
    entity_id: str | None = None
    value: str | None = None


class Link(BaseModel):
    """A link: its type (an FtM relationship schema, or a pivot: phone, email, address,
    account, document, travel), label, dates and evidence."""

    id: str
    source: str
    target: str
    type: str
    label: str
    start: str | None
    end: str | None
    evidence: list[Evidence]


class GraphOut(BaseModel):
    """Nodes and links, plus what the question adds (``paths``, ``bridges``,
    ``communities``, ``ranking``, ``timeline``, ``truncated``...)."""

    model_config = ConfigDict(extra="allow")
    nodes: list[dict[str, Any]]  # id, label, schema, datasets, agencies, community, group
    edges: list[Link]


def _answer(
    uow: UnitOfWork,
    caller: Principal,
    readable: Visibility,
    purpose: str,
    action: str,
    target: str,
    ask: Any,
) -> dict[str, Any] | JSONResponse:
    """Ask, record the read (found or not) in the audit log, answer."""
    try:
        answer: dict[str, Any] = ask()
    except UnknownNode as exc:  # answered, not raised, so that the record commits
        record(uow.conn, caller, action, target, purpose, outcome="not_found")
        return JSONResponse({"detail": str(exc)}, status_code=404)
    ids = [n["id"] for n in answer["nodes"]]
    datasets = sorted({d for n in answer["nodes"] for d in n["datasets"]})
    record(uow.conn, caller, action, target, purpose, entities=ids[:500], datasets=datasets)
    record_unmasked(uow.conn, caller, readable, purpose)
    return answer


@router.get("/neighbours", response_model=GraphOut, responses=RESPONSES, dependencies=READ)
def neighbours(
    uow: Uow,
    caller: Caller,
    readable: Readable,
    purpose: ApiPurpose,
    entity: Entity,
    depth: Annotated[int, Query(ge=1, le=3, description="Links away, 1 to 3")] = 1,
    types: Annotated[str | None, Query(description="Link types, comma-separated")] = None,
    since: Annotated[str | None, Query(description="Links dated on or after (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, Query(description="Links dated on or before (YYYY-MM-DD)")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many nodes")] = 500,
) -> Any:
    """Expand an entity: the entities within `depth` links of it and every link between
    them, only through links of the given `types` (e.g. `Membership,Payment,phone`) and,
    when `since` or `until` is given, dated within that range (undated links left out).
    `truncated` says whether `limit` cut the answer short.

    Only links whose evidence the caller may read are followed, between entities the caller
    may read. 404 when the entity is not readable by the caller."""
    kinds = [t.strip() for t in types.split(",") if t.strip()] if types else None
    return _answer(
        uow,
        caller,
        readable,
        purpose,
        "graph.neighbours",
        entity,
        lambda: service.neighbours(uow.conn, readable, entity, depth, kinds, since, until, limit),
    )


@router.get("/paths", response_model=GraphOut, responses=RESPONSES, dependencies=READ)
def paths(
    uow: Uow,
    caller: Caller,
    readable: Readable,
    purpose: ApiPurpose,
    source: Entity,
    target: Entity,
    max_length: Annotated[int, Query(ge=1, le=6, description="Longest path, in links")] = 4,
    k: Annotated[int, Query(ge=0, le=10, description="Paths wanted; 0: all shortest")] = 3,
) -> Any:
    """Shortest paths between two entities: up to `k` paths, fewest links first, none
    longer than `max_length` (`k` = 0: every shortest path). `paths` lists each as node
    ids; `nodes` and `edges` hold the entities and links on them."""
    return _answer(
        uow,
        caller,
        readable,
        purpose,
        "graph.paths",
        f"{source}|{target}",
        lambda: service.paths(uow.conn, readable, source, target, max_length, k),
    )


@router.get("/communities", response_model=GraphOut, responses=RESPONSES, dependencies=READ)
def communities(
    uow: Uow,
    caller: Caller,
    readable: Readable,
    purpose: ApiPurpose,
    community: Annotated[int | None, Query(ge=0, description="One community's number")] = None,
) -> Any:
    """Communities (Leiden, on the links the caller may read): without `community`, the
    largest ones in `communities` (size, members in criminal and terrorist clusters, best
    connected members); with it, that community's members and links."""
    return _answer(
        uow,
        caller,
        readable,
        purpose,
        "graph.communities",
        str(community or ""),
        lambda: service.communities(uow.conn, readable, community),
    )


@router.get("/centrality", response_model=GraphOut, responses=RESPONSES, dependencies=READ)
def centrality(
    uow: Uow,
    caller: Caller,
    readable: Readable,
    purpose: ApiPurpose,
    measure: Annotated[str, Query(description="degree, betweenness or pagerank")] = "degree",
    limit: Annotated[int, Query(ge=1, le=500, description="How many entities")] = 50,
) -> Any:
    """The most central entities by `measure` (`ranking`: entity id and score): degree,
    betweenness (counted on paths of up to 4 links) or PageRank."""
    return _answer(
        uow,
        caller,
        readable,
        purpose,
        "graph.centrality",
        measure,
        lambda: service.centrality(uow.conn, readable, measure, limit),
    )


@router.get("/timeline", response_model=GraphOut, responses=RESPONSES, dependencies=READ)
def timeline(
    uow: Uow,
    caller: Caller,
    readable: Readable,
    purpose: ApiPurpose,
    entity: Annotated[str | None, Query(description="An entity's id")] = None,
    community: Annotated[int | None, Query(ge=0, description="Or a community's number")] = None,
) -> Any:
    """The dated links of an entity (or within a community), oldest first, in `timeline`
    (`edge`, `start`, `end`)."""
    return _answer(
        uow,
        caller,
        readable,
        purpose,
        "graph.timeline",
        entity or str(community or ""),
        lambda: service.timeline(uow.conn, readable, entity, community),
    )


@router.get("/bridges", response_model=GraphOut, responses=RESPONSES, dependencies=READ)
def bridges(
    uow: Uow,
    caller: Caller,
    readable: Readable,
    purpose: ApiPurpose,
    max_length: Annotated[int, Query(ge=1, le=4, description="Longest path, in links")] = 2,
) -> Any:
    """Nexus bridges between criminal and terrorist groups (groups known by their FtM
    topics, clusters of their members). `bridges` lists each with `entity_id`, `kind`
    (`alliance`: in both or directly linked; `broker`: outside both, on a path of at most
    `max_length` links from one to the other), the `path`, the two clusters' group ids and
    the evidence of every link on the path."""
    return _answer(
        uow,
        caller,
        readable,
        purpose,
        "graph.bridges",
        "",
        lambda: service.bridges(uow.conn, readable, max_length),
    )


@router.get(
    "/export",
    responses=EXPORT_RESPONSES,
    dependencies=READ,
)
def export(
    uow: Uow,
    caller: Caller,
    readable: Readable,
    purpose: ApiPurpose,
    entity: Entity,
    depth: Annotated[int, Query(ge=1, le=3, description="Links away, 1 to 3")] = 1,
    format: Annotated[str, Query(pattern="^(graphml|ftm)$", description="graphml or ftm")] = (
        "graphml"
    ),
) -> Response:
    """An entity's neighbourhood (as `neighbours` answers it) as GraphML, or as FtM JSON
    lines: the entities and relationship entities the caller may read, and each shared
    value as an `UnknownLink` whose role says what is shared."""
    try:
        text = service.export(uow.conn, readable, entity, depth, format)
    except UnknownNode as exc:
        record(uow.conn, caller, "graph.export", entity, purpose, outcome="not_found")
        return JSONResponse({"detail": str(exc)}, status_code=404)
    record(uow.conn, caller, "graph.export", entity, purpose, format=format, depth=depth)
    record_unmasked(uow.conn, caller, readable, purpose)
    media = "application/xml" if format == "graphml" else "application/x-ndjson"
    return Response(text, media_type=media)
