"""Travel data quality: do the carriers send what they must, complete and on time?

For each flight departing in a date range, and for each carrier, the report says:

* **expected vs received manifests.** A flight is expected to have an API manifest when the
  PIU's schedule lists it (``rasid travel schedule``) or when any message, API or PNR, was
  sent for it (the flight a PNRGOV batch's header names: the carrier pushed data for it, so
  API is due too). The other legs of a booking's itinerary are not expected: they may be
  flights the PIU does not cover. PNR is expected for scheduled flights (unless the schedule
  says the carrier sends none) and for flights any PNR push was sent for;
* **late or missing pushes**, as ``rasid.travel.checks`` matches pushes to the windows they
  are due in. Times are the times **Rasid received** the files
  (``travel_message.received_at``: the import's time, or what ``rasid ingest --received-at``
  says for a replayed file), never the carrier's own preparation time; departures are
  turned into UTC with the departure airport's zone (``schedule.departure_utc``; a schedule
  line's UTC offset wins; an airport of unknown zone has its local time taken as UTC, and
  the flight says so);
* **passenger-count mismatches.** A manifest's CNT+42 (passengers) and CNT+41 (crew) against
  the travellers it held, and a PNR batch's EQN against the PNRs it held; and per flight,
  after all updates, the newest declared count against every API traveller received;
* **messages with errors, warnings or quarantined records**, and per carrier the share of
  messages with errors.

Nothing here reads a clock: ``as_of`` is a parameter, and what was received after it is
not seen. Only messages and travellers of the datasets given count (``datasets``: None for
all); flights belong to no dataset.
"""

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, and_, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from rasid.model.errors import ModelError
from rasid.store.tables import (
    flight,
    flight_schedule,
    message_flight,
    quarantine,
    travel_message,
    traveller,
)
from rasid.travel.checks import (
    LATE,
    MISSING,
    Delivery,
    FlightFacts,
    FlightQuality,
    Rules,
    assess_flight,
)
from rasid.travel.schedule import day_start


@dataclass(frozen=True)
class MessageQuality:
    """A file received, with its errors, warnings and quarantined records."""

    id: str
    dataset: str
    source: str
    format: str
    sender: str
    carrier: str  # its first flight's carrier, else the sender
    received_at: datetime
    errors: int
    warnings: int
    quarantined: int
    problems: tuple[dict[str, str], ...] = ()  # severity, location, reason

    @property
    def has_problems(self) -> bool:
        """True when something in it was wrong, recovered or not."""
        return bool(self.errors or self.warnings or self.quarantined)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        data = dict(vars(self))
        data["received_at"] = self.received_at.isoformat()
        data["problems"] = list(self.problems)
        return data


@dataclass
class CarrierQuality:
    """One carrier's data quality over the report's flights and messages."""

    carrier: str
    flights: int = 0
    manifests_expected: int = 0
    manifests_received: int = 0
    manifests_late: int = 0
    manifests_missing: int = 0
    pnr_expected: int = 0  # pushes, over every flight PNR is expected for
    pnr_received: int = 0
    pnr_late: int = 0
    pnr_missing: int = 0
    count_mismatches: int = 0
    messages: int = 0
    messages_with_errors: int = 0
    messages_with_warnings: int = 0
    quarantined: int = 0
    mismatched: set[tuple[str, str, str]] = field(default_factory=set, repr=False)

    @property
    def error_rate(self) -> float:
        """The share of messages with errors (0 without messages)."""
        return self.messages_with_errors / self.messages if self.messages else 0.0

    def add_flight(self, found: FlightQuality) -> None:
        """Count one flight in."""
        self.flights += 1
        self.manifests_expected += 1
        self.manifests_received += found.manifests > 0
        self.manifests_late += found.api.status == LATE
        self.manifests_missing += found.api.status == MISSING
        self.pnr_expected += len(found.pnr)
        self.pnr_received += sum(1 for w in found.pnr if w.received_at is not None)
        self.pnr_late += sum(1 for w in found.pnr if w.status == LATE)
        self.pnr_missing += sum(1 for w in found.pnr if w.status == MISSING)
        for m in found.mismatches:
            # A manifest of several legs is one message: its mismatch counts once.
            key = (m.message_id or found.id, m.reference, m.what)
            if key not in self.mismatched:
                self.mismatched.add(key)
                self.count_mismatches += 1

    def add_message(self, message: MessageQuality) -> None:
        """Count one message in."""
        self.messages += 1
        self.messages_with_errors += message.errors > 0
        self.messages_with_warnings += message.warnings > 0
        self.quarantined += message.quarantined

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        data = {k: v for k, v in vars(self).items() if k != "mismatched"}
        data["error_rate"] = round(self.error_rate, 4)
        return data


