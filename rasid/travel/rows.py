"""What a travel file stores, worked out before the database is touched (``Plan``).

Every row is keyed by a hash of its natural key, so a re-import finds the same rows:

* a flight is its carrier, flight number (leading zeros dropped: ``TZ0006`` is ``TZ6``),
  departure airport and local departure day, in no dataset: the same flight from API and PNR
  meets. A PNR leg that departs and arrives where and at the time the message's own flight
  does is that flight, whatever its marketing carrier (a codeshare: ``KE609`` on ``SQ609``);
* a booking is its dataset, the airline or system owning the record locator, and the
  locator; a version is the booking, the file it came in and the booking's content;
* a traveller row is a person entity on a flight. An API person is keyed by the manifest's
  first flight, names, birth date and first document; a PNR person by the booking and names,
  so the same traveller in the 48 h, 24 h and departure pushes is one entity. Deterministic
  keys never join people across flights or bookings: entity resolution proposes that;
* a message_flight row is a usable message of the file (a manifest, a PNR batch) and a flight
  it was sent for, with the counts it declared beside those it held (for data quality).

The message's own times (flights, bookings) are local and kept as sent.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from rasid.model.keys import content_key, sha256_hex
from rasid.travel.errors import Problem, excerpt, where
from rasid.travel.jsonform import to_json
from rasid.travel.manifest import Manifest, Traveller
from rasid.travel.parse import ParseResult
from rasid.travel.pnr import Leg, Pnr, PnrBatch, PnrTraveller

MakeId = Callable[..., str]
Row = dict[str, Any]
NUMBER = re.compile(r"0*([0-9]+)([A-Z]?)")


class FlightLike(Protocol):
    """A leg as PAXLST (``FlightLeg``) and PNRGOV (``Leg``) both give it."""

    @property
    def carrier(self) -> str: ...
    @property
    def flight_number(self) -> str: ...
    @property
    def departure_airport(self) -> str: ...
    @property
    def arrival_airport(self) -> str: ...
    @property
    def departure(self) -> datetime | None: ...
    @property
    def arrival(self) -> datetime | None: ...
    @property
    def position(self) -> int: ...
    @property
    def line(self) -> int: ...


def flight_number(number: str) -> str:
    """A flight number without leading zeros (``0006`` is ``6``), its suffix letter kept."""
    number = number.strip().upper()
    match = NUMBER.fullmatch(number)
    return f"{match.group(1)}{match.group(2)}" if match else number


def flight_key(leg: FlightLike) -> tuple[str, str, str, date] | None:
    """Carrier, number, departure airport and day of a leg; None when one is missing."""
    carrier, number = leg.carrier.strip().upper(), flight_number(leg.flight_number)
    airport = leg.departure_airport.strip().upper()
    if not (carrier and number and airport and leg.departure):
        return None
    return carrier, number, airport, leg.departure.date()


def flight_id(key: tuple[str, str, str, date]) -> str:
    """The id of the flight with this key (see ``flight_key``)."""
    carrier, number, airport, day = key
    return content_key("flight", carrier, number, airport, day.isoformat())


def same_flight(leg: FlightLike, other: FlightLike | None) -> bool:
    """True when two legs leave and arrive at the same airports at the same scheduled time
    (one aircraft under two flight numbers, as a codeshare is)."""
    if other is None or leg.departure is None:
        return False
    ends = [
        (x.departure_airport.strip().upper(), x.arrival_airport.strip().upper())
        for x in (leg, other)
    ]
    return ends[0] == ends[1] and leg.departure == other.departure


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


@dataclass
class Push:
    """One PNR as one message delivered it."""

    booking: Row  # the booking as this version has it
    version: Row
    links: list[Row]  # booking_flight rows
    travellers: list[Row]


@dataclass
class Plan:
    """Everything one file stores in the travel tables (the run adds when and by which run)."""

    message: Row
    flights: dict[str, Row] = field(default_factory=dict)
    travellers: list[Row] = field(default_factory=list)  # from API
    pushes: list[Push] = field(default_factory=list)
    message_flights: list[Row] = field(default_factory=list)  # for the data-quality report
    persons: set[str] = field(default_factory=set)
    notes: list[Problem] = field(default_factory=list)
    filtered: Counter[str] = field(default_factory=Counter)

    def counts(self) -> dict[str, Any]:
        """What the file says, for the import's summary (the same on a re-import)."""
        return {
            "travellers": len(self.persons),
            "bookings": len({p.booking["id"] for p in self.pushes}),
            "flights": len(self.flights),
            "filtered": sum(self.filtered.values()),
            "filtered_categories": dict(self.filtered),
        }


