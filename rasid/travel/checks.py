"""The checks of one flight's data: pushes due and received, counts declared and received.

``assess_flight`` turns what is known of a flight (``FlightFacts``) into its
``FlightQuality`` as of a time; ``rasid.travel.quality`` reads the facts and adds it up.

* **Pushes.** PNR pushes are due at offsets before departure (by default 48 h, 24 h and at
  departure: EU practice sends PNR 24 to 48 hours before and at flight closure), API by
  departure, each within a tolerance either side (one hour by default). ``match_windows``
  gives each due push the delivery that answered it: first every delivery inside a window
  is that window's, on time; then each one that came after windows closed is the latest
  such window's, late; then each one that came before windows opened is the earliest such
  window's, early. A window that closed with no delivery is missing; one still open is
  pending. API has one window, with no start: anything before departure is on time.
* **Counts.** A manifest's CNT+42 (passengers) and CNT+41 (crew), and a PNR batch's EQN
  (PNRs), against what the message held; and per flight, after all updates, the newest
  declared passenger and crew counts against every API traveller received for it.

Nothing here reads a clock or the store.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rasid.model.errors import ModelError
from rasid.travel.schedule import day_start, departure_utc

DEFAULT_OFFSETS = (timedelta(hours=48), timedelta(hours=24), timedelta(0))
DEFAULT_TOLERANCE = timedelta(hours=1)
MAX_OFFSET_HOURS = 24 * 14
LATE, MISSING, ON_TIME, EARLY, PENDING = "late", "missing", "on_time", "early", "pending"


@dataclass(frozen=True)
class Rules:
    """When pushes are due: PNR at ``pnr_offsets`` before departure, API by departure, each
    within ``tolerance`` either side."""

    pnr_offsets: tuple[timedelta, ...] = DEFAULT_OFFSETS
    tolerance: timedelta = DEFAULT_TOLERANCE

    @classmethod
    def parse(cls, offsets: str | None = None, tolerance_minutes: int | None = None) -> "Rules":
        """Rules from text: offsets in hours, comma-separated (``48,24,0``), and the
        tolerance in minutes; ModelError naming a value that is not one."""
        rules = cls()
        if offsets is not None and offsets.strip():
            rules = cls(pnr_offsets=parse_offsets(offsets))
        if tolerance_minutes is not None:
            if not 0 <= tolerance_minutes <= 24 * 60:
                raise ModelError(f"tolerance {tolerance_minutes} is not 0 to 1440 minutes")
            rules = cls(rules.pnr_offsets, timedelta(minutes=tolerance_minutes))
        return rules

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: offsets in hours, tolerance in minutes."""
        return {
            "pnr_offsets_hours": [o.total_seconds() / 3600 for o in self.pnr_offsets],
            "tolerance_minutes": int(self.tolerance.total_seconds() // 60),
        }


def parse_offsets(text: str) -> tuple[timedelta, ...]:
    """Hours before departure, comma-separated (``48,24,0``; decimals allowed), largest
    first and without repeats; ModelError naming a value that is not 0 to 336 hours."""
    found: set[timedelta] = set()
    for part in text.split(","):
        try:
            hours = float(part.strip())
        except ValueError:
            raise ModelError(f"PNR offset {part.strip()[:12]!r} is not a number of hours") from None
        if not 0 <= hours <= MAX_OFFSET_HOURS:
            raise ModelError(f"PNR offset {hours:g} is not 0 to {MAX_OFFSET_HOURS} hours")
        found.add(timedelta(hours=hours))
    return tuple(sorted(found, reverse=True))


@dataclass(frozen=True)
class Delivery:
    """A message (manifest or PNR batch) sent for a flight, as received."""

    message_id: str
    dataset: str
    kind: str  # api, pnr
    reference: str
    function: str
    received_at: datetime  # naive UTC
    declared_passengers: int | None = None
    declared_crew: int | None = None
    declared_bookings: int | None = None
    passengers: int = 0
    crew: int = 0
    bookings: int = 0


@dataclass(frozen=True)
class Window:
    """A push due at ``due`` (UTC; ``offset`` before departure) and what came of it."""

    kind: str  # api, pnr
    offset: timedelta
    due: datetime
    status: str  # on_time, early, late, missing, pending
    received_at: datetime | None = None
    message_id: str | None = None

    @property
    def offset_hours(self) -> float:
        """The offset before departure, in hours."""
        return self.offset.total_seconds() / 3600

    @property
    def delay_minutes(self) -> int | None:
        """How long after the due time the push came (negative: before), in minutes."""
        if self.received_at is None:
            return None
        return int((self.received_at - self.due).total_seconds() // 60)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "kind": self.kind,
            "offset_hours": self.offset_hours,
            "due": self.due.isoformat(),
            "status": self.status,
            "received_at": self.received_at.isoformat() if self.received_at else None,
            "delay_minutes": self.delay_minutes,
            "message_id": self.message_id,
        }


def match_windows(
    dues: list[tuple[str, timedelta, datetime]],
    sent: list[Delivery],
    as_of: datetime,
    tolerance: timedelta,
    early: bool,
) -> list[Window]:
    """Each due push (kind, offset, due time; earliest due first) with the delivery that
    answered it (``sent``, by time received): see the module's documentation. Without
    ``early``, a window has no start: anything received before its due time is on time."""
    found: dict[int, tuple[str, Delivery]] = {}
    free = list(sent)

    def take(index: int, status: str, delivery: Delivery) -> None:
        found[index] = (status, delivery)
        free.remove(delivery)

    for i, (_, _, due) in enumerate(dues):
        opens = due - tolerance if early else datetime.min
        inside = [d for d in free if opens <= d.received_at <= due + tolerance]
        if inside:
            take(i, ON_TIME, inside[0])
    for delivery in list(free):
        passed = [
            i
            for i, w in enumerate(dues)
            if i not in found and w[2] + tolerance < delivery.received_at
        ]
        if passed:
            take(passed[-1], LATE, delivery)
    for delivery in list(free):
        ahead = [
            i
            for i, w in enumerate(dues)
            if i not in found and w[2] - tolerance > delivery.received_at
        ]
        if ahead:
            take(ahead[0], EARLY, delivery)
    return [
        _window(kind, offset, due, found.get(i), as_of, tolerance)
        for i, (kind, offset, due) in enumerate(dues)
    ]


def _window(
    kind: str,
    offset: timedelta,
    due: datetime,
    answer: tuple[str, Delivery] | None,
    as_of: datetime,
    tolerance: timedelta,
) -> Window:
    if answer is not None:
        status, delivery = answer
        return Window(kind, offset, due, status, delivery.received_at, delivery.message_id)
    return Window(kind, offset, due, MISSING if as_of > due + tolerance else PENDING)


@dataclass(frozen=True)
class Mismatch:
    """A count a message declared that differs from what was received: in that message, or
    (``message_id`` None) on the flight after all updates."""

    what: str  # passengers, crew, bookings
    declared: int
    received: int
    message_id: str | None = None
    reference: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "what": self.what,
            "declared": self.declared,
            "received": self.received,
            "scope": "message" if self.message_id else "flight",
            "message_id": self.message_id,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class FlightFacts:
    """What is known of one flight before it is assessed."""

    flight: dict[str, Any]  # the flight row
    scheduled: bool = False
    schedule_utc: datetime | None = None  # the schedule's departure in UTC, when it gave one
    schedule_pnr: bool = True
    deliveries: tuple[Delivery, ...] = ()
    api_passengers: int = 0  # API travellers on the flight, after all updates
    api_crew: int = 0


@dataclass(frozen=True)
class FlightQuality:
    """One flight's data quality."""

    flight: dict[str, Any]
    departure_utc: datetime
    zone_known: bool  # False: the local departure time was taken as UTC
    scheduled: bool
    pnr_expected: bool
    manifests: int  # API messages received for it
    pnr_pushes: int
    api_passengers: int
    api_crew: int
    windows: tuple[Window, ...]
    mismatches: tuple[Mismatch, ...]

    @property
    def id(self) -> str:
        """The flight's id."""
        return str(self.flight["id"])

    @property
    def api(self) -> Window:
        """The API window."""
        return self.windows[0]

    @property
    def pnr(self) -> tuple[Window, ...]:
        """The PNR windows, earliest due first."""
        return self.windows[1:]

    @property
    def problems(self) -> int:
        """How many things are wrong: late or missing pushes and count mismatches."""
        return sum(1 for w in self.windows if w.status in (LATE, MISSING)) + len(self.mismatches)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        row = self.flight
        return {
            "id": self.id,
            "carrier": row["carrier"],
            "flight_number": row["flight_number"],
            "departure_airport": row["departure_airport"],
            "arrival_airport": row["arrival_airport"],
            "departure_date": row["departure_date"].isoformat(),
            "scheduled_departure": _iso(row["scheduled_departure"]),
            "departure_utc": self.departure_utc.isoformat(),
            "zone_known": self.zone_known,
            "scheduled": self.scheduled,
            "pnr_expected": self.pnr_expected,
            "manifests": self.manifests,
            "pnr_pushes": self.pnr_pushes,
            "api_passengers": self.api_passengers,
            "api_crew": self.api_crew,
            "api": self.api.to_dict(),
            "pnr": [w.to_dict() for w in self.pnr],
            "mismatches": [m.to_dict() for m in self.mismatches],
            "problems": self.problems,
        }


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


# Assessing one flight ----------------------------------------------------------------------


def assess_flight(facts: FlightFacts, rules: Rules, as_of: datetime) -> FlightQuality:
    """The data quality of one flight as of ``as_of`` (naive UTC)."""
    departure, zone_known = flight_departure(facts)
    seen = sorted(
        (d for d in facts.deliveries if d.received_at <= as_of), key=lambda d: d.received_at
    )
    api = [d for d in seen if d.kind == "api"]
    pnr = [d for d in seen if d.kind == "pnr"]
    pnr_expected = bool(pnr) or (facts.scheduled and facts.schedule_pnr)
    api_due = [("api", timedelta(0), departure)]
    windows = match_windows(api_due, api, as_of, rules.tolerance, early=False)
    if pnr_expected:
        pnr_due = [("pnr", o, departure - o) for o in rules.pnr_offsets]
        windows += match_windows(pnr_due, pnr, as_of, rules.tolerance, early=True)
    return FlightQuality(
        flight=facts.flight,
        departure_utc=departure,
        zone_known=zone_known,
        scheduled=facts.scheduled,
        pnr_expected=pnr_expected,
        manifests=len(api),
        pnr_pushes=len(pnr),
        api_passengers=facts.api_passengers,
        api_crew=facts.api_crew,
        windows=tuple(windows),
        mismatches=tuple(message_mismatches(seen) + flight_mismatches(facts, api)),
    )


def flight_departure(facts: FlightFacts) -> tuple[datetime, bool]:
    """The flight's departure in UTC, and False when its airport's zone is unknown (the
    local time is then taken as UTC)."""
    if facts.schedule_utc is not None:
        return facts.schedule_utc, True
    row = facts.flight
    local = row["scheduled_departure"] or day_start(row["departure_date"])
    utc = departure_utc(local, row["departure_airport"])
    return (utc, True) if utc is not None else (local, False)


def message_mismatches(deliveries: Iterable[Delivery]) -> list[Mismatch]:
    """Counts each message declared (CNT+42, CNT+41, EQN) that differ from what it held."""
    found = []
    for d in deliveries:
        for what, declared, held in (
            ("passengers", d.declared_passengers, d.passengers),
            ("crew", d.declared_crew, d.crew),
            ("bookings", d.declared_bookings, d.bookings),
        ):
            if declared is not None and declared != held:
                found.append(Mismatch(what, declared, held, d.message_id, d.reference))
    return found


def flight_mismatches(facts: FlightFacts, api: list[Delivery]) -> list[Mismatch]:
    """The newest passenger and crew counts declared for the flight (``api`` by time
    received) against every API traveller received for it."""
    found = []
    for what, received in (("passengers", facts.api_passengers), ("crew", facts.api_crew)):
        declared = [
            getattr(d, f"declared_{what}")
            for d in api
            if getattr(d, f"declared_{what}") is not None
        ]
        if declared and declared[-1] != received:
            found.append(Mismatch(what, int(declared[-1]), received))
    return found
