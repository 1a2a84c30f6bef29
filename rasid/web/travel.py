"""Flights, their manifests and the travel data-quality report in the JSON API.

``/api/flights`` lists flights, ``/api/flights/{id}`` gives one flight's manifest (personal
data: a purpose is required and every read, found or not, goes to the audit log), and
``/api/travel/quality`` the data-quality report. They are for people who screen travellers
or review hits (the ``screen`` or ``review`` scope), and show only the travellers and hits
of datasets the caller may read. Each route's docstring is its entry in the API
documentation.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from rasid.access.accounts import Scope
from rasid.access.policy import Denied, Principal, record
from rasid.model.errors import ModelError
from rasid.retention.unmask import record_unmasked
from rasid.screen.hits import HitStatus
from rasid.store import UnitOfWork
from rasid.store.statements import utcnow
from rasid.store.visibility import Visibility
from rasid.travel.checks import Rules
from rasid.travel.flights import FlightManifest, flight_manifest, list_flights, travel_datasets
from rasid.travel.quality import QualityReport, default_range, quality_report
from rasid.web.deps import ApiPurpose, Caller, Readable, Uow
from rasid.web.models import MAX_OFFSET, ErrorOut, signed_in

MAX_LIMIT = 500
MAX_DAYS = 366  # the longest range of departure days a report covers here
TRAVEL_SCOPES = (Scope.SCREEN, Scope.REVIEW)


def require_travel(caller: Principal) -> None:
    """Denied unless the caller screens travellers or reviews hits."""
    if not any(caller.may(scope) for scope in TRAVEL_SCOPES):
        role = caller.user.role.value
        token = caller.token_scopes is not None
        raise Denied(
            f"{'this token' if token else 'the role'} allows neither screening nor "
            f"reviewing ({role})",
            arabic=f"{'هذا الرمز' if token else 'الدور'} لا يسمح بالتدقيق ولا بالمراجعة ({role})",
        )


def _travel_caller(caller: Caller) -> Principal:
    require_travel(caller)
    return caller


router = APIRouter(
    prefix="/api",
    tags=["travel"],
    dependencies=[Depends(_travel_caller)],
    responses=signed_in(),
)
FlightId = Annotated[str, Path(max_length=64, description="The flight's id")]


def readable_travel(uow: UnitOfWork, readable: Visibility) -> list[str]:
    """The travel datasets the caller may read."""
    return travel_datasets(uow.conn, readable) or []


def as_utc(value: datetime | None) -> datetime:
    """A time as the store keeps times (naive UTC; one without an offset is UTC); now when
    None. ModelError for a time that has no UTC equivalent."""
    if value is None:
        return utcnow()
    try:
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    except (OverflowError, ValueError):
        raise ModelError(
            f"{value.isoformat()} has no UTC equivalent",
            arabic=f"لا مقابل للوقت {value.isoformat()} بالتوقيت العالمي",
        ) from None


def report_range(start: date | None, end: date | None, as_of: datetime) -> tuple[date, date]:
    """The departure days of a report (by default around ``as_of``); ModelError for a range
    backwards or longer than MAX_DAYS."""
    try:
        first, last = default_range(as_of.date())
    except OverflowError:
        raise ModelError(
            "as_of is too near the ends of the calendar",
            arabic="التاريخ as_of قريب جدًا من حدود التقويم",
        ) from None
    start, end = start or first, end or last
    if end < start:
        raise ModelError(
            f"the range ends ({end}) before it starts ({start})",
            arabic=f"تنتهي الفترة ({end}) قبل أن تبدأ ({start})",
        )
    if end - start >= timedelta(days=MAX_DAYS):
        raise ModelError(
            f"a report covers at most {MAX_DAYS} days of departures",
            arabic=f"لا يغطي التقرير أكثر من {MAX_DAYS} يومًا من أيام الإقلاع",
        )
    return start, end


# Models ------------------------------------------------------------------------------------


class FlightOut(BaseModel):
    """A flight, with what the caller may see of the people on it."""

    id: str
    carrier: str = Field(description="Operating carrier")
    flight_number: str = Field(description="Without leading zeros")
    departure_airport: str
    arrival_airport: str
    departure_date: date = Field(description="Local day of departure")
    scheduled_departure: datetime | None = Field(description="Local time, as sent")
    scheduled_arrival: datetime | None = Field(description="Local time, as sent")
    scheduled: bool = Field(description="Listed in the schedule the unit loaded")
    api_travellers: int = Field(description="Readable travellers from API (passengers, crew)")
    pnr_travellers: int = Field(description="Readable travellers from bookings (PNR)")
    open_hits: int = Field(description="Their hits awaiting a decision (new, escalated)")
    confirmed_hits: int = Field(description="Their hits a person confirmed")


class FlightPage(BaseModel):
    """One page of flights, by departure."""

    start: date | None
    end: date | None
    carrier: str | None
    airport: str | None
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last")
    results: list[FlightOut]


class TravellerHitOut(BaseModel):
    """A hit on a traveller (the review page, /hits/{id}, has its reasons)."""

    id: int
    kind: str = Field(description="name (watchlist), document (lost/stolen), rule (targeting)")
    status: HitStatus
    score: float
    matched_name: str
    watchlist: str | None


class TravellerOut(BaseModel):
    """A person on the flight, from API or from a booking."""

    id: str = Field(description="The traveller's row (the screened subject's external id)")
    dataset: str
    source: str = Field(description="api or pnr")
    role: str = Field(description="passenger or crew")
    surname: str
    given_names: str
    sex: str
    birth_date: str | None
    nationality: str
    seat: str
    booking_reference: str
    documents: list[dict[str, Any]] = Field(description="Type, number, issuing state, expiry")
    entity_id: str = Field(description="The FtM Person")
    masked: bool = Field(description="Personal data masked, its retention period having passed")
    hits: list[TravellerHitOut] = Field(description="Open ones first, best score first")


class ManifestOut(BaseModel):
    """A flight and the travellers on it the caller may read."""

    flight: FlightOut
    travellers: list[TravellerOut]


class WindowOut(BaseModel):
    """A push due, and what came of it."""

    kind: str = Field(description="api or pnr")
    offset_hours: float = Field(description="Due this long before departure")
    due: datetime = Field(description="UTC")
    status: str = Field(description="on_time, early, late, missing or pending (not due yet)")
    received_at: datetime | None = Field(description="When Rasid received the push (UTC)")
    delay_minutes: int | None = Field(description="After the due time (negative: before)")
    message_id: str | None


class MismatchOut(BaseModel):
    """A declared count (CNT+42, CNT+41, EQN) that differs from what was received."""

    what: str = Field(description="passengers, crew or bookings")
    declared: int
    received: int
    scope: str = Field(description="message (what it held) or flight (after all updates)")
    message_id: str | None
    reference: str


class FlightQualityOut(BaseModel):
    """One flight's data quality."""

    id: str
    carrier: str
    flight_number: str
    departure_airport: str
    arrival_airport: str
    departure_date: date
    scheduled_departure: datetime | None
    departure_utc: datetime
    zone_known: bool = Field(description="False: the airport's zone is unknown, local as UTC")
    scheduled: bool
    pnr_expected: bool
    manifests: int
    pnr_pushes: int
    api_passengers: int
    api_crew: int
    api: WindowOut
    pnr: list[WindowOut]
    mismatches: list[MismatchOut]
    problems: int = Field(description="Late or missing pushes and count mismatches")