class Planner:
    """Builds the plan of one file, message by message."""

    def __init__(self, dataset: str, message: Row, make_id: MakeId) -> None:
        self.dataset = dataset
        self.make_id = make_id
        self.plan = Plan(message)

    @property
    def message_id(self) -> str:
        """The id of the file's travel_message row."""
        return str(self.plan.message["id"])

    def flight(self, leg: FlightLike, tag: str) -> str | None:
        """The id of a leg's flight, its row added; None (with a warning) when it has none."""
        key = flight_key(leg)
        if key is None:
            name = excerpt(f"{leg.carrier}{leg.flight_number}")
            reason = f"leg {name} lacks a carrier, number, departure airport or date: not kept"
            self.plan.notes.append(Problem(leg.position, leg.line, tag, reason, "warning"))
            return None
        carrier, number, airport, day = key
        found = flight_id(key)
        known = self.plan.flights.get(found)
        if known is None or not known["arrival_airport"]:
            self.plan.flights[found] = {
                "id": found,
                "carrier": carrier,
                "flight_number": number,
                "departure_airport": airport,
                "arrival_airport": leg.arrival_airport.strip().upper(),
                "departure_date": day,
                "scheduled_departure": leg.departure,
                "scheduled_arrival": leg.arrival,
            }
        return found

    # API ---------------------------------------------------------------------------------

    def add_manifest(self, manifest: Manifest) -> list[tuple[Traveller, str]]:
        """Flights and traveller rows of a manifest; its travellers with their person ids."""
        flights: list[str | None] = [
            f for f in (self.flight(leg, "TDT") for leg in manifest.legs) if f
        ]
        anchor = str(flights[0]) if flights else f"{self.message_id}:{manifest.reference}"
        for flight_id in dict.fromkeys(flights):  # a leg given twice is one flight
            self._sent_for(manifest, "api", str(flight_id))
        found = []
        for traveller in manifest.travellers:
            first = traveller.documents[0].number if traveller.documents else ""
            person = self.make_id(
                "api-traveller",
                anchor,
                traveller.surname,
                traveller.given_names,
                _iso(traveller.date_of_birth),
                first,
            )
            self.plan.persons.add(person)
            found.append((traveller, person))
            for flight_id in flights or [None]:
                self.plan.travellers.append(self._api_row(traveller, person, flight_id))
        return found

    def _api_row(self, traveller: Traveller, person: str, flight_id: str | None) -> Row:
        documents = [
            {
                "type": d.type,
                "number": d.number,
                "issuing_state": d.issuing_state,
                "expiry": d.expiry,
                "issued": d.issued,
            }
            for d in traveller.documents
        ]
        return {
            "id": content_key("traveller", self.dataset, flight_id or "", person),
            "dataset": self.dataset,
            "flight_id": flight_id,
            "booking_id": None,
            "message_id": self.message_id,
            "source": "api",
            "role": traveller.kind,
            "role_code": traveller.role,
            "surname": traveller.surname,
            "given_names": traveller.given_names,
            "sex": traveller.sex,
            "birth_date": traveller.date_of_birth,
            "nationality": traveller.nationality,
            "residence_country": traveller.residence_country,
            "seat": traveller.seat,
            "booking_reference": traveller.booking_reference,
            "documents": to_json(documents),
            "entity_id": person,
        }

    def _sent_for(self, message: Manifest | PnrBatch, kind: str, flight_id: str) -> None:
        """Note that a message was sent for a flight, with the counts it declared (CNT+42 and
        CNT+41 of a manifest, EQN of a PNR batch) beside what it held."""
        self.plan.message_flights.append(
            {
                "id": content_key(
                    "message-flight", self.message_id, str(message.position), flight_id
                ),
                "message_id": self.message_id,
                "flight_id": flight_id,
                "dataset": self.dataset,
                "kind": kind,
                "reference": message.reference,
                "function": message.function,
                **declared_counts(message),
            }
        )

    # PNR ---------------------------------------------------------------------------------

    def add_batch(
        self, batch: PnrBatch, screened: list[tuple[Pnr, Counter[str]]]
    ) -> list[tuple[Pnr, PnrTraveller, str]]:
        """Flights and bookings of a PNR batch (its PNRs already screened, with what the
        safeguard removed from each); each traveller with their PNR and person id."""
        main = self.flight(batch.flight, "TVL") if batch.flight is not None else None
        if main is not None:
            self._sent_for(batch, "pnr", main)
        found: list[tuple[Pnr, PnrTraveller, str]] = []
        for pnr, removed in screened:
            persons = self._add_pnr(pnr, removed, batch.flight, main)
            found.extend((pnr, traveller, person) for traveller, person in persons)
        return found

    def _add_pnr(
        self, pnr: Pnr, removed: Counter[str], pushed_for: Leg | None, main: str | None
    ) -> list[tuple[PnrTraveller, str]]:
        booking_id = content_key("booking", self.dataset, pnr.system, pnr.record_locator)
        links, legs = self._links(booking_id, pnr, pushed_for, main)
        persons = self._pnr_persons(pnr)
        rows = [
            self._pnr_row(traveller, person, booking_id, pnr, flight_id, legs.get(flight_id))
            for traveller, person in persons
            for flight_id in [*legs] or [None]
        ]
        version = self._version(booking_id, pnr, removed)
        booking = self._booking(booking_id, pnr, version)
        self.plan.pushes.append(Push(booking, version, links, rows))
        self.plan.filtered.update(removed)
        return persons

    def _links(
        self, booking_id: str, pnr: Pnr, pushed_for: Leg | None, main: str | None
    ) -> tuple[list[Row], dict[str | None, Leg | None]]:
        """The booking's flights in order (its air legs, then the flight the PNR was pushed
        for when no leg is it) as link rows, and the leg of each flight."""
        legs: dict[str | None, Leg | None] = {}
        for leg in pnr.itinerary:
            if leg.non_air:
                continue
            flight_id = main if main and same_flight(leg, pushed_for) else self.flight(leg, "TVL")
            if flight_id is not None and flight_id not in legs:
                legs[flight_id] = leg
        if main is not None and main not in legs and pushed_for is not None:
            legs[main] = pushed_for
        links = [
            {
                "booking_id": booking_id,
                "flight_id": flight_id,
                "position": i,
                "marketing_carrier": leg.carrier if leg else "",
                "marketing_flight_number": leg.flight_number if leg else "",
                "booking_class": leg.booking_class if leg else "",
                "status": leg.status if leg else "",
            }
            for i, (flight_id, leg) in enumerate(legs.items())
        ]
        return links, legs

    def _pnr_persons(self, pnr: Pnr) -> list[tuple[PnrTraveller, str]]:
        """Each traveller with a person id from the booking and the names (numbered when
        two travellers of one booking share their names)."""
        seen: Counter[tuple[str, str]] = Counter()
        found = []
        for traveller in pnr.travellers:
            names = (traveller.surname.upper(), traveller.given_names.upper())
            ordinal = str(seen[names]) if seen[names] else ""
            seen[names] += 1
            person = self.make_id("pnr-traveller", pnr.system, pnr.record_locator, *names, ordinal)
            self.plan.persons.add(person)
            found.append((traveller, person))
        return found

    def _pnr_row(
        self,
        traveller: PnrTraveller,
        person: str,
        booking_id: str,
        pnr: Pnr,
        flight_id: str | None,
        leg: Leg | None,
    ) -> Row:
        documents = [
            {
                "kind": d.kind,
                "type": d.type,
                "number": d.number,
                "issuing_state": d.issuing_country,
                "expiry": d.expiry,
                "issued": d.issued,
            }
            for d in traveller.documents
            if d.number
        ]
        return {
            "id": content_key("traveller", self.dataset, flight_id or "", person),
            "dataset": self.dataset,
            "flight_id": flight_id,
            "booking_id": booking_id,
            "message_id": self.message_id,
            "source": "pnr",
            "role": "passenger",
            "role_code": traveller.type_code,
            "surname": traveller.surname,
            "given_names": traveller.given_names,
            "sex": traveller.sex,
            "birth_date": traveller.date_of_birth,
            "nationality": traveller.nationality,
            "residence_country": "",
            "seat": seat_of(traveller, leg, len(pnr.travellers)),
            "booking_reference": pnr.record_locator,
            "documents": to_json(documents),
            "entity_id": person,
        }

    def _version(self, booking_id: str, pnr: Pnr, removed: Counter[str]) -> Row:
        data = to_json(pnr)
        digest_of_data = sha256_hex(data)
        message = self.plan.message
        return {
            "id": content_key("booking-version", booking_id, self.message_id, digest_of_data),
            "booking_id": booking_id,
            "message_id": self.message_id,
            "message_hash": message["content_hash"],
            "content_hash": digest_of_data,
            "as_of": pnr.last_transaction or message["prepared_at"],
            "data": data,
            "filtered": sum(removed.values()),
            "filtered_categories": to_json(dict(sorted(removed.items()))),
        }

    def _booking(self, booking_id: str, pnr: Pnr, version: Row) -> Row:
        return {
            "id": booking_id,
            "dataset": self.dataset,
            "carrier": pnr.system,
            "record_locator": pnr.record_locator,
            "booked_at": pnr.created,
            "last_transaction_at": pnr.last_transaction,
            "point_of_sale": to_json(pnr.agency or {}),
            "contacts": to_json(pnr.contacts),
            "addresses": to_json(pnr.addresses),
            "payments": to_json(pnr.payments),
            "tickets": to_json(pnr.tickets),
            "bags": to_json(pnr.bags),
            "current_version": version["id"],
            "as_of": version["as_of"],
        }


