"""Retention in the JSON API under /api/retention: where retention stands, its runs, a run
now, and requests to see masked (depersonalised) data again with a supervisor's decision.

Personal data past its mask date is shown masked on every read; seeing it again takes a
request (with a reason), a supervisor's approval (of the agency owning the data, never the
requester's own) and lasts RASID_UNMASK_HOURS for the requester alone. Each step and each
read that used an approval is in the audit log. Errors reach HTTP through the one table in
``rasid.web.errors``: an unknown request is 404, a refused one 422, a decision by someone
who may not take it 403.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from rasid.access.accounts import Scope
from rasid.access.policy import require
from rasid.retention.errors import RetentionError
from rasid.retention.run import RetentionReport, run_retention
from rasid.retention.status import (
    DatasetRetention,
    RunRecord,
    dataset_status,
    list_runs,
    watched_datasets,
)
from rasid.retention.unmask import (
    KINDS,
    UnmaskRequest,
    UnmaskStatus,
    decide_unmask,
    get_request,
    list_requests,
    read_travel_target,
    record_unmasked,
    request_unmask,
    to_decide,
)
from rasid.settings import get_settings
from rasid.web import views
from rasid.web.deps import ApiPurpose, Caller, Now, Readable, StoreDep, Uow
from rasid.web.errors import NotFound
from rasid.web.models import MAX_ID, MAX_OFFSET, EntityDetail, ErrorOut, signed_in

router = APIRouter(prefix="/api/retention", tags=["retention"], responses=signed_in())

RequestId = Annotated[int, Path(ge=1, le=MAX_ID, description="The request's number")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such request the caller made or decides on"}
}
REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut, "description": "Not possible as asked (the message says why)"}
}


class PeriodOut(BaseModel):
    """A retention period: years and months on the calendar, then days."""

    years: int = 0
    months: int = 0
    days: int = 0


class NextOut(BaseModel):
    """The next day something happens to a dataset's statements, and to how many."""

    day: date | None = Field(description="null: nothing is due later")
    statements: int


class DatasetRetentionOut(BaseModel):
    """One dataset's retention as of the day asked."""

    dataset: str
    agency: str
    retention_class: str
    label: str
    label_ar: str
    mask_after: PeriodOut | None = Field(description="Masked this long after receipt (null: never)")
    delete_after: PeriodOut | None = Field(description="Deleted this long after (null: never)")
    statements: int
    masked_statements: int = Field(description="Identifying values shown masked now")
    due_statements: int = Field(description="Past their delete date: the next run deletes them")
    next_mask: NextOut
    next_delete: NextOut
    travel_masked: dict[str, int] = Field(description="Travel rows shown masked, per table")
    travel_due: dict[str, int] = Field(
        description="Travel rows past the delete period, per table (the next run deletes them "
        "unless a screening hit needs them)"
    )


class RunOut(BaseModel):
    """A retention run as recorded: as of which day, by whom, and rows per table."""

    id: int
    as_of: date
    actor: str
    started_at: datetime
    finished_at: datetime | None = Field(
        description="When it ended (null while it runs, or if it stopped before the end)"
    )
    masked: int = Field(description="Rows shown masked as of the run's day")
    deleted: int = Field(description="Rows deleted (kept up to date while it runs)")
    counts: dict[str, Any] = Field(description="deleted, kept (for a screening hit), masked")
    error: str | None = Field(default=None, description="Why the run failed, if it did")


class StatusOut(BaseModel):
    """Where retention stands as of today, per dataset, and the latest runs."""

    as_of: date
    datasets: list[DatasetRetentionOut]
    runs: list[RunOut]


class RunIn(BaseModel):
    """A run now (as of today)."""

    dry_run: bool = Field(default=False, description="Count what a run would do; change nothing")


class ReportOut(BaseModel):
    """What a run did (or, dry, would do): rows per table."""

    as_of: date
    actor: str
    run_id: int | None = Field(description="The run's number (null for a dry run)")
    dry_run: bool
    deleted: dict[str, int]
    kept: dict[str, int] = Field(description="Due but kept: a screening hit needs them")
    masked: dict[str, int]


class Decision(StrEnum):
    """A supervisor's decision on a request."""

    APPROVE = "approve"
    REFUSE = "refuse"