class CarrierQualityOut(BaseModel):
    """One carrier's data quality over the report's flights and messages."""

    carrier: str
    flights: int
    manifests_expected: int
    manifests_received: int
    manifests_late: int
    manifests_missing: int
    pnr_expected: int = Field(description="PNR pushes due over its flights")
    pnr_received: int
    pnr_late: int
    pnr_missing: int
    count_mismatches: int
    messages: int
    messages_with_errors: int
    messages_with_warnings: int
    quarantined: int = Field(description="Records of its messages left out and quarantined")
    error_rate: float = Field(description="Share of messages with errors")


class MessageQualityOut(BaseModel):
    """A file received with errors, warnings or quarantined records."""

    id: str
    dataset: str
    source: str
    format: str
    sender: str
    carrier: str
    received_at: datetime
    errors: int
    warnings: int
    quarantined: int
    problems: list[dict[str, str]] = Field(description="Severity, location and reason")


class RulesOut(BaseModel):
    """When pushes were due."""

    pnr_offsets_hours: list[float]
    tolerance_minutes: int


class QualityOut(BaseModel):
    """The data-quality report."""

    as_of: datetime
    start: date
    end: date
    rules: RulesOut
    carriers: list[CarrierQualityOut]
    flights: list[FlightQualityOut] = Field(description="With problems (all with all_flights)")
    flights_total: int
    messages: list[MessageQualityOut]
    messages_total: int


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such flight the caller may see"}
}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut, "description": "An invalid parameter, or no purpose"}
}


# Routes ------------------------------------------------------------------------------------


