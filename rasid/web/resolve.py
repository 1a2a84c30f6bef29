"""Entity resolution in the JSON API under /api/resolve: the judgement queue, one pair with
both records side by side, judging, undoing, running and the judgements as data.

A pair is shown to, and judged by, only a caller who may read the datasets of both its
records (the policy's ``Visibility``); every judgement and undo is in the audit log. The
routes need the `resolve` scope. Errors reach HTTP through ``rasid.web.errors``: an unknown
(or unreadable) pair is 404, a refused judgement (a conflict with a not-same judgement) 422.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from rasid.access.accounts import Scope
from rasid.access.policy import Denied, record
from rasid.resolve.judgements import (
    REASON_MAX,
    QueueFilter,
    count_by_status,
    export_judgements,
    get_pair,
    judge,
    list_pairs,
    undo,
)
from rasid.resolve.model import Status
from rasid.resolve.run import resolve as run_resolution
from rasid.web.deps import Caller, Readable, Uow, scoped
from rasid.web.models import MAX_OFFSET, ErrorOut, signed_in

router = APIRouter(
    prefix="/api/resolve",
    tags=["resolve"],
    dependencies=[scoped(Scope.RESOLVE)],
    responses=signed_in(),
)
MAX_LIMIT = 500
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such pair readable by the caller"}
}
REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut, "description": "Judgement refused (a conflict), or bad input"}
}
Left = Annotated[str, Query(max_length=255, description="One entity id of the pair")]
Right = Annotated[str, Query(max_length=255, description="The other entity id")]


class ReasonOut(BaseModel):
    """One feature of the score's explanation."""

    feature: str
    detail: str
    effect: float = Field(description="Its contribution to the score (negative: a conflict)")


class JudgementOut(BaseModel):
    """One judgement in a pair's history (undone ones stay, stamped)."""

    id: int
    judgement: Status
    by: str = Field(description="The user, or rule:auto-accept for the rule")
    at: datetime
    reason: str
    undone_at: datetime | None
    undone_by: str | None


class PairOut(BaseModel):
    """A proposed pair: the two records, the score with its explanation, where it stands."""

    left_id: str
    right_id: str
    left_dataset: str
    right_dataset: str
    score: float = Field(description="0 to 1")
    explanation: list[ReasonOut]
    shared_identifiers: list[list[str]] = Field(description="[kind, value] both records carry")
    status: Status
    proposed_at: datetime
    updated_at: datetime
    run_id: str | None
    history: list[JudgementOut] = Field(default_factory=list)


class PairPage(BaseModel):
    """One page of the queue and how many pairs each status holds."""

    limit: int
    offset: int
    next_offset: int | None
    counts: dict[str, int]
    results: list[PairOut]


class JudgementIn(BaseModel):
    """A person's judgement on a pair."""

    left_id: str = Field(max_length=255)
    right_id: str = Field(max_length=255)
    judgement: Status = Field(description="same, not_same or unsure")
    reason: str = Field(default="", max_length=REASON_MAX, description="Why (kept)")


class UndoIn(BaseModel):
    """The pair whose last judgement to take back."""

    left_id: str = Field(max_length=255)
    right_id: str = Field(max_length=255)


class RunIn(BaseModel):
    """Which datasets to resolve."""

    datasets: list[str] = Field(
        default_factory=list, description="Datasets (default: every dataset the caller reads)"
    )


class RunOut(BaseModel):
    """A run's statistics."""

    id: str
    records: int
    candidates: int
    proposed: int
    new: int
    updated: int
    kept: int
    auto_accepted: int
    auto_reverted: int
    skipped_blocks: int
    clusters: int
    seconds: float