class UnmaskIn(BaseModel):
    """A request to see a masked target again."""

    target_kind: str = Field(description=f"One of {', '.join(KINDS)}")
    target_id: str = Field(min_length=1, max_length=255)
    dataset: str | None = Field(
        default=None, description="For an entity masked in several datasets: which one"
    )
    reason: str = Field(min_length=1, max_length=2000, description="Why (required)")


class DecisionIn(BaseModel):
    """A supervisor's decision, with the reason."""

    decision: Decision
    reason: str = Field(min_length=1, max_length=2000, description="Why (required)")


class UnmaskOut(BaseModel):
    """A request to see masked data again, and the decision on it."""

    id: int
    target_kind: str
    target_id: str
    dataset: str
    agency: str = Field(description="The agency owning the data, whose supervisor decides")
    requested_by: str
    reason: str
    requested_at: datetime
    status: UnmaskStatus
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    expires_at: datetime | None = Field(description="An approval lasts until then")
    active: bool = Field(description="The approval lets the requester see the target now")


class UnmaskPage(BaseModel):
    """The caller's requests and those about their agency's data, newest first."""

    results: list[UnmaskOut]
    to_decide: list[int] = Field(description="Requests among them the caller may decide")
    next_offset: int | None


class UnmaskedOut(BaseModel):
    """A target as the requester sees it while the approval lasts."""

    request: UnmaskOut
    entity: EntityDetail | None = None
    booking: dict[str, Any] | None = None
    versions: list[dict[str, Any]] = Field(default_factory=list)
    travellers: list[dict[str, Any]] = Field(default_factory=list)
    traveller: dict[str, Any] | None = None


def dataset_out(found: DatasetRetention) -> DatasetRetentionOut:
    """The API form of a dataset's retention."""
    return DatasetRetentionOut.model_validate(found.to_dict())


def run_out(found: RunRecord) -> RunOut:
    """The API form of a recorded run."""
    return RunOut.model_validate(found.to_dict())


def unmask_out(found: UnmaskRequest, now: datetime) -> UnmaskOut:
    """The API form of a request."""
    return UnmaskOut.model_validate(found.to_dict(now))


@router.get("/status", response_model=StatusOut, summary="Where retention stands")
def status(uow: Uow, caller: Caller, now: Now) -> StatusOut:
    """Per dataset the caller follows (an administrator: all; a supervisor or data-protection
    officer: their agency's): its retention class and periods, how many statements and
    travel rows are shown masked now, how many are past their delete date (the next run
    deletes them), and the next day values are masked and deleted; with the latest runs.

    Needs the `retention` or the `audit` scope. Counts and dates only: no personal data.
    """
    datasets = watched_datasets(uow.conn, caller)
    found = dataset_status(uow.conn, now.date(), datasets)
    return StatusOut(
        as_of=now.date(),
        datasets=[dataset_out(d) for d in found],
        runs=[run_out(r) for r in list_runs(uow.conn, 10)],
    )


@router.get("/runs", response_model=list[RunOut], summary="Retention runs")
def runs(
    uow: Uow,
    caller: Caller,
    limit: Annotated[int, Query(ge=1, le=500, description="How many, newest first")] = 20,
) -> list[RunOut]:
    """The latest retention runs, newest first: as of which day, who ran them (a user, the
    command line, or `system:retention` for the daily schedule) and the rows deleted, kept
    for a screening hit and masked, per table. Needs the `retention` or `audit` scope."""
    watched_datasets(uow.conn, caller)
    return [run_out(r) for r in list_runs(uow.conn, limit)]


@router.post("/run", response_model=ReportOut, summary="Run retention now")
def run(body: RunIn, store: StoreDep, caller: Caller, now: Now) -> ReportOut:
    """Run retention as of today: delete what is past its delete date (less what a new,
    escalated or confirmed screening hit needs), in short batches that each commit whole,
    and record the run with its counts in `retention_run` and the audit log. Running it
    again the same day deletes nothing more. With `dry_run`, count only (in one
    transaction that is rolled back; on SQLite it holds the write lock while it counts).
    Needs the `retention` scope.
    """
    require(caller, Scope.RETENTION)
    report = run_retention(store, now.date(), caller.name, dry_run=body.dry_run)
    return _report_out(report)


def _report_out(report: RetentionReport) -> ReportOut:
    return ReportOut.model_validate(report.to_dict())


