"""Flight schedules, and departure times in UTC.

A passenger information unit knows which flights it should receive API and PNR data for from
the carriers' schedules. ``read_schedule`` reads one as CSV (UTF-8, a header line, comma
separated), one flight a line:

=====================  =========================================================================
column                 value
=====================  =========================================================================
carrier                the operating carrier's code (``XY``)
flight_number          its number (``0123`` and ``123`` are one flight; a suffix letter is kept)
departure_airport      IATA code
arrival_airport        IATA code
scheduled_departure    ISO 8601 local time (``2026-12-01T09:30`` or ``2026-12-01 09:30``),
                       optionally with its UTC offset (``2026-12-01T09:30+03:00``)
scheduled_arrival      optional, as scheduled_departure
pnr                    optional: ``no`` when the carrier sends no PNR for the flight (API is
                       expected from every scheduled flight); default ``yes``
=====================  =========================================================================

A line that cannot be read is reported with its number and the reason, and the other lines
are loaded. ``save_schedule`` adds each flight (the same flight row as API and PNR messages
make: carrier, number, departure airport and day) and notes it as scheduled.

Messages give departures in the departure airport's local time; ``departure_utc`` turns them
into UTC with the airport's zone from ``airports.yml``.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from rasid.model.errors import ModelError
from rasid.store.tables import flight_schedule
from rasid.travel.rows import flight_id, flight_key, flight_number
from rasid.travel.store import save_flights

REQUIRED = (
    "carrier",
    "flight_number",
    "departure_airport",
    "arrival_airport",
    "scheduled_departure",
)
OPTIONAL = ("scheduled_arrival", "pnr")
YES = frozenset({"", "yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})
MAX_LINES = 200_000  # a year of a large hub's departures is far less


class ScheduleError(ModelError):
    """A schedule file that cannot be read at all (not UTF-8 text, a column missing)."""


@dataclass(frozen=True)
class ScheduledFlight:
    """One line of a schedule: a flight, its local times and, when the line gave its UTC
    offset, the departure in UTC."""

    carrier: str
    flight_number: str
    departure_airport: str
    arrival_airport: str
    departure: datetime  # local, naive
    arrival: datetime | None
    departure_utc: datetime | None  # naive UTC
    pnr_expected: bool
    line: int
    position: int = 0  # (a leg's place in a message: none here)

    @property
    def id(self) -> str:
        """The flight's id, as messages about it make it."""
        key = flight_key(self)
        assert key is not None  # every field of the key is checked when the line is read
        return flight_id(key)


