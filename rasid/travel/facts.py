"""What a traveller's data says for each field of the targeting vocabulary.

A ``Context`` is one traveller row (with its flight) and what the rules may ask of it: the
booking, its itinerary, the other travellers of the booking, the booking as its newest
version was received. Each field of ``rules.yml`` has one function here, named after it,
that reads the field's value from a context: a value, a set of values, or None when the data
does not say (a criterion on a value the data lacks is not met).
"""

import json
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache
from typing import Any

from rasid.model.text import normalize_text
from rasid.travel.vocabulary import country_code, vocabulary

Row = Mapping[Any, Any]  # a result row's mapping
Fact = Any  # str | float | int | bool | frozenset[str] | None (unknown)


@dataclass
class Context:
    """One traveller row and what the rules may ask of it."""

    row: Row  # traveller columns and its flight's
    today: date
    listed: Collection[str] = ()
    booking: Row | None = None
    legs: list[Row] = field(default_factory=list)  # the booking's flights, in order
    companions: list[Row] = field(default_factory=list)  # travellers of the same booking
    version: Mapping[str, Any] | None = None  # the booking's newest version, as parsed
    memo: dict[str, Fact] = field(default_factory=dict)  # facts read so far

    def fact(self, name: str) -> Fact:
        """The value of a field for this traveller, read once however many rules ask."""
        if name not in self.memo:
            self.memo[name] = FACTS[name](self)
        return self.memo[name]

    @cached_property
    def itinerary(self) -> list[Row]:
        """The booking's flights, else the traveller's own flight, else none."""
        if self.legs:
            return self.legs
        return [self.row] if self.row.get("departure_airport") else []

    @cached_property
    def day(self) -> date:
        """The day of departure (today when the flight is unknown)."""
        found = self.row.get("departure_date")
        return found if isinstance(found, date) else self.today

    @cached_property
    def documents(self) -> list[dict[str, Any]]:
        """The traveller's documents."""
        return _json_list(self.row.get("documents"))


def _json_list(text: object) -> list[dict[str, Any]]:
    try:
        found = json.loads(str(text or "[]"))
    except ValueError:
        return []
    return [d for d in found if isinstance(d, dict)] if isinstance(found, list) else []


def json_object(text: object) -> dict[str, Any]:
    try:
        found = json.loads(str(text or "{}"))
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


@lru_cache(maxsize=4096)
def _country(value: str) -> str | None:
    return country_code(value.strip()) if value and value.strip() else None


def _countries(values: Iterator[object]) -> frozenset[str] | None:
    found = frozenset(c for c in (_country(str(v or "")) for v in values) if c)
    return found or None


# Facts: one function per field of the vocabulary -----------------------------------------


def departure_airport(ctx: Context) -> Fact:
    """The flight's departure airport."""
    return ctx.row.get("departure_airport") or None


def arrival_airport(ctx: Context) -> Fact:
    """The flight's arrival airport."""
    return ctx.row.get("arrival_airport") or None


