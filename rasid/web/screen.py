"""POST /api/screen: screen one subject or a batch against the watchlists."""

from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from rasid.access.accounts import Scope
from rasid.access.policy import record
from rasid.access.registry import list_datasets
from rasid.screen.batch import BadLine, subject_from
from rasid.screen.engine import Screener, watchlist_names
from rasid.screen.errors import ScreenError
from rasid.screen.hits import record_results
from rasid.travel.screening import TravelDocument, check_traveller
from rasid.web.deps import ApiPurpose, Caller, Readable, Uow, scoped
from rasid.web.models import ErrorOut, signed_in

router = APIRouter(prefix="/api", tags=["screening"])


class SubjectIn(BaseModel):
    """A subject to screen; only the name is required."""

    id: str | None = Field(None, description="Your reference for the subject")
    name: str = Field(..., max_length=10_000, description="The name, in any script")
    birth_date: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    nationality: str | None = Field(None, description="ISO country code or name")
    gender: str | None = Field(None, description="male, female or other")
    document_number: str | None = Field(None, description="Passport or ID number")


class ScreenIn(BaseModel):
    """One subject (``subject``) or a batch (``subjects``, up to 1,000)."""

    subject: SubjectIn | None = None
    subjects: list[SubjectIn] | None = Field(None, max_length=1000)
    watchlists: list[str] | None = Field(None, description="Default: every watchlist")
    limit: int = Field(5, ge=1, le=50, description="Matches per subject")


class ReasonOut(BaseModel):
    """One step of a score's explanation."""

    feature: str
    detail: str
    effect: float


class MatchOut(BaseModel):
    """A proposed watchlist entity: a person reviews it before anything happens."""

    kind: str = Field(
        "name", description="name (a watchlist entity) or document (a listed lost/stolen document)"
    )
    entity_id: str
    score: float
    alert: bool
    name: str
    explanation: list[ReasonOut]


class ResultOut(BaseModel):
    """The matches for one subject, best first, or why the subject could not be screened."""

    id: str
    matches: list[MatchOut] = []
    hits: list[int] = Field(default_factory=list, description="Review-queue hits made or refreshed")
    error: str | None = None


class ScreenOut(BaseModel):
    """Results in the order the subjects were given."""

    watchlists: list[str]
    results: list[ResultOut]


def get_screener(request: Request) -> Screener:
    """The app's screener (its name index is rebuilt when a watchlist changes)."""
    state = request.app.state
    if not hasattr(state, "screener"):
        state.screener = Screener()
    return cast(Screener, state.screener)


ScreenerDep = Annotated[Screener, Depends(get_screener)]


@router.post(
    "/screen",
    response_model=ScreenOut,
    summary="Screen subjects against the watchlists",
    responses={
        422: {"model": ErrorOut, "description": "No subject, unknown watchlist, no purpose"},
        **signed_in(),
    },
    dependencies=[scoped(Scope.SCREEN)],
)
def screen(
    body: ScreenIn,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    screener: ScreenerDep,
    purpose: ApiPurpose,
) -> ScreenOut:
    """Screen one subject or up to 1,000 against the watchlist datasets the caller may read.

    Each match carries `entity_id`, `score` (0..1), `alert` (the score reached the alert
    threshold) and `explanation`: which name parts matched how, and agreement or conflict on
    date of birth, nationality, gender and document number. A subject that cannot be
    screened (no letters in its name, a malformed date) gets an `error` and the rest are
    screened. Matches only propose: every alert becomes a hit in the review queue
    (`/api/hits`), where a person confirms, dismisses or escalates it; screening the same
    subject again refreshes its open hit instead of adding another.

    Needs the `screen` scope and a purpose (`X-Rasid-Purpose` or `purpose`); the screening
    goes to the audit log with the subjects' ids and the hits it made.
    """
    items = body.subjects if body.subjects is not None else [body.subject] if body.subject else []
    if not items:
        raise ScreenError("give a subject or subjects", arabic="حدّد شخصًا أو أكثر للتدقيق")
    datasets = watchlist_names(uow.conn, body.watchlists)
    datasets = [d for d in datasets if d in readable]
    results = []
    for number, item in enumerate(items, start=1):
        data: dict[str, Any] = item.model_dump()
        # Without an id, a subject is known by its name and facts (see rasid.screen.hits).
        data["id"] = item.id or ""
        subject = subject_from(data, number)
        if isinstance(subject, BadLine):
            results.append(ResultOut(id=data["id"] or str(number), error=subject.reason))
            continue
        matches, hits = screener.screen_and_record(uow.conn, subject, datasets, "api", body.limit)
        results.append(
            ResultOut(
                id=subject.id or str(number),
                matches=[MatchOut(**m.to_dict(), kind=m.kind) for m in matches],
                hits=[h.id for h in hits],
            )
        )
    record(
        uow.conn,
        caller,
        "screen",
        f"{len(items)} subject(s)",
        purpose,
        subjects=[r.id for r in results],
        hits=sorted({h for r in results for h in r.hits}),
    )
    return ScreenOut(watchlists=datasets, results=results)