@router.post(
    "/unmask",
    response_model=UnmaskOut,
    status_code=201,
    summary="Ask to see masked data again",
    responses=REFUSED,
)
def unmask_request(
    body: UnmaskIn, uow: Uow, caller: Caller, readable: Readable, now: Now
) -> UnmaskOut:
    """Ask to see a masked entity, booking or traveller again, with a reason (required).

    The target must be masked now in a dataset the caller reads. A supervisor of the agency
    owning the data decides; until then, and after a refusal, it stays masked. The request
    is recorded in the audit log with its reason. Answers 422 when nothing of the target
    is masked, when an entity is masked in several datasets and `dataset` is missing, or
    when a request for it is pending or approved already.
    """
    target = (body.target_kind, body.target_id)
    found = request_unmask(uow.conn, caller, *target, body.reason, now, readable, body.dataset)
    return unmask_out(found, now)


@router.get("/unmask", response_model=UnmaskPage, summary="Requests to see masked data")
def unmask_requests(
    uow: Uow,
    caller: Caller,
    now: Now,
    status: Annotated[UnmaskStatus | None, Query(description="Only this status")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many to skip")] = 0,
) -> UnmaskPage:
    """The caller's own requests and, for a supervisor (the `retention` scope), those about
    their agency's data, newest first; `to_decide` names the pending ones the caller may
    approve or refuse. Follow `next_offset` until it is null."""
    found = list_requests(uow.conn, caller, status, limit + 1, offset)
    return UnmaskPage(
        results=[unmask_out(r, now) for r in found[:limit]],
        to_decide=[r.id for r in to_decide(found[:limit], caller)],
        next_offset=offset + limit if len(found) > limit else None,
    )


@router.get(
    "/unmask/{request_id}", response_model=UnmaskOut, summary="One request", responses=NOT_FOUND
)
def unmask_request_one(request_id: RequestId, uow: Uow, caller: Caller, now: Now) -> UnmaskOut:
    """One request with its decision. Answers 404 unless the caller made it or decides on
    it (a supervisor of the agency owning the data)."""
    return unmask_out(get_request(uow.conn, request_id, caller), now)


@router.post(
    "/unmask/{request_id}/decision",
    response_model=UnmaskOut,
    summary="Approve or refuse a request",
    responses=NOT_FOUND | REFUSED,
)
def unmask_decision(
    request_id: RequestId, body: DecisionIn, uow: Uow, caller: Caller, now: Now
) -> UnmaskOut:
    """Approve or refuse a pending request, with a reason (required). An approval lets the
    requester alone see the target unmasked for RASID_UNMASK_HOURS hours from now.

    Only a supervisor (the `retention` scope) of the agency owning the data decides, never
    on their own request (403 otherwise). Answers 422 for a request decided already. The
    decision is recorded in the audit log with its reason. A browser session sends its
    CSRF token in the `X-CSRF-Token` header.
    """
    get_request(uow.conn, request_id, caller)  # 404 for a request the caller may not see
    approve = body.decision is Decision.APPROVE
    hours = get_settings().unmask_hours
    found = decide_unmask(uow.conn, caller, request_id, approve, body.reason, now, hours)
    return unmask_out(found, now)


@router.get(
    "/unmask/{request_id}/data",
    response_model=UnmaskedOut,
    summary="See an approved target",
    responses=NOT_FOUND | REFUSED,
)
def unmasked_data(
    request_id: RequestId,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    purpose: ApiPurpose,
    now: Now,
) -> UnmaskedOut:
    """The target of the caller's approved request, unmasked while the approval lasts: an
    entity with every value's provenance, a booking with its versions and travellers, or a
    traveller. A purpose is required; the read is recorded in the audit log with it and
    with the request that allowed it. Answers 422 when the request is not the caller's or
    its approval is not active (pending, refused or expired).
    """
    found = get_request(uow.conn, request_id, caller)
    if found.requested_by != caller.name or not found.active(now):
        raise RetentionError(
            f"request {request_id} does not let you see its target now",
            arabic=f"الطلب {request_id} لا يتيح لك الاطلاع على موضوعه الآن",
        )
    if found.dataset not in readable:
        raise NotFound(f"{found.target} is in a dataset you no longer read")
    request = unmask_out(found, now)
    if found.target_kind == "entity":
        entity = views.read_entity(uow.conn, caller, readable, found.target_id, purpose)
        return UnmaskedOut(request=request, entity=None if isinstance(entity, NotFound) else entity)
    data = read_travel_target(uow.conn, found, readable)
    record_unmasked(uow.conn, caller, readable, purpose)
    return UnmaskedOut(request=request, **data)
