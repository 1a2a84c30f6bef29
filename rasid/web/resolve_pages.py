"""Entity resolution in the browser: the judgement queue with its filters, and the review
screen: the two records side by side (every value labelled with the dataset and agency
that contributed it), the score with each feature's effect, and the buttons same / not
the same / unsure with a reason, undo, and keyboard shortcuts (s, n, u, z; j and k for the
next and previous pair). Forms carry the session's CSRF token; judgements go through the
services the API uses (``rasid.resolve.judgements``).
"""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import Connection, select
from starlette.responses import Response

from rasid.access.accounts import Scope
from rasid.access.policy import require
from rasid.model.errors import worded
from rasid.model.statement import RasidStatement
from rasid.resolve.errors import ResolveError, UnknownPair
from rasid.resolve.judgements import (
    REASON_MAX,
    PairRecord,
    QueueFilter,
    count_by_status,
    get_pair,
    judge,
    list_pairs,
    undo,
)
from rasid.resolve.model import Status
from rasid.store.statements import from_row, of_entities
from rasid.store.tables import statement
from rasid.store.visibility import Visibility, dataset_filter, masker
from rasid.web import views
from rasid.web.deps import Caller, Readable, Uow, check_form
from rasid.web.render import page_lang, render

router = APIRouter(include_in_schema=False)
PAGE = 50
Id = Annotated[str, Query(max_length=255)]


def pair_url(left: str, right: str) -> str:
    """The review screen of a pair."""
    return "/resolve/pair?" + urlencode({"left": left, "right": right})


@router.get("/resolve", name="resolve")
def queue_page(
    request: Request,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    status: Annotated[Status | None, Query()] = Status.PROPOSED,
    dataset: Annotated[str | None, Query(max_length=64)] = None,
    min_score: Annotated[float | None, Query(ge=0, le=1)] = None,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    """The queue: pairs of one status (proposed by default), best score first, filtered by
    dataset and lowest score."""
    require(caller, Scope.RESOLVE)
    where = QueueFilter((status,) if status else (), dataset or None, min_score)
    found = list_pairs(uow.conn, where, readable, PAGE + 1, offset)
    context = {
        "nav": "resolve",
        "status": status,
        "statuses": list(Status),
        "counts": count_by_status(uow.conn, readable, where),
        "pairs": found[:PAGE],
        "pair_url": pair_url,
        "dataset": dataset or "",
        "min_score": "" if min_score is None else min_score,
        "datasets": views.dataset_refs(uow.conn, readable),
        "next_offset": offset + PAGE if len(found) > PAGE else None,
    }
    return render(request, "resolve_queue.html", context)


def own_statements(conn: Connection, entity_id: str, readable: Visibility) -> list[RasidStatement]:
    """The statements of one entity as itself (not merged), those the reader may see."""
    query = select(statement).where(of_entities([entity_id]), statement.c.prop != "id")
    visible = dataset_filter(readable)
    if visible is not None:
        query = query.where(visible)
    masking = masker(readable)
    found = [from_row(r) for r in conn.execute(query.order_by(statement.c.prop, statement.c.value))]
    return [masking.statement(s) for s in found] if masking is not None else found


def _rows(left: list[RasidStatement], right: list[RasidStatement]) -> list[dict[str, Any]]:
    """One row per property: each side's values."""
    props = sorted({s.prop for s in left} | {s.prop for s in right})
    return [
        {
            "prop": p,
            "left": [s for s in left if s.prop == p],
            "right": [s for s in right if s.prop == p],
        }
        for p in props
    ]


def _neighbours(
    conn: Connection, found: PairRecord, readable: Visibility
) -> tuple[str | None, str | None]:
    """The review screens of the proposed pairs before and after this one in the queue."""
    queue = list_pairs(conn, QueueFilter((Status.PROPOSED,)), readable, 1000)
    keys = [(p.left_id, p.right_id) for p in queue]
    here = (found.left_id, found.right_id)
    if here not in keys:
        following = [p for p in queue if p.score <= found.score]
        return None, pair_url(following[0].left_id, following[0].right_id) if following else None
    i = keys.index(here)
    previous = pair_url(*keys[i - 1]) if i > 0 else None
    following_url = pair_url(*keys[i + 1]) if i + 1 < len(keys) else None
    return previous, following_url


@router.get("/resolve/pair", name="resolve_pair")
def pair_page(
    request: Request, left: Id, right: Id, uow: Uow, caller: Caller, readable: Readable
) -> Response:
    """The review screen of one pair."""
    require(caller, Scope.RESOLVE)
    return _pair(request, uow, readable, left, right)


def _pair(
    request: Request,
    uow: Uow,
    readable: Readable,
    left: str,
    right: str,
    error: str = "",
    status: int = 200,
) -> Response:
    found = get_pair(uow.conn, left, right, readable)
    previous, following = _neighbours(uow.conn, found, readable)
    sides = [own_statements(uow.conn, i, readable) for i in (found.left_id, found.right_id)]
    context = {
        "nav": "resolve",
        "pair": found,
        "rows": _rows(*sides),
        "datasets": views.dataset_refs(uow.conn, readable),
        "previous": previous,
        "next": following,
        "error": error,
        "reason_max": REASON_MAX,
        "standing": [j for j in found.history if j.undone_at is None],
    }
    return render(request, "resolve_pair.html", context, status=status)


@router.post("/resolve/judge")
def judge_submit(
    request: Request,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    csrf_token: Annotated[str, Form(max_length=64)] = "",
    left: Annotated[str, Form(max_length=255)] = "",
    right: Annotated[str, Form(max_length=255)] = "",
    judgement: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=REASON_MAX)] = "",
    then: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record the judgement, then go to the next pair of the queue (or show the problem)."""
    require(caller, Scope.RESOLVE)
    check_form(request, uow, csrf_token)
    try:
        judge(uow.conn, left, right, judgement, caller.name, reason,
              readable=readable, agency=caller.agency)  # fmt: skip
    except UnknownPair:
        raise
    except ResolveError as exc:
        shown = worded(exc, page_lang(request))
        return _pair(request, uow, readable, left, right, shown, status=422)
    target = then if then.startswith("/resolve/pair?") else pair_url(left, right)
    return RedirectResponse(target, status_code=303)


@router.post("/resolve/undo")
def undo_submit(
    request: Request,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    csrf_token: Annotated[str, Form(max_length=64)] = "",
    left: Annotated[str, Form(max_length=255)] = "",
    right: Annotated[str, Form(max_length=255)] = "",
) -> Response:
    """Take back the caller's side's last judgement on the pair, then show it again."""
    require(caller, Scope.RESOLVE)
    check_form(request, uow, csrf_token)
    try:
        undo(uow.conn, left, right, caller.name, readable=readable, agency=caller.agency)
    except UnknownPair:
        raise
    except ResolveError as exc:
        shown = worded(exc, page_lang(request))
        return _pair(request, uow, readable, left, right, shown, status=422)
    return RedirectResponse(pair_url(left, right), status_code=303)
