"""What a caller may see unmasked: their approved unmask requests that have not expired,
resolved to the rows and entities they cover.

* an entity: its statements in the request's dataset, and its traveller rows there;
* a traveller: the row and the person it is (its statements in the traveller's dataset,
  and so the person's rows on other flights there);
* a booking: the booking and its versions, its travellers and their persons.

A grant on a person covers the identity documents it holds (Passport and Identification
entities whose ``holder`` it is, in the same dataset), which are entities of their own.

A grant belongs to the requester alone: nobody else's read uses it.
"""

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Connection, select

from rasid.access.registry import list_datasets
from rasid.model.registry import Dataset
from rasid.model.retention import Period, get_retention_class
from rasid.retention.mask import Grants, Masking
from rasid.store.chunks import chunks
from rasid.store.tables import statement, traveller, unmask_request

APPROVED = "approved"


def mask_periods(conn: Connection, datasets: Iterable[Dataset] | None = None) -> dict[str, Period]:
    """The mask period of each dataset (all, or those given) whose retention class masks."""
    periods = {}
    for found in list_datasets(conn) if datasets is None else datasets:
        period = get_retention_class(found.retention_class).mask_after
        if period is not None:
            periods[found.name] = period
    return periods


def masking_for(
    conn: Connection, user: str | None, now: datetime, periods: dict[str, Period] | None = None
) -> Masking:
    """The masking of a read by ``user`` (None: nobody's grants, e.g. the command line)
    at ``now``; ``periods`` when the caller has them (the policy remembers them)."""
    grants = active_grants(conn, user, now) if user else Grants()
    return Masking(now.date(), mask_periods(conn) if periods is None else periods, grants)


def operator_masking(conn: Connection, today: date) -> Masking:
    """The masking of the command line: no grants."""
    return Masking(today, mask_periods(conn))


def active_grants(conn: Connection, user: str, now: datetime) -> Grants:
    """The grants of ``user``'s approved requests that expire after ``now``."""
    rows = conn.execute(
        select(
            unmask_request.c.id,
            unmask_request.c.target_kind,
            unmask_request.c.target_id,
            unmask_request.c.dataset,
        )
        .where(
            unmask_request.c.requested_by == user,
            unmask_request.c.status == APPROVED,
            unmask_request.c.expires_at > now,
        )
        .order_by(unmask_request.c.id)
    ).all()
    if not rows:
        return Grants()
    entities: dict[tuple[str, str], int] = {}
    bookings: dict[str, int] = {}
    travellers: dict[str, int] = {}
    for row in rows:
        if row.target_kind == "entity":
            entities.setdefault((row.target_id, row.dataset), row.id)
        elif row.target_kind == "booking":
            bookings.setdefault(row.target_id, row.id)
        else:
            travellers.setdefault(row.target_id, row.id)
    _add_people(conn, entities, travellers, bookings)
    _add_documents(conn, entities)
    targets = {row.id: f"{row.target_kind}:{row.target_id}" for row in rows}
    return Grants(entities, bookings, travellers, targets)


def _add_people(
    conn: Connection,
    entities: dict[tuple[str, str], int],
    travellers: dict[str, int],
    bookings: dict[str, int],
) -> None:
    """The persons of granted travellers and of the travellers of granted bookings."""
    query = select(
        traveller.c.id, traveller.c.booking_id, traveller.c.entity_id, traveller.c.dataset
    )
    found = conn.execute(
        query.where(
            traveller.c.id.in_(list(travellers)) | traveller.c.booking_id.in_(list(bookings))
        )
    )
    for row in found:
        grant = travellers.get(row.id) or bookings.get(row.booking_id or "")
        if grant is not None:
            entities.setdefault((row.entity_id, row.dataset), grant)


def _add_documents(conn: Connection, entities: dict[tuple[str, str], int]) -> None:
    """The identity documents the granted persons hold, in the same dataset."""
    people = sorted({entity_id for entity_id, _ in entities})
    for chunk in chunks(people):
        query = select(statement.c.entity_id, statement.c.dataset, statement.c.value).where(
            statement.c.prop == "holder", statement.c.value.in_(chunk)
        )
        for row in conn.execute(query):
            grant = entities.get((row.value, row.dataset))
            if grant is not None:
                entities.setdefault((row.entity_id, row.dataset), grant)
