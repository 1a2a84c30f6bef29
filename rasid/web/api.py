"""The JSON API under /api. Each route's docstring is its entry in the API documentation."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

import rasid
from rasid.store.migrate import current_revision, head_revision
from rasid.web import views
from rasid.web.deps import Readable, StoreDep, Uow
from rasid.web.models import (
    AgencyOut,
    DatasetOut,
    EntityDetail,
    EntityPage,
    ErrorOut,
    Health,
    Stats,
)

router = APIRouter(prefix="/api")

MAX_LIMIT = 500
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size, 1 to 500")]
Offset = Annotated[int, Query(ge=0, description="How many results to skip")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such entity readable by the caller"}
}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut, "description": "Invalid parameter (e.g. unknown schema)"}
}


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
    responses=INVALID,
)
def entities(
    uow: Uow,
    readable: Readable,
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
    """
    return views.find_entities(uow.conn, readable, q, schema, limit, offset)


@router.get(
    "/entities/{entity_id:path}",
    response_model=EntityDetail,
    tags=["entities"],
    summary="One entity with provenance",
    responses=NOT_FOUND,
)
def entity(entity_id: str, uow: Uow, readable: Readable) -> EntityDetail:
    """Return one entity and, in `statements`, every value with its provenance: the dataset
    and the agency that owns it, when it was first and last seen, its TLP marking and
    handling conditions, the source and information grades with their labels on the
    configured evaluation scale, the legal basis, and the retention class with the dates
    after which it is masked and deleted.

    Answers 404 when no statement of the entity is readable by the caller.
    """
    return views.entity_detail(uow.conn, readable, entity_id)


@router.get("/datasets", response_model=list[DatasetOut], tags=["registry"], summary="Datasets")
def datasets(uow: Uow, readable: Readable) -> list[DatasetOut]:
    """List the datasets the caller may read, with the owning agency, purpose, legal basis,
    default marking and retention class, and how many entities, statements and quarantined
    records each holds."""
    return views.datasets(uow.conn, readable)


@router.get("/agencies", response_model=list[AgencyOut], tags=["registry"], summary="Agencies")
def agencies(uow: Uow, readable: Readable) -> list[AgencyOut]:
    """List the agencies of the federation, with how many of each one's datasets the caller
    may read."""
    return views.agencies(uow.conn, readable)


@router.get("/stats", response_model=Stats, tags=["registry"], summary="Statistics")
def stats(uow: Uow, readable: Readable) -> Stats:
    """Count what the caller's readable datasets hold: entities by schema, statements,
    datasets, and records quarantined by imports."""
    return views.stats(uow.conn, readable)