def by_carrier(
    flights: Collection[FlightQuality], messages: Collection[MessageQuality]
) -> list[CarrierQuality]:
    """Per carrier, by code."""
    carriers: dict[str, CarrierQuality] = {}
    for found in flights:
        code = str(found.flight["carrier"])
        carriers.setdefault(code, CarrierQuality(code)).add_flight(found)
    for message in messages:
        carriers.setdefault(message.carrier, CarrierQuality(message.carrier)).add_message(message)
    return [carriers[code] for code in sorted(carriers)]


@dataclass(frozen=True)
class QualityReport:
    """The data-quality report of the flights departing from ``start`` to ``end``."""

    as_of: datetime
    start: date
    end: date
    rules: Rules
    carriers: tuple[CarrierQuality, ...]
    flights: tuple[FlightQuality, ...]  # every flight in the range that data is expected for
    messages: tuple[MessageQuality, ...]  # every message of those flights (and of none)

    @property
    def flights_with_problems(self) -> tuple[FlightQuality, ...]:
        """The flights with a late or missing push or a count mismatch."""
        return tuple(f for f in self.flights if f.problems)

    @property
    def messages_with_problems(self) -> tuple[MessageQuality, ...]:
        """The messages with errors, warnings or quarantined records."""
        return tuple(m for m in self.messages if m.has_problems)

    def to_dict(self, all_flights: bool = False) -> dict[str, Any]:
        """The JSON form: the flights with problems (every flight with ``all_flights``) and
        the messages with problems."""
        flights = self.flights if all_flights else self.flights_with_problems
        return {
            "as_of": self.as_of.isoformat(),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "rules": self.rules.to_dict(),
            "carriers": [c.to_dict() for c in self.carriers],
            "flights": [f.to_dict() for f in flights],
            "flights_total": len(self.flights),
            "messages": [m.to_dict() for m in self.messages_with_problems],
            "messages_total": len(self.messages),
        }


# Reading the store -----------------------------------------------------------------------

Clauses = list[ColumnElement[bool]]
DAYS_BEFORE, DAYS_AFTER = 7, 2  # the departure days a report covers by default


def default_range(today: date) -> tuple[date, date]:
    """The departure days a report covers unless told: the past week and the next two
    days (flights whose pushes are still coming)."""
    return today - timedelta(days=DAYS_BEFORE), today + timedelta(days=DAYS_AFTER)


def quality_report(
    conn: Connection,
    as_of: datetime,
    start: date,
    end: date,
    rules: Rules | None = None,
    datasets: Collection[str] | None = None,
    carrier: str | None = None,
) -> QualityReport:
    """The data-quality report of the flights departing from ``start`` to ``end`` (local
    days), as of ``as_of`` (naive UTC), of one carrier or all; ModelError for a range that
    ends before it starts."""
    if end < start:
        raise ModelError(f"the range ends ({end}) before it starts ({start})")
    rules = rules or Rules()
    code = carrier.strip().upper() if carrier and carrier.strip() else None
    in_range = _in_range(start, end, code)
    facts = load_flight_facts(conn, as_of, in_range, datasets)
    flights = tuple(assess_flight(f, rules, as_of) for f in facts)
    messages = load_messages(conn, as_of, in_range, _received_in(start, end), datasets)
    if code is not None:
        messages = [m for m in messages if m.carrier == code]
    carriers = tuple(by_carrier(flights, messages))
    return QualityReport(as_of, start, end, rules, carriers, flights, tuple(messages))


def _in_range(start: date, end: date, carrier: str | None) -> Clauses:
    clauses = [flight.c.departure_date >= start, flight.c.departure_date <= end]
    return clauses + ([flight.c.carrier == carrier] if carrier else [])


def _received_in(start: date, end: date) -> Clauses:
    """Received on the range's days (for messages sent for no flight)."""
    after = day_start(end) + timedelta(days=1)
    return [travel_message.c.received_at >= day_start(start), travel_message.c.received_at < after]


def _of(column: Any, datasets: Collection[str] | None) -> Clauses:
    return [] if datasets is None else [column.in_(sorted(set(datasets)))]


