"""The JSON API under /api. Each route's docstring is its entry in the API documentation."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

import rasid
from rasid.access.accounts import Scope
from rasid.store.migrate import current_revision, head_revision
from rasid.web import views
from rasid.web.deps import ApiPurpose, Caller, Readable, StoreDep, Uow, scoped
from rasid.web.errors import NotFound
from rasid.web.models import (
    MAX_OFFSET,
    AgencyOut,
    DatasetOut,
    EntityDetail,
    EntityPage,
    ErrorOut,
    Health,
    Stats,
    signed_in,
)

router = APIRouter(prefix="/api")

MAX_LIMIT = 500
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size, 1 to 500")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many results to skip")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such entity readable by the caller"}
}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {
        "model": ErrorOut,
        "description": "Invalid parameter (e.g. unknown schema), or no purpose",
    }
}
SIGNED_IN = signed_in()
READ = [scoped(Scope.READ)]


@router.get("/health", response_model=Health, tags=["service"], summary="Service health")
def health(store: StoreDep, response: Response) -> Health:
    """Report whether the service can answer: Rasid's version, the database dialect and
    whether the database is at the newest migration.

    Answers 503 (with the same body) when the database needs `rasid init`.
    """
    current, head = current_revision(store.engine), head_revision()
    ok = current == head
    if not ok:
        response.status_code = 503
    return Health(
        status="ok" if ok else "unavailable",
        version=rasid.__version__,
        database=store.dialect,
        revision=current,
        head=head,
        migrations_ok=ok,
    )


@router.get(
    "/entities",
    response_model=EntityPage,
    tags=["entities"],
    summary="Search or list entities",
    responses=INVALID | SIGNED_IN,
    dependencies=READ,
)
def entities(
    uow: Uow,
    caller: Caller,
    readable: Readable,
    purpose: ApiPurpose,
    q: Annotated[str | None, Query(description="Name to search for (any script)")] = None,
    schema: Annotated[str | None, Query(description="FtM schema, e.g. Person")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> EntityPage:
    """Search entities by name when `q` is given, best matches first; otherwise list them by id.

    The name search is full text over every name-typed value, normalised on both sides:
    Arabic diacritics (harakat, shadda), tatweel and letter variants (alef forms, ta marbuta,
    alef maqsura) and Latin case and accents are folded, so `محمد`, `مُحَمَّد` and `محمّد`
    find each other. Each word of `q` matches as a prefix.

    `schema` keeps entities of that FtM schema and its descendants (`LegalEntity` includes
    `Person` and `Organization`). Pages carry no total: follow `next_offset` until it is null.

    Needs the `read` scope and a purpose (the `X-Rasid-Purpose` header or `purpose`); the
    search, its purpose and the ids returned go to the audit log.
    """
    return views.search_entities(uow.conn, caller, readable, purpose, q, schema, limit, offset)


@router.get(
    "/entities/{entity_id:path}",
    response_model=EntityDetail,
    tags=["entities"],
    summary="One entity with provenance",
    responses=NOT_FOUND | INVALID | SIGNED_IN,
    dependencies=READ,
)
def entity(
    entity_id: str, uow: Uow, caller: Caller, readable: Readable, purpose: ApiPurpose
) -> EntityDetail | JSONResponse:
    """Return one entity and, in `statements`, every value with its provenance: the dataset
    and the agency that owns it, when it was first and last seen, its TLP marking and
    handling conditions, the source and information grades with their labels on the
    configured evaluation scale, the legal basis, and the retention class with the dates
    after which it is masked and deleted.

    Only statements the caller may read are returned: their agency's, and those of datasets
    shared with it (without TLP:RED ones). Needs the `read` scope and a purpose; every
    read, found or not, goes to the audit log with its purpose.

    Answers 404 when no statement of the entity is readable by the caller.
    """
    found = views.read_entity(uow.conn, caller, readable, entity_id, purpose)
    if isinstance(found, NotFound):  # answered, not raised, so that the record commits
        return JSONResponse({"detail": str(found)}, status_code=404)
    return found


@router.get(
    "/datasets",
    response_model=list[DatasetOut],
    tags=["registry"],
    summary="Datasets",
    responses=SIGNED_IN,
)
def datasets(uow: Uow, caller: Caller, readable: Readable) -> list[DatasetOut]:
    """List the datasets the caller may read, with the owning agency, purpose, legal basis,
    default marking and retention class, and how many entities, statements and quarantined
    records each holds."""
    return views.datasets(uow.conn, readable)


@router.get(
    "/agencies",
    response_model=list[AgencyOut],
    tags=["registry"],
    summary="Agencies",
    responses=SIGNED_IN,
)
def agencies(uow: Uow, caller: Caller, readable: Readable) -> list[AgencyOut]:
    """List the agencies of the federation, with how many of each one's datasets the caller
    may read."""
    return views.agencies(uow.conn, readable)


@router.get(
    "/stats", response_model=Stats, tags=["registry"], summary="Statistics", responses=SIGNED_IN
)
def stats(uow: Uow, caller: Caller, readable: Readable) -> Stats:
    """Count what the caller's readable datasets hold: entities by schema, statements,
    datasets, and records quarantined by imports."""
    return views.stats(uow.conn, readable)