@router.get("/flights", response_model=FlightPage, summary="List flights", responses=INVALID)
def flights(
    uow: Uow,
    readable: Readable,
    start: Annotated[date | None, Query(description="First day of departure (local)")] = None,
    end: Annotated[date | None, Query(description="Last day of departure (local)")] = None,
    carrier: Annotated[str | None, Query(max_length=3, description="Operating carrier")] = None,
    airport: Annotated[
        str | None, Query(max_length=3, description="Departure or arrival airport (IATA)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size, 1 to 500")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Flights to skip")] = 0,
) -> FlightPage:
    """List flights by departure, optionally departing in a range of days, of one carrier
    and touching one airport. Each flight says how many travellers the caller may read
    came from API and from bookings (PNR), and how many of their hits await a decision or
    were confirmed.

    A flight is listed when the schedule has it, or when a dataset the caller may read has
    travellers or messages on it. Needs the `screen` or `review` scope. Follow
    `next_offset` until it is null.
    """
    names = readable_travel(uow, readable)
    found = list_flights(uow.conn, names, start, end, carrier, airport, limit + 1, offset)
    return FlightPage(
        start=start,
        end=end,
        carrier=carrier,
        airport=airport,
        limit=limit,
        offset=offset,
        next_offset=offset + limit if len(found) > limit else None,
        results=[FlightOut.model_validate(f.to_dict()) for f in found[:limit]],
    )


def read_manifest(
    uow: UnitOfWork, caller: Principal, readable: Visibility, flight_id: str, purpose: str
) -> FlightManifest | None:
    """One flight's manifest as the caller may read it, recorded in the audit log with the
    purpose, found or not (the travellers' entities and datasets with it)."""
    names = readable_travel(uow, readable)
    found = flight_manifest(uow.conn, flight_id, names, readable.masking)
    if found is None:
        record(uow.conn, caller, "flight.read", flight_id, purpose, outcome="not_found")
        return None
    entities = sorted({str(t.row["entity_id"]) for t in found.travellers})
    record(
        uow.conn,
        caller,
        "flight.read",
        flight_id,
        purpose,
        datasets=found.datasets,
        travellers=len(found.travellers),
        entities=entities,
    )
    record_unmasked(uow.conn, caller, readable, purpose)
    return found


@router.get(
    "/flights/{flight_id}",
    response_model=ManifestOut,
    summary="One flight's manifest",
    responses=NOT_FOUND | INVALID,
)
def manifest(
    flight_id: FlightId, uow: Uow, caller: Caller, readable: Readable, purpose: ApiPurpose
) -> ManifestOut | JSONResponse:
    """Return a flight and its travellers (passengers, then crew, each by name): source
    (API or PNR), seat, documents, booking reference, and their hits with kind, status and
    score (open ones first; `/api/hits/{id}` has the reasons).

    Only travellers of datasets the caller may read are returned, and only hits on
    watchlists the caller may read. Travellers are personal data: a purpose is required
    (the `X-Rasid-Purpose` header or `purpose`), and every read, found or not, goes to the
    audit log with it. Answers 404 when there is no such flight the caller may see.
    """
    found = read_manifest(uow, caller, readable, flight_id, purpose)
    if found is None:  # answered, not raised, so that the audit record commits
        return JSONResponse({"detail": f"no flight {flight_id!r}"}, status_code=404)
    return ManifestOut.model_validate(found.to_dict())


def build_report(
    uow: UnitOfWork,
    readable: Visibility,
    as_of: datetime | None,
    start: date | None,
    end: date | None,
    carrier: str | None,
    rules: Rules,
) -> QualityReport:
    """The report as the caller may see it (their datasets' messages and travellers)."""
    moment = as_utc(as_of)
    first, last = report_range(start, end, moment)
    names = readable_travel(uow, readable)
    return quality_report(uow.conn, moment, first, last, rules, names, carrier)


@router.get("/travel/quality", response_model=QualityOut, summary="Data quality", responses=INVALID)
def quality(
    uow: Uow,
    readable: Readable,
    start: Annotated[
        date | None, Query(description="First day of departure (default: 7 days ago)")
    ] = None,
    end: Annotated[
        date | None, Query(description="Last day of departure (default: in 2 days)")
    ] = None,
    carrier: Annotated[str | None, Query(max_length=3, description="One carrier")] = None,
    as_of: Annotated[
        datetime | None, Query(description="Report as of this time (default: now; UTC)")
    ] = None,
    pnr_offsets: Annotated[
        str | None,
        Query(max_length=100, description="Hours before departure PNR is due (48,24,0)"),
    ] = None,
    tolerance_minutes: Annotated[
        int | None, Query(ge=0, le=1440, description="Early or late allowed (default 60)")
    ] = None,
    all_flights: Annotated[
        bool, Query(description="Every flight, not only those with problems")
    ] = False,
) -> QualityOut:
    """Report on the travel data received: for the flights departing in the range (at most
    366 days), whether the API manifest each is expected to have came, and on time; whether
    each PNR push came in its window (by default 48 h and 24 h before and at departure,
    give or take 60 minutes), late or not at all; counts declared in the messages (CNT+42
    passengers, CNT+41 crew, EQN bookings) that differ from what they held, or, after all
    updates, from the travellers received; and, per carrier, these counts with the
    messages that had errors, warnings or quarantined records.

    A flight is expected to have data when the schedule lists it or any message was sent
    for it. Times are when Rasid received the files, in UTC; departures are turned into UTC
    with the departure airport's time zone. Only the messages and travellers of datasets
    the caller may read count. Needs the `screen` or `review` scope.
    """
    rules = Rules.parse(pnr_offsets, tolerance_minutes)
    report = build_report(uow, readable, as_of, start, end, carrier, rules)
    return QualityOut.model_validate(report.to_dict(all_flights))
