"""The review queue in the browser: hits awaiting review, one hit with the reasons for its
score, and the decision form (confirm, dismiss or escalate, with a reason).

A hit only proposes; a person decides, and the decision is kept with their name, the
reason and the time (``rasid.screen.hits.decide``, the service the API uses too). Forms
carry the session's CSRF token.
"""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from rasid.access.accounts import Scope
from rasid.access.policy import require
from rasid.exchange.errors import ExchangeError
from rasid.model.errors import worded
from rasid.screen import wording
from rasid.screen.errors import ScreenError
from rasid.screen.hits import HitStatus, count_by_status, get_hit, list_hits
from rasid.screen.model import Reason
from rasid.travel.alerts import decide_and_alert, flight_code, traveller_on_flight
from rasid.travel.screening import SOURCE as TRAVEL
from rasid.web.deps import Caller, Readable, Uow, check_form
from rasid.web.i18n import Translator
from rasid.web.models import MAX_ID
from rasid.web.render import page_lang, render

router = APIRouter(include_in_schema=False)

PAGE = 50
SOURCES = ("api", "cli", "travel", "batch")  # what screens subjects (``batch:FILE``)
FLIGHT_KEYS = ("hit.flight_on", "hit.flight_unknown")  # the catalogue's keys for a flight
REASON_MAX = 2000
HitId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/hits", name="hits")
def hits_page(
    request: Request,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    status: Annotated[HitStatus | None, Query()] = HitStatus.NEW,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    """Hits of one status (new by default), best score first, with the count per status."""
    require(caller, Scope.REVIEW)
    found = list_hits(uow.conn, status, None, PAGE + 1, offset, readable)
    context = {
        "nav": "hits",
        "status": status,
        "statuses": list(HitStatus),
        "counts": count_by_status(uow.conn, readable),
        "hits": found[:PAGE],
        "next_offset": offset + PAGE if len(found) > PAGE else None,
        "offset": offset,
    }
    return render(request, "hits.html", context)


@router.get("/hits/{hit_id}", name="hit")
def hit_page(
    request: Request, hit_id: HitId, uow: Uow, caller: Caller, readable: Readable
) -> Response:
    """One hit: the subject beside the watchlist entry, the reasons for the score, the
    decisions taken, and the form for the next one."""
    require(caller, Scope.REVIEW)
    return _hit(request, uow, readable, hit_id)


def _hit(
    request: Request,
    uow: Uow,
    readable: Readable,
    hit_id: int,
    error: str = "",
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    found = get_hit(uow.conn, hit_id, readable)
    on_flight = None
    if found.subject.source == TRAVEL and found.subject.external_id:
        on_flight = traveller_on_flight(uow.conn, found.subject.external_id)
    lang = page_lang(request)
    context = {
        "nav": "hits",
        "hit": found,
        "steps": explanation(found.explanation, lang),
        "source_text": source_words(found.subject.source, lang),
        "traveller": on_flight,
        "flight_text": _flight_words(on_flight, lang) if on_flight is not None else "",
        "error": error,
        "values": values or {},
        "reason_max": REASON_MAX,
    }
    return render(request, "hit.html", context, status=status)


def explanation(reasons: Sequence[Reason], lang: str) -> list[tuple[str, str, float]]:
    """The steps of a score's explanation in ``lang``: what was compared, how it came out,
    and the effect on the score."""
    return [
        (
            wording.feature(r.feature, lang),
            wording.word(r.code, r.args, r.detail, lang, True),
            r.effect,
        )
        for r in reasons
    ]


def source_words(source: str, lang: str) -> str:
    """What screened the subject, in ``lang`` (``batch:FILE`` names the file; a source
    this release does not know reads as itself)."""
    kind, _, name = source.partition(":")
    if kind not in SOURCES:
        return source
    return Translator(lang)(f"hit_source.{kind}", **({"name": name} if kind == "batch" else {}))


def _flight_words(row: Any, lang: str) -> str:
    """``XY123 CAI-DXB on 2024-03-05`` in the page's language (codes kept left to right)."""
    t = Translator(lang)
    if row.carrier is None:
        return t(FLIGHT_KEYS[1])
    flight, day = _isolated(flight_code(row)), _isolated(str(row.departure_date))
    return t(FLIGHT_KEYS[0], flight=flight, day=day)


def _isolated(text: str) -> str:
    """Text kept left to right inside a sentence of either direction (Unicode isolates)."""
    return f"\u2066{text}\u2069"


@router.post("/hits/{hit_id}/decision")
def decision_submit(
    request: Request,
    hit_id: HitId,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    csrf_token: Annotated[str, Form(max_length=64)] = "",
    status: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=REASON_MAX)] = "",
) -> Response:
    """Record the reviewer's decision, then show the hit again (or the form with the
    problem, nothing recorded)."""
    require(caller, Scope.REVIEW)
    check_form(request, uow, csrf_token)
    try:
        decide_and_alert(uow.conn, caller, hit_id, status, reason, readable)
    except (ScreenError, ExchangeError) as exc:
        values = {"status": status, "reason": reason}
        shown = worded(exc, page_lang(request))
        return _hit(request, uow, readable, hit_id, shown, values, status=422)
    return RedirectResponse(f"/hits/{hit_id}", status_code=303)
