"""The audit log in the API (``GET /api/audit``) and the data-protection page (``/audit``):
who did what, when and why, with filters.

An administrator reads the whole log; a supervisor or a data-protection officer reads the
records of their own agency's people and every record naming one of their agency's
datasets, so the agency that owns data sees who read it. Reading the log is itself logged.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from rasid.access import audit
from rasid.access.accounts import Scope
from rasid.access.policy import audit_scope, record
from rasid.model.errors import ModelError
from rasid.web.deps import Caller, Uow, scoped
from rasid.web.models import MAX_ID, signed_in
from rasid.web.render import render

router = APIRouter()
PAGE = 50
MAX_LIMIT = 500


class AuditRecordOut(BaseModel):
    """One record of the audit log."""

    seq: int = Field(description="Its number in the chain")
    at: datetime = Field(description="When (UTC)")
    actor: str = Field(description="The user, or cli:<account> for the command line")
    agency: str | None = Field(description="The actor's agency")
    action: str = Field(description="sign_in, search, entity.read, screen, hit.decide, ...")
    target: str = Field(description="What it was about: an entity id, a query, a user")
    purpose: str = Field(description="The purpose the actor stated")
    outcome: str = Field(description="ok, failed, denied or not_found")
    detail: dict[str, Any] = Field(description="More about it (results, datasets, reasons)")
    hash: str = Field(description="The record's hash (SHA-256, chained to the one before)")


class AuditPage(BaseModel):
    """Records, newest first; ``next_before`` pages back."""

    results: list[AuditRecordOut]
    next_before: int | None = Field(description="Pass as `before` for older records")


class Filters(BaseModel):
    """The filters of a search of the log."""

    actor: str | None = None
    action: str | None = None
    target: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _search(
    uow: Uow, caller: Caller, filters: Filters, limit: int, before: int | None
) -> tuple[list[audit.AuditRecord], int | None]:
    within = audit_scope(uow.conn, caller)
    found = audit.search(
        uow.conn,
        actor=filters.actor or None,
        action=filters.action or None,
        target=filters.target or None,
        since=filters.since,
        until=filters.until,
        limit=limit + 1,
        before_seq=before,
        within=within,
    )
    record(
        uow.conn,
        caller,
        "audit.read",
        "",
        "data protection",
        filters=filters.model_dump(mode="json", exclude_none=True),
        records=len(found[:limit]),
    )
    more = found[limit - 1].seq if len(found) > limit else None
    return found[:limit], more


ActorQ = Annotated[str | None, Query(max_length=255, description="Only this actor")]
ActionQ = Annotated[
    str | None, Query(max_length=64, description="Only this action; a family with a star")
]
TargetQ = Annotated[str | None, Query(max_length=2000, description="Only records about this")]
SinceQ = Annotated[datetime | None, Query(description="From this UTC time")]
UntilQ = Annotated[datetime | None, Query(description="Before this UTC time")]
BeforeQ = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="Only records numbered below this")
]


@router.get(
    "/api/audit",
    response_model=AuditPage,
    tags=["audit"],
    summary="Read the audit log",
    dependencies=[scoped(Scope.AUDIT)],
    responses=signed_in(),
)
def audit_api(
    uow: Uow,
    caller: Caller,
    actor: ActorQ = None,
    action: ActionQ = None,
    target: TargetQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")] = PAGE,
    before: BeforeQ = None,
) -> AuditPage:
    """Records of the audit log, newest first, filtered by actor, action (`entity.*` for a
    family), target and time.

    Needs the `audit` scope (supervisors, data-protection officers, administrators). An
    administrator reads every record; the others read the records of their agency's people
    and those naming one of their agency's datasets (who read their data, when and why).
    This reading is itself recorded.
    """
    filters = Filters(actor=actor, action=action, target=target, since=since, until=until)
    found, more = _search(uow, caller, filters, limit, before)
    return AuditPage(
        results=[AuditRecordOut.model_validate(vars(r)) for r in found], next_before=more
    )


def _time(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ModelError(f"{name}: not a date or time (YYYY-MM-DD[THH:MM]): {value}") from None


@router.get("/audit", name="audit", include_in_schema=False)
def audit_page(
    request: Request,
    uow: Uow,
    caller: Caller,
    actor: ActorQ = None,
    action: ActionQ = None,
    target: TargetQ = None,
    since: Annotated[str | None, Query(max_length=32)] = None,
    until: Annotated[str | None, Query(max_length=32)] = None,
    before: BeforeQ = None,
) -> Response:
    """The data-protection page: the audit log with filters."""
    filters = Filters(
        actor=actor,
        action=action,
        target=target,
        since=_time(since, "since"),
        until=_time(until, "until"),
    )
    found, more = _search(uow, caller, filters, PAGE, before)
    context = {
        "nav": "audit",
        "records": found,
        "filters": {
            "actor": actor,
            "action": action,
            "target": target,
            "since": since,
            "until": until,
        },
        "next_before": more,
    }
    return render(request, "audit.html", context)