def load_flight_facts(
    conn: Connection, as_of: datetime, in_range: Clauses, datasets: Collection[str] | None
) -> list[FlightFacts]:
    """The flights in range that data is expected for (scheduled, or a message was sent for
    them), with their schedule, deliveries and API traveller counts."""
    sent = select(message_flight.c.flight_id).where(
        message_flight.c.received_at <= as_of, *_of(message_flight.c.dataset, datasets)
    )
    query = (
        select(flight, flight_schedule.c.departure_utc, flight_schedule.c.pnr_expected)
        .outerjoin(flight_schedule, flight_schedule.c.flight_id == flight.c.id)
        .where(*in_range, or_(flight_schedule.c.flight_id.is_not(None), flight.c.id.in_(sent)))
        .order_by(flight.c.departure_date, flight.c.scheduled_departure, flight.c.id)
    )
    deliveries = _deliveries(conn, as_of, in_range, datasets)
    counts = _api_counts(conn, as_of, in_range, datasets)
    found = []
    for row in conn.execute(query):
        m = row._mapping
        scheduled = m["pnr_expected"] is not None
        found.append(
            FlightFacts(
                flight={c.name: m[c.name] for c in flight.c},
                scheduled=scheduled,
                schedule_utc=m["departure_utc"],
                schedule_pnr=bool(m["pnr_expected"]) if scheduled else True,
                deliveries=tuple(deliveries.get(m["id"], ())),
                api_passengers=counts.get((m["id"], "passenger"), 0),
                api_crew=counts.get((m["id"], "crew"), 0),
            )
        )
    return found


def _deliveries(
    conn: Connection, as_of: datetime, in_range: Clauses, datasets: Collection[str] | None
) -> dict[str, list[Delivery]]:
    query = (
        select(message_flight)
        .join(flight, flight.c.id == message_flight.c.flight_id)
        .where(*in_range, message_flight.c.received_at <= as_of)
        .where(*_of(message_flight.c.dataset, datasets))
        .order_by(message_flight.c.received_at, message_flight.c.id)
    )
    found: dict[str, list[Delivery]] = {}
    for row in conn.execute(query):
        m = dict(row._mapping)
        flight_id = m.pop("flight_id")
        m["message_id"] = m.pop("message_id")
        del m["id"]
        found.setdefault(flight_id, []).append(Delivery(**m))
    return found


def _api_counts(
    conn: Connection, as_of: datetime, in_range: Clauses, datasets: Collection[str] | None
) -> dict[tuple[str, str], int]:
    """API travellers per flight and role (passenger, crew), every one received by then."""
    query = (
        select(traveller.c.flight_id, traveller.c.role, func.count())
        .join(flight, flight.c.id == traveller.c.flight_id)
        .where(*in_range, traveller.c.source == "api", traveller.c.first_seen <= as_of)
        .where(*_of(traveller.c.dataset, datasets))
        .group_by(traveller.c.flight_id, traveller.c.role)
    )
    return {(f, role): int(n) for f, role, n in conn.execute(query)}


def load_messages(
    conn: Connection,
    as_of: datetime,
    in_range: Clauses,
    received_in: Clauses,
    datasets: Collection[str] | None,
) -> list[MessageQuality]:
    """The messages sent for the flights in range, and those received in the range's days
    for no flight (nothing usable in them), by time received."""
    chosen = _messages(as_of, in_range, received_in, datasets)
    ids = chosen.with_only_columns(travel_message.c.id)
    first_carrier = (
        select(message_flight.c.message_id, func.min(flight.c.carrier))
        .join(flight, flight.c.id == message_flight.c.flight_id)
        .where(message_flight.c.message_id.in_(ids))
        .group_by(message_flight.c.message_id)
    )
    carriers: dict[str, str] = {m: c for m, c in conn.execute(first_carrier)}
    runs = chosen.with_only_columns(travel_message.c.run_id)
    quarantined = (
        select(quarantine.c.run_id, func.count())
        .where(quarantine.c.run_id.in_(runs))
        .group_by(quarantine.c.run_id)
    )
    held: dict[str, int] = {run: int(n) for run, n in conn.execute(quarantined)}
    return [
        MessageQuality(
            id=row.id,
            dataset=row.dataset,
            source=row.source,
            format=row.format,
            sender=row.sender,
            carrier=carriers.get(row.id) or row.sender,
            received_at=row.received_at,
            errors=row.errors,
            warnings=row.warnings,
            quarantined=int(held.get(row.run_id, 0)),
            problems=tuple(json.loads(row.problems)),
        )
        for row in conn.execute(chosen.order_by(travel_message.c.received_at, travel_message.c.id))
    ]


def _messages(
    as_of: datetime, in_range: Clauses, received_in: Clauses, datasets: Collection[str] | None
) -> Select[Any]:
    for_flights = (
        select(message_flight.c.message_id)
        .join(flight, flight.c.id == message_flight.c.flight_id)
        .where(*in_range)
    )
    for_none = and_(travel_message.c.id.not_in(select(message_flight.c.message_id)), *received_in)
    return select(travel_message).where(
        travel_message.c.received_at <= as_of,
        *_of(travel_message.c.dataset, datasets),
        or_(travel_message.c.id.in_(for_flights), for_none),
    )