def declared_counts(message: Manifest | PnrBatch) -> dict[str, int | None]:
    """What a message declared (passengers CNT+42 and crew CNT+41 of a manifest, PNRs EQN of
    a batch; None when not sent) and what it held."""
    if isinstance(message, Manifest):
        return {
            "declared_passengers": message.passenger_count,
            "declared_crew": message.crew_count,
            "declared_bookings": None,
            "passengers": len(message.passengers),
            "crew": len(message.crew),
            "bookings": 0,
        }
    return {
        "declared_passengers": None,
        "declared_crew": None,
        "declared_bookings": message.pnr_count,
        "passengers": sum(len(pnr.travellers) for pnr in message.pnrs),
        "crew": 0,
        "bookings": len(message.pnrs),
    }


def seat_of(traveller: PnrTraveller, leg: Leg | None, travellers: int) -> str:
    """The traveller's seat on a leg: at check-in, else assigned to them, else the leg's only
    seat when the booking has one traveller."""
    if leg is None:
        return ""
    ref = traveller.reference
    for check_in in leg.check_ins:
        if check_in.seat and check_in.traveller_ref == ref:
            return check_in.seat
    for seat in leg.seats:
        if seat.number and seat.traveller_ref == ref:
            return seat.number
    numbers = {s.number for s in leg.seats if s.number}
    return numbers.pop() if travellers == 1 and len(numbers) == 1 else ""


def message_row(dataset: str, source: str, result: ParseResult, file_hash: str) -> Row:
    """The travel_message row of a file, before its counts (see ``close``)."""
    return {
        "id": content_key("travel-message", dataset, file_hash),
        "dataset": dataset,
        "source": source,
        "format": result.format,
        "sender": result.sender,
        "recipient": result.recipient,
        "control_reference": result.control_reference,
        "prepared_at": result.prepared,
        "content_hash": file_hash,
    }


def close(plan: Plan, result: ParseResult, messages: int) -> None:
    """Give the plan's message row its counts and every problem (the parser's and the
    planner's), each as severity, place and reason."""
    problems = sorted([*result.problems, *plan.notes], key=lambda p: p.segment_position)
    listed = [
        {
            "severity": p.severity,
            "location": where("", p.segment_position, p.line, p.tag),
            "reason": p.reason,
        }
        for p in problems
    ]
    counts = plan.counts()
    plan.message.update(
        messages=messages,
        flights=counts["flights"],
        travellers=counts["travellers"],
        bookings=counts["bookings"],
        errors=sum(1 for p in problems if p.is_error),
        warnings=sum(1 for p in problems if not p.is_error),
        filtered=counts["filtered"],
        problems=to_json(listed),
    )
