"""Flights in the browser: the list (``/flights``), one flight's manifest with its hits
highlighted (``/flights/{id}``) and the data-quality report (``/travel/quality``).

The pages read through the same functions as the API (``rasid.web.travel``): only the
travellers and hits of datasets the caller may read, a manifest only under a stated purpose
and recorded in the audit log. For callers who screen travellers or review hits.
"""

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from rasid.access.policy import PURPOSE_MAX
from rasid.model.errors import ModelError
from rasid.travel.checks import Rules
from rasid.travel.flights import list_flights
from rasid.web.deps import Caller, Readable, Uow
from rasid.web.models import MAX_OFFSET
from rasid.web.pages import page_purpose
from rasid.web.render import page_lang, render, render_error
from rasid.web.travel import (
    as_utc,
    build_report,
    read_manifest,
    readable_travel,
    require_travel,
)

router = APIRouter(include_in_schema=False)

PAGE = 50
DAYS_BACK, DAYS_AHEAD = 1, 2  # the flights listed unless told: yesterday to the day after tomorrow
DayText = Annotated[str | None, Query(max_length=10)]
Code = Annotated[str, Query(max_length=3)]


def day(value: str | None, default: date | None) -> date | None:
    """A day from a form field: absent, the default; blank, no day; else ISO (2026-11-20)."""
    if value is None:
        return default
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ModelError(
            f"{value[:10]!r} is not a day (2026-11-20)",
            arabic=f"{value[:10]!r} ليس تاريخ يوم (مثل 2026-11-20)",
        ) from None


@router.get("/flights", name="flights")
def flights_page(
    request: Request,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    start: DayText = None,
    end: DayText = None,
    carrier: Code = "",
    airport: Code = "",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Response:
    """Flights by departure (by default from yesterday to the day after tomorrow), with
    how many travellers came from API and PNR and how many of their hits are open or
    confirmed."""
    require_travel(caller)
    today = as_utc(None).date()
    first = day(start, today - timedelta(days=DAYS_BACK))
    last = day(end, today + timedelta(days=DAYS_AHEAD))
    names = readable_travel(uow, readable)
    found = list_flights(uow.conn, names, first, last, carrier, airport, PAGE + 1, offset)
    context = {
        "nav": "flights",
        "flights": found[:PAGE],
        "start": first.isoformat() if first else "",
        "end": last.isoformat() if last else "",
        "carrier": carrier,
        "airport": airport,
        "next_offset": offset + PAGE if len(found) > PAGE else None,
        "prev_offset": max(offset - PAGE, 0) if offset > 0 else None,
    }
    return render(request, "flights.html", context)


@router.get("/flights/{flight_id}", name="flight")
def flight_page(
    request: Request,
    flight_id: Annotated[str, Path(max_length=64)],
    uow: Uow,
    caller: Caller,
    readable: Readable,
    purpose: Annotated[str | None, Query(max_length=PURPOSE_MAX)] = None,
) -> Response:
    """One flight's travellers, those with a hit awaiting a decision highlighted and marked,
    each hit linked to its review page. Asks for the purpose first when none is stated;
    the read is recorded in the audit log with it."""
    require_travel(caller)
    stated = page_purpose(request, uow, purpose)
    if not stated:
        asked = {"nav": "flights", "flight_id": flight_id, "purpose": ""}
        return render(request, "flight.html", asked, status=428)
    found = read_manifest(uow, caller, readable, flight_id, stated)
    if found is None:  # answered, not raised, so that the audit record commits
        unknown = ModelError(
            f"no flight {flight_id!r}", arabic=f"لا توجد رحلة بالمعرّف {flight_id!r}"
        )
        return render_error(request, 404, unknown.worded(page_lang(request)))
    passengers = [t for t in found.travellers if t.row["role"] == "passenger"]
    context: dict[str, Any] = {
        "nav": "flights",
        "flight_id": flight_id,
        "purpose": stated,
        "flight": found.flight,
        "travellers": found.travellers,
        "passengers": len(passengers),
        "crew": len(found.travellers) - len(passengers),
    }
    return render(request, "flight.html", context)


@router.get("/travel/quality", name="travel_quality")
def quality_page(
    request: Request,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    start: DayText = None,
    end: DayText = None,
    carrier: Code = "",
    offsets: Annotated[str, Query(max_length=100)] = "",
    tolerance: Annotated[int | None, Query(ge=0, le=1440)] = None,
) -> Response:
    """The data-quality report: per carrier, manifests expected and received, late and
    missing pushes, count mismatches and messages with errors; then the flights and the
    messages with problems."""
    require_travel(caller)
    rules = Rules.parse(offsets or None, tolerance)
    report = build_report(
        uow, readable, None, day(start, None), day(end, None), carrier or None, rules
    )
    context = {
        "nav": "flights",
        "report": report,
        "carrier": carrier,
        "offsets": ",".join(f"{o.total_seconds() / 3600:g}" for o in rules.pnr_offsets),
        "tolerance": int(rules.tolerance.total_seconds() // 60),
    }
    return render(request, "quality.html", context)