class DocumentIn(BaseModel):
    """A travel document the traveller holds."""

    number: str = Field(..., min_length=1, max_length=64, description="As printed")
    issuing_state: str = Field(..., max_length=64, description="ICAO or ISO code (GBR, GB)")
    type: str = Field("", max_length=8, description="P (passport), I (identity card)...")


class TravellerIn(SubjectIn):
    """A traveller to check: a subject, with the documents they hold."""

    documents: list[DocumentIn] = Field(default_factory=list, max_length=10)


class CheckOut(BaseModel):
    """What one traveller check found, and against what."""

    id: str
    watchlists: list[str]
    document_lists: list[str]
    matches: list[MatchOut] = Field(description="Watchlist matches best first, then documents")
    hits: list[int] = Field(default_factory=list, description="Review-queue hits made or refreshed")


@router.post(
    "/travel/check",
    response_model=CheckOut,
    summary="Check one traveller against the watchlists and the lost/stolen documents",
    responses={
        422: {"model": ErrorOut, "description": "No name, a malformed date, no purpose"},
        **signed_in(),
    },
    dependencies=[scoped(Scope.SCREEN)],
)
def check(
    body: TravellerIn,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    screener: ScreenerDep,
    purpose: ApiPurpose,
) -> CheckOut:
    """Check one traveller at once, as a border officer does at the desk: their name and
    facts against the watchlists, and each of their documents against the lists of lost,
    stolen or revoked documents (number and issuing state exactly), all those the caller
    may read.

    A listed document is a match of kind `document` with score 1 and the list entry's
    facts in its explanation. Matches only propose: every alert becomes a hit in the review
    queue (`/api/hits`), for a person to confirm or dismiss.

    Needs the `screen` scope and a purpose; the check goes to the audit log.
    """
    data: dict[str, Any] = body.model_dump(exclude={"documents"})
    data["id"] = body.id or ""
    subject = subject_from(data, 1)
    if isinstance(subject, BadLine):
        raise ScreenError(subject.reason, arabic=subject.arabic)
    documents = [TravelDocument(d.number, d.issuing_state, d.type) for d in body.documents]
    known = list_datasets(uow.conn)
    watchlists = [d.name for d in known if d.kind == "watchlist" and d.name in readable]
    lists = [d.name for d in known if d.kind == "documents" and d.name in readable]
    matches, dataset_of = check_traveller(uow.conn, screener, subject, documents, watchlists, lists)
    hits = record_results(uow.conn, subject, "api", matches, dataset_of)
    record(
        uow.conn,
        caller,
        "screen.traveller",
        subject.id or subject.name,
        purpose,
        documents=len(documents),
        hits=[h.id for h in hits],
    )
    return CheckOut(
        id=subject.id or "1",
        watchlists=watchlists,
        document_lists=lists,
        matches=[MatchOut(**m.to_dict(), kind=m.kind) for m in matches],
        hits=[h.id for h in hits],
    )