@router.get("/pairs", response_model=PairPage, summary="The judgement queue")
def pairs(
    uow: Uow,
    readable: Readable,
    status: Annotated[list[Status] | None, Query(description="Only these statuses")] = None,
    dataset: Annotated[str | None, Query(description="One side from this dataset")] = None,
    min_score: Annotated[float | None, Query(ge=0, le=1, description="Lowest score")] = None,
    max_score: Annotated[float | None, Query(ge=0, le=1, description="Highest score")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Pairs to skip")] = 0,
) -> PairPage:
    """List the pairs the resolution engine proposed: `proposed` pairs first, best score
    first, then the judged ones by score. Filters: status (repeatable), a dataset either
    side comes from, a score range. Only pairs whose both records come from datasets the
    caller may read are listed; `counts` gives the pairs per status. Follow `next_offset`.
    """
    where = QueueFilter(tuple(status or ()), dataset, min_score, max_score)
    found = list_pairs(uow.conn, where, readable, limit + 1, offset)
    return PairPage(
        limit=limit,
        offset=offset,
        next_offset=offset + limit if len(found) > limit else None,
        counts=count_by_status(uow.conn, readable, where),
        results=[PairOut.model_validate(p.to_dict()) for p in found[:limit]],
    )


@router.get("/pair", response_model=PairOut, summary="One pair", responses=NOT_FOUND)
def pair(left: Left, right: Right, uow: Uow, readable: Readable) -> PairOut:
    """Return one pair (either order of the ids) with its score, the explanation (each
    feature's effect), the strong identifiers both records carry, its status and every
    judgement on it, undone ones included. 404 when there is none the caller may read."""
    return PairOut.model_validate(get_pair(uow.conn, left, right, readable).to_dict())


@router.post(
    "/judge", response_model=PairOut, summary="Judge a pair", responses=NOT_FOUND | REFUSED
)
def judgement(body: JudgementIn, uow: Uow, caller: Caller, readable: Readable) -> PairOut:
    """Record the caller's judgement on a pair: `same`, `not_same` or `unsure`, with a
    reason. Canonical ids follow: `same` merges the two records' entities (the merged
    entity takes the smallest member id; a member's id still finds it). Refused (422) when
    `same` would merge records a person judged not the same, or `not_same` splits records
    other same judgements join (undo those first); a person's `not_same` wins over the
    auto-accept rule. Recorded in the audit log. A browser session sends its CSRF token in
    `X-CSRF-Token`."""
    found = judge(
        uow.conn,
        body.left_id,
        body.right_id,
        body.judgement,
        caller.name,
        body.reason,
        readable=readable,
        agency=caller.agency,
    )
    return PairOut.model_validate(found.to_dict())


@router.post(
    "/undo", response_model=PairOut, summary="Undo a judgement", responses=NOT_FOUND | REFUSED
)
def undo_judgement(body: UndoIn, uow: Uow, caller: Caller, readable: Readable) -> PairOut:
    """Take back the last standing judgement a person made on a pair: it stays in the
    history stamped undone (by the caller, now) and the pair returns to what stood before
    (or `proposed`); canonical ids follow. The rule's acceptances are taken back by turning
    the rule off (`rasid resolve auto --undo`). Recorded in the audit log."""
    found = undo(
        uow.conn, body.left_id, body.right_id, caller.name, readable=readable, agency=caller.agency
    )
    return PairOut.model_validate(found.to_dict())


@router.post("/run", response_model=RunOut, summary="Run a resolution", responses=REFUSED)
def run(body: RunIn, uow: Uow, caller: Caller, readable: Readable) -> RunOut:
    """Propose pairs among the records of the given datasets (default: every dataset the
    caller may read; each named dataset must be readable, else 403), store them in the
    queue, apply the auto-accept rule and recompute canonical ids. Returns the statistics:
    records, candidate pairs, proposed, new, auto-accepted, skipped blocks, seconds."""
    names = body.datasets or sorted(readable.datasets)
    unreadable = sorted(set(names) - readable.datasets)
    if unreadable:
        raise Denied(
            f"not readable: {', '.join(unreadable)}",
            arabic=f"لا يحق لك قراءة: {'، '.join(unreadable)}",
        )
    result = run_resolution(uow.conn, caller.name, names)
    return RunOut.model_validate(result.to_dict())


@router.get("/judgements", summary="Export judgements")
def judgements(uow: Uow, caller: Caller, readable: Readable) -> list[dict[str, Any]]:
    """Each pair's standing judgement by a person (the caller may read both records'
    datasets): pair, datasets, score, judgement, user, time and reason, the lines
    `rasid resolve apply` takes on another database. Recorded in the audit log."""
    names = readable.datasets
    found = [
        j
        for j in export_judgements(uow.conn)
        if j["left_dataset"] in names and j["right_dataset"] in names
    ]
    record(uow.conn, caller, "resolve.export", "judgements", count=len(found))
    return found