@dataclass(frozen=True)
class LineProblem:
    """A schedule line left out, and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class Schedule:
    """What a schedule file holds: its flights and the lines left out."""

    flights: list[ScheduledFlight] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)


def read_schedule(data: bytes) -> Schedule:
    """The flights of a CSV schedule (see the module's documentation); ScheduleError when
    the file is not UTF-8 text or lacks a required column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScheduleError(
            f"not UTF-8 text (byte {exc.start})",
            arabic=f"الملف ليس نصًا بترميز UTF-8 (البايت {exc.start})",
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise ScheduleError(
            "the file is empty: a header line is expected",
            arabic="الملف فارغ: يُنتظر سطر عناوين الأعمدة",
        )
    columns = _columns(header)
    schedule = Schedule()
    for values in reader:
        number = reader.line_num
        if number > MAX_LINES:
            raise ScheduleError(
                f"more than {MAX_LINES} lines: split the schedule",
                arabic=f"أكثر من {MAX_LINES} سطر: قسّم جدول الرحلات",
            )
        if not any(v.strip() for v in values):
            continue
        try:
            schedule.flights.append(_flight(columns, values, number))
        except ValueError as exc:
            schedule.problems.append(LineProblem(number, str(exc)))
    return schedule


def _columns(header: list[str]) -> dict[str, int]:
    """Where each known column is (names folded: ``Flight Number`` is flight_number)."""
    names = [h.strip().lower().replace(" ", "_").replace("-", "_") for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ScheduleError(
            f"column {', '.join(missing)} missing: the header needs {', '.join(REQUIRED)}",
            arabic=f"العمود {'، '.join(missing)} غير موجود: يحتاج سطر العناوين إلى "
            f"{'، '.join(REQUIRED)}",
        )
    return {name: names.index(name) for name in (*REQUIRED, *OPTIONAL) if name in names}


def _flight(columns: dict[str, int], values: list[str], line: int) -> ScheduledFlight:
    """One line as a flight; ValueError naming what is wrong."""

    def value(name: str) -> str:
        at = columns.get(name)
        return values[at].strip() if at is not None and at < len(values) else ""

    carrier = _code(value("carrier"), "carrier", 2, 3)
    number = flight_number(value("flight_number"))
    if not number or len(number) > 5 or not number[0].isdigit():
        raise ValueError(f"flight number {value('flight_number')[:10]!r} is not a number")
    departure, departure_utc = _time(value("scheduled_departure"), "scheduled_departure")
    arrival = value("scheduled_arrival")
    return ScheduledFlight(
        carrier=carrier,
        flight_number=number,
        departure_airport=_code(value("departure_airport"), "departure_airport", 3, 3),
        arrival_airport=_code(value("arrival_airport"), "arrival_airport", 3, 3),
        departure=departure,
        arrival=_time(arrival, "scheduled_arrival")[0] if arrival else None,
        departure_utc=departure_utc,
        pnr_expected=_yes(value("pnr")),
        line=line,
    )


def _code(value: str, column: str, shortest: int, longest: int) -> str:
    code = value.upper()
    if not (shortest <= len(code) <= longest and code.isalnum() and code.isascii()):
        raise ValueError(f"{column} {value[:10]!r} is not a code of {shortest}-{longest} letters")
    return code


def _time(value: str, column: str) -> tuple[datetime, datetime | None]:
    """A local time as written and, when it has an offset, the same time in UTC."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{column} {value[:25]!r} is not an ISO 8601 time (2026-12-01T09:30)"
        ) from None
    if parsed.tzinfo is None:
        return parsed, None
    return parsed.replace(tzinfo=None), parsed.astimezone(UTC).replace(tzinfo=None)


def _yes(value: str) -> bool:
    folded = value.lower()
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValueError(f"pnr {value[:10]!r} is neither yes nor no")


def save_schedule(
    conn: Connection, flights: list[ScheduledFlight], source: str, actor: str, now: datetime
) -> int:
    """Add the scheduled flights (known flights gain the times they lacked) and note them
    as scheduled; a flight scheduled again takes the newer line. Returns how many."""
    unique = {f.id: f for f in flights}
    rows = [
        {
            "id": key,
            "carrier": f.carrier,
            "flight_number": f.flight_number,
            "departure_airport": f.departure_airport,
            "arrival_airport": f.arrival_airport,
            "departure_date": f.departure.date(),
            "scheduled_departure": f.departure,
            "scheduled_arrival": f.arrival,
        }
        for key, f in unique.items()
    ]
    save_flights(conn, rows, now)
    scheduled = [
        {
            "flight_id": key,
            "departure_utc": f.departure_utc,
            "pnr_expected": f.pnr_expected,
            "source": source,
            "loaded_by": actor,
            "loaded_at": now,
        }
        for key, f in unique.items()
    ]
    if scheduled:
        module = postgresql if conn.dialect.name == "postgresql" else sqlite
        ins = module.insert(flight_schedule)
        changed = {c: ins.excluded[c] for c in scheduled[0] if c != "flight_id"}
        conn.execute(
            ins.on_conflict_do_update(index_elements=["flight_id"], set_=changed), scheduled
        )
    return len(unique)


# Time zones ------------------------------------------------------------------------------


@cache
def airport_zones() -> dict[str, str]:
    """The IANA zone of each airport Rasid knows (``airports.yml``), by IATA code."""
    text = resources.files("rasid.travel").joinpath("airports.yml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {str(k).upper(): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


@cache
def airport_zone(code: str) -> ZoneInfo | None:
    """The time zone of an airport, or None when it is not known (or the system's
    time-zone database lacks it)."""
    name = airport_zones().get(code.strip().upper())
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def departure_utc(local: datetime, airport: str) -> datetime | None:
    """A local departure time at ``airport`` in UTC (naive), or None when the airport's
    zone is not known. (A time that a clock change skips or repeats takes the offset
    before the change.)"""
    zone = airport_zone(airport)
    if zone is None:
        return None
    return local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def day_start(day: date) -> datetime:
    """Midnight of a day (a flight known by its day only)."""
    return datetime(day.year, day.month, day.day)
