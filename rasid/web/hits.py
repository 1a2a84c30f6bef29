"""The review queue in the JSON API under /api/hits: list hits, read one, decide on one.

A hit only proposes; the decision is a person's, recorded with a reason. Each route's
docstring is its entry in the API documentation. The queue's errors reach HTTP through the
one table in ``rasid.web.errors``: UnknownHit is 404, ScreenError (a refused decision) 422.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from rasid.access.accounts import Scope
from rasid.screen.hits import HitStatus, count_by_status, get_hit, list_hits
from rasid.travel.alerts import decide_and_alert
from rasid.web.deps import Caller, Readable, Uow, scoped
from rasid.web.models import MAX_ID, MAX_OFFSET, ErrorOut, signed_in

router = APIRouter(
    prefix="/api/hits",
    tags=["hits"],
    dependencies=[scoped(Scope.REVIEW)],
    responses=signed_in(),
)

MAX_LIMIT = 500
HitId = Annotated[int, Path(ge=1, le=MAX_ID, description="The hit's number")]


class HitReasonOut(BaseModel):
    """One step of the explanation of a score."""

    feature: str = Field(description="What was compared, e.g. name_part, birth_date")
    detail: str = Field(description="How it came out, in words")
    effect: float = Field(description="Its contribution to the score (negative: a conflict)")


class ScreenedSubjectOut(BaseModel):
    """The screened subject, with the facts it was last screened with."""

    id: str = Field(description="Content key of the subject (see the queue's documentation)")
    source: str = Field(description="Who screened it: cli, api, batch:<file>...")
    external_id: str | None = Field(description="The screening caller's id of the subject")
    name: str
    birth_date: str | None
    nationality: str | None
    gender: str | None
    document_number: str | None
    first_screened: datetime
    last_screened: datetime
    dataset: str | None = Field(
        default=None, description="The dataset the subject's data comes from (a traveller's)"
    )


class HitDecisionOut(BaseModel):
    """One decision on a hit: the change of status, who made it, why and when (UTC)."""

    id: int
    from_status: HitStatus
    to_status: HitStatus
    reviewer: str
    reason: str
    decided_at: datetime


class HitOut(BaseModel):
    """A hit: a watchlist entity proposed for a screened subject, and the reasons why."""

    id: int
    subject: ScreenedSubjectOut
    kind: str = Field(
        description="What matched: name (a watchlist entity), document (a listed lost or "
        "stolen travel document) or rule (a targeting rule)"
    )
    entity_id: str = Field(
        description="The watchlist entity or listed document proposed; rule:<id> for a rule"
    )
    watchlist: str | None = Field(
        description="The entity's dataset (for a rule: the traveller's dataset; null if unknown)"
    )
    score: float = Field(description="Match score, 0 to 1")
    alert: bool = Field(description="The score reached the alert threshold")
    matched_name: str = Field(description="The watchlist name that matched best")
    explanation: list[HitReasonOut]
    status: HitStatus
    next_statuses: list[HitStatus] = Field(description="Statuses a decision may move it to")
    created_at: datetime
    updated_at: datetime = Field(description="Last decision, or last refresh by a screening")


class HitDetail(HitOut):
    """A hit with every decision taken on it, oldest first."""

    history: list[HitDecisionOut]


class DecidedHit(HitDetail):
    """A hit just decided on, and the alert its confirmation sent, if any."""

    alert_message: str | None = Field(
        default=None,
        description="Id of the report sent to border and police agencies when this "
        "decision confirmed a traveller hit (see /api/messages)",
    )


class HitPage(BaseModel):
    """One page of hits, best score first, and how many hits each status holds."""

    status: HitStatus | None = Field(description="Status filter, if any")
    subject: str | None = Field(description="Subject filter, if any")
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last")
    counts: dict[str, int] = Field(description="Hits per status (all statuses, unfiltered)")
    results: list[HitOut]


class HitDecisionIn(BaseModel):
    """A decision on a hit."""

    status: HitStatus = Field(
        description="confirmed, dismissed or escalated; new reopens a closed hit"
    )
    reason: str = Field(min_length=1, description="Why (required, kept with the decision)")


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such hit readable by the caller"}
}
REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut, "description": "Change not allowed, or a blank reason"}
}


@router.get("", response_model=HitPage, summary="List hits")
def hits(
    uow: Uow,
    readable: Readable,
    status: Annotated[HitStatus | None, Query(description="Only hits in this status")] = None,
    subject: Annotated[str | None, Query(description="Only hits on this subject key")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size, 1 to 500")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many hits to skip")] = 0,
) -> HitPage:
    """List the hits of the screening review queue, best score first (oldest first among
    equal scores), optionally of one status (`new`, `escalated`: still open; `confirmed`,
    `dismissed`: decided) or one screened subject.

    Each hit carries the reasons for its score and the statuses a decision may move it to;
    `counts` gives how many hits each status holds. Only hits on watchlists the caller may
    read are listed. Follow `next_offset` until it is null.
    """
    found = list_hits(uow.conn, status, subject, limit + 1, offset, readable)
    return HitPage(
        status=status,
        subject=subject,
        limit=limit,
        offset=offset,
        next_offset=offset + limit if len(found) > limit else None,
        counts=count_by_status(uow.conn, readable),
        results=[HitOut.model_validate(h.to_dict()) for h in found[:limit]],
    )


@router.get("/{hit_id}", response_model=HitDetail, summary="One hit", responses=NOT_FOUND)
def hit(hit_id: HitId, uow: Uow, readable: Readable) -> HitDetail:
    """Return one hit: the screened subject, the watchlist entity and name that matched, the
    score with the reasons that produced it, its status, and in `history` every decision
    taken on it (from and to which status, by whom, why, when), oldest first.

    Answers 404 when there is no such hit or it is on a watchlist the caller may not read.
    """
    return HitDetail.model_validate(get_hit(uow.conn, hit_id, readable).to_dict())


@router.post(
    "/{hit_id}/decision",
    response_model=DecidedHit,
    summary="Decide on a hit",
    responses=NOT_FOUND | REFUSED,
)
def decision(
    hit_id: HitId, body: HitDecisionIn, uow: Uow, caller: Caller, readable: Readable
) -> DecidedHit:
    """Record a person's decision on a hit and return the hit with its history.

    Allowed: `new` to `confirmed`, `dismissed` or `escalated`; `escalated` to `confirmed`
    or `dismissed`; `confirmed` or `dismissed` back to `new` (a reopening, for a
    supervisor). The reason is required. The decision is recorded with the reviewer, the
    reason and the time. Only one decision acts: confirming a hit on a traveller (from
    API or PNR data) sends a report to the border and police agencies
    (`RASID_TRAVEL_ALERT_AGENCIES`) through the exchange, in the caller's name (the
    `exchange` scope is needed then), and `alert_message` gives its id. Decision and
    alert are recorded together or not at all.

    The reviewer is the signed-in caller (the `review` scope is needed). A browser
    session must send its CSRF token in the `X-CSRF-Token` header.

    Answers 404 for an unknown hit, 422 for a change that is not allowed (or was made by
    someone else meanwhile) and for a blank reason or reviewer.
    """
    found, sent = decide_and_alert(uow.conn, caller, hit_id, body.status, body.reason, readable)
    return DecidedHit.model_validate(found.to_dict() | {"alert_message": sent and sent.id})