def _ends(ctx: Context) -> tuple[str, str] | None:
    """Origin and destination: the first departure and the last arrival, or for a trip back
    to the origin its turnaround (the arrival of the middle leg)."""
    legs = ctx.itinerary
    if not legs:
        return None
    origin, destination = legs[0]["departure_airport"], legs[-1]["arrival_airport"]
    if destination == origin and len(legs) > 1:
        destination = legs[(len(legs) - 1) // 2]["arrival_airport"]
    return (origin, destination) if origin and destination else None


def route(ctx: Context) -> Fact:
    """Origin-destination of the booking, ``CAI-IST``."""
    ends = _ends(ctx)
    return f"{ends[0]}-{ends[1]}" if ends else None


def via_airport(ctx: Context) -> Fact:
    """Where the itinerary connects: arrivals before the last, but the origin and destination."""
    ends = _ends(ctx)
    if ends is None:
        return None
    return frozenset(leg["arrival_airport"] for leg in ctx.itinerary[:-1]) - set(ends) - {""}


def departure_date(ctx: Context) -> Fact:
    """The flight's departure day, ISO."""
    found = ctx.row.get("departure_date")
    return found.isoformat() if isinstance(found, date) else None


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekday(ctx: Context) -> Fact:
    """The flight's day of the week."""
    found = ctx.row.get("departure_date")
    return WEEKDAYS[found.weekday()] if isinstance(found, date) else None


def carrier(ctx: Context) -> Fact:
    """The flight's (operating) airline."""
    return ctx.row.get("carrier") or None


def flight_number(ctx: Context) -> Fact:
    """Airline and number, ``MS737``."""
    number = ctx.row.get("flight_number")
    return f"{ctx.row['carrier']}{number}" if number else None


def booked_hours_before_departure(ctx: Context) -> Fact:
    """Hours from the booking's creation to the scheduled departure (both local times as
    sent; a booking made after departure says nothing)."""
    booked = ctx.booking.get("booked_at") if ctx.booking else None
    leaves = ctx.row.get("scheduled_departure")
    if not isinstance(leaves, datetime) and isinstance(ctx.row.get("departure_date"), date):
        leaves = datetime.combine(ctx.row["departure_date"], datetime.min.time())
    if not isinstance(booked, datetime) or not isinstance(leaves, datetime) or booked > leaves:
        return None
    return round((leaves - booked).total_seconds() / 3600, 1)


def one_way(ctx: Context) -> Fact:
    """True when the booking does not come back to where it starts."""
    if ctx.booking is None or not ctx.itinerary:
        return None
    return bool(ctx.itinerary[-1]["arrival_airport"] != ctx.itinerary[0]["departure_airport"])


def legs(ctx: Context) -> Fact:
    """How many flights the booking holds."""
    return len(ctx.itinerary) if ctx.booking is not None and ctx.itinerary else None


def _point_of_sale(ctx: Context) -> dict[str, Any]:
    return json_object(ctx.booking.get("point_of_sale")) if ctx.booking else {}


def point_of_sale_country(ctx: Context) -> Fact:
    """The country where the booking was made."""
    return _country(str(_point_of_sale(ctx).get("country") or ""))


def travel_agency(ctx: Context) -> Fact:
    """The booking office and the agent's number."""
    sale = _point_of_sale(ctx)
    found = frozenset(str(sale.get(k) or "").strip().upper() for k in ("office", "agent_id"))
    return (found - {""}) or None


def _choices(spec_name: str, codes: set[str]) -> frozenset[str]:
    spec = vocabulary().fields[spec_name]
    return frozenset(c.name for c in spec.choices.values() if c.codes & codes)


def payment_type(ctx: Context) -> Fact:
    """The booking's forms of payment."""
    payments = _json_list(ctx.booking.get("payments")) if ctx.booking else []
    codes = {str(p.get("type") or "").strip().upper() for p in payments} - {""}
    return _choices("payment_type", codes) if codes else None


def _payer_names(ctx: Context) -> list[list[str]]:
    """The payers named in the booking's payer remarks (free text 4:43): the words before
    the first one holding a digit (the address follows the name)."""
    data = ctx.version or {}
    remarks = list(data.get("remarks") or [])
    for person in data.get("travellers") or []:
        remarks.extend(person.get("remarks") or [])
    names = []
    for remark in remarks:
        if str(remark.get("qualifier", "")).split(":")[-1] != "43":
            continue
        words = normalize_text(str(remark.get("text", ""))).split()
        name = list(_until_digit(words))
        if name:
            names.append(name)
    return names


def _until_digit(words: list[str]) -> Iterator[str]:
    for word in words:
        if any(c.isdigit() for c in word):
            return
        yield word


def third_party_payment(ctx: Context) -> Fact:
    """True when a payer named in the booking bears none of its travellers' surnames."""
    payers = _payer_names(ctx)
    if not payers:
        return None
    people = (ctx.version or {}).get("travellers") or []
    surnames = {normalize_text(str(p.get("surname", ""))) for p in people} - {""}
    return any(not any(f" {s} " in f" {' '.join(n)} " for s in surnames) for n in payers)


def bags(ctx: Context) -> Fact:
    """Checked bags in the booking (none known: 0)."""
    if ctx.booking is None:
        return None
    items = _json_list(ctx.booking.get("bags"))
    return sum(int(b["count"]) for b in items if isinstance(b.get("count"), int))


def _party(ctx: Context) -> set[str]:
    return {str(c["entity_id"]) for c in ctx.companions} | {str(ctx.row["entity_id"])}


def group_size(ctx: Context) -> Fact:
    """Travellers in the booking (or of the same booking reference on the flight)."""
    return len(_party(ctx))


def nationality(ctx: Context) -> Fact:
    """The traveller's nationality, ISO alpha-2."""
    return _country(str(ctx.row.get("nationality") or ""))


def residence_country(ctx: Context) -> Fact:
    """The traveller's country of residence, ISO alpha-2."""
    return _country(str(ctx.row.get("residence_country") or ""))


def document_issuing_state(ctx: Context) -> Fact:
    """The states that issued the traveller's documents."""
    return _countries(d.get("issuing_state") for d in ctx.documents)


def document_type(ctx: Context) -> Fact:
    """The kinds of the traveller's documents."""
    codes = {str(d.get("type") or "").strip().upper() for d in ctx.documents} - {""}
    return _choices("document_type", codes) if codes else None


def document_valid_days(ctx: Context) -> Fact:
    """Days from departure to the earliest expiry of the traveller's documents (negative:
    expired before)."""
    expiries = []
    for document in ctx.documents:
        try:
            expiries.append(date.fromisoformat(str(document.get("expiry") or "")))
        except ValueError:
            continue
    return (min(expiries) - ctx.day).days if expiries else None


def age(ctx: Context) -> Fact:
    """Age in whole years on the day of departure."""
    born = ctx.row.get("birth_date")
    if not isinstance(born, date):
        return None
    day = ctx.day
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def role(ctx: Context) -> Fact:
    """passenger or crew."""
    return ctx.row.get("role") or None


def data_source(ctx: Context) -> Fact:
    """api or pnr."""
    return ctx.row.get("source") or None


def travelling_with_listed(ctx: Context) -> Fact:
    """True when another traveller of the booking has an alerting watchlist match."""
    own = ctx.row["entity_id"]
    return any(c["id"] in ctx.listed and c["entity_id"] != own for c in ctx.companions)


def remark_contains(ctx: Context) -> Fact:
    """The booking's remarks (as kept after the safeguard), normalised."""
    if ctx.version is None:
        return None
    remarks = list(ctx.version.get("remarks") or [])
    for person in ctx.version.get("travellers") or []:
        remarks.extend(person.get("remarks") or [])
    return normalize_text(" ".join(str(r.get("text", "")) for r in remarks))


def email_domain(ctx: Context) -> Fact:
    """The domains of the booking's e-mail contacts (PNRs write @ as //)."""
    contacts = _json_list(ctx.booking.get("contacts")) if ctx.booking else []
    found = set()
    for contact in contacts:
        value = str(contact.get("value") or "").strip().lower().replace("//", "@")
        if contact.get("kind") == "email" and "@" in value:
            found.add(value.rsplit("@", 1)[1])
    return frozenset(found) or None


FACTS: dict[str, Callable[[Context], Fact]] = {
    f.__name__: f
    for f in (
        departure_airport,
        arrival_airport,
        route,
        via_airport,
        departure_date,
        weekday,
        carrier,
        flight_number,
        booked_hours_before_departure,
        one_way,
        legs,
        point_of_sale_country,
        travel_agency,
        payment_type,
        third_party_payment,
        bags,
        group_size,
        nationality,
        residence_country,
        document_issuing_state,
        document_type,
        document_valid_days,
        age,
        role,
        data_source,
        travelling_with_listed,
        remark_contains,
        email_domain,
    )
}
