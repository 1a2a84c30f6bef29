"""One flight's checks, without a store: pushes matched to the windows they were due in,
counts declared against counts received, and the rules read from text."""

from datetime import date, datetime, timedelta

import pytest

from rasid.model.errors import ModelError
from rasid.travel.checks import (
    Delivery,
    FlightFacts,
    Rules,
    assess_flight,
    flight_departure,
    match_windows,
    parse_offsets,
)

DEPARTS = datetime(2026, 12, 1, 12, 0)  # UTC
HOUR = timedelta(hours=1)
TOLERANCE = HOUR
PNR_DUE = [("pnr", timedelta(hours=h), DEPARTS - timedelta(hours=h)) for h in (48, 24, 0)]


def delivery(received: datetime, kind: str = "pnr", **counts: int) -> Delivery:
    return Delivery(f"m-{received.isoformat()}", "piu", kind, "1", "22", received, **counts)


def before(hours: float) -> datetime:
    return DEPARTS - timedelta(hours=hours)


# Pushes received (hours before departure), the time of the report (hours before), and
# the status of the 48 h, 24 h and departure windows.
CASES = [
    ("all on time", [48, 24.5, -0.5], -2, ["on_time", "on_time", "on_time"]),
    ("none yet, none due", [], 49.5, ["pending", "pending", "pending"]),
    ("first missing, rest pending", [], 46, ["missing", "pending", "pending"]),
    ("none at all", [], -2, ["missing", "missing", "missing"]),
    ("the 24 h push came 4 h late", [48, 20, 0], -2, ["on_time", "late", "on_time"]),
    # A push after two windows closed answers the latest of them; the earlier is missing.
    ("one push after two windows", [20], -2, ["missing", "late", "missing"]),
    ("one push before any window", [60], -2, ["early", "missing", "missing"]),
    ("within the tolerance either side", [48.9, 23.1, 0], -2, ["on_time"] * 3),
    ("departure push one hour late", [48, 24, -1.5], -2, ["on_time", "on_time", "late"]),
]


@pytest.mark.parametrize(
    ("pushes", "now", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_pushes_answer_the_windows_they_were_due_in(
    pushes: list[float], now: float, expected: list[str]
) -> None:
    sent = [delivery(before(h)) for h in pushes]
    windows = match_windows(PNR_DUE, sent, before(now), TOLERANCE, early=True)
    assert [w.status for w in windows] == expected


def test_a_late_push_says_when_it_came_and_how_late() -> None:
    [_, late, _] = match_windows(
        PNR_DUE, [delivery(before(48)), delivery(before(20))], before(-2), TOLERANCE, early=True
    )
    assert (late.received_at, late.delay_minutes) == (before(20), 240)
    assert late.message_id == f"m-{before(20).isoformat()}"
    assert late.offset_hours == 24


def test_api_is_on_time_whenever_it_comes_before_departure() -> None:
    api_due = [("api", timedelta(0), DEPARTS)]
    early = match_windows(api_due, [delivery(before(72), "api")], DEPARTS, TOLERANCE, early=False)
    assert early[0].status == "on_time"
    late = match_windows(api_due, [delivery(before(-3), "api")], DEPARTS, TOLERANCE, early=False)
    assert (late[0].status, late[0].delay_minutes) == ("late", 180)


def flight_row(airport: str = "CAI", local: datetime | None = datetime(2026, 12, 1, 14)) -> dict:
    return {
        "id": "f1",
        "carrier": "XY",
        "flight_number": "123",
        "departure_airport": airport,
        "arrival_airport": "DXB",
        "departure_date": date(2026, 12, 1),
        "scheduled_departure": local,
        "scheduled_arrival": None,
    }


def test_departures_are_turned_into_utc_with_the_airport_zone() -> None:
    # Cairo is UTC+2 in December; Frankfurt UTC+2 in May (summer time), UTC+1 in December.
    assert flight_departure(FlightFacts(flight_row("CAI"))) == (DEPARTS, True)
    winter = flight_row("FRA", datetime(2026, 12, 1, 13))
    assert flight_departure(FlightFacts(winter)) == (DEPARTS, True)
    summer = flight_row("FRA", datetime(2018, 5, 12, 12, 20))
    assert flight_departure(FlightFacts(summer)) == (datetime(2018, 5, 12, 10, 20), True)
    # An airport of unknown zone: the local time is taken as UTC, and said to be.
    unknown = flight_row("ZZZ", datetime(2026, 12, 1, 14))
    assert flight_departure(FlightFacts(unknown)) == (datetime(2026, 12, 1, 14), False)
    # A schedule's UTC time wins; a flight known by its day only departs at its midnight.
    given = FlightFacts(flight_row("ZZZ"), scheduled=True, schedule_utc=DEPARTS)
    assert flight_departure(given) == (DEPARTS, True)
    assert flight_departure(FlightFacts(flight_row("ZZZ", None)))[0] == datetime(2026, 12, 1)


def test_counts_declared_against_counts_received() -> None:
    sent = (
        delivery(before(30), "api", declared_passengers=3, passengers=2, declared_crew=1, crew=1),
        delivery(before(2), "api", declared_passengers=2, passengers=2),
        delivery(before(24), "pnr", declared_bookings=2, bookings=1),
    )
    facts = FlightFacts(flight_row(), deliveries=sent, api_passengers=2, api_crew=2)
    found = assess_flight(facts, Rules(), before(-2))
    shown = {(m.what, m.declared, m.received, m.message_id is None) for m in found.mismatches}
    assert shown == {
        ("passengers", 3, 2, False),  # the first manifest held fewer than it declared
        ("bookings", 2, 1, False),  # EQN said two PNRs, one came
        ("crew", 1, 2, True),  # after all updates: the newest crew count, against two received
    }
    # The newest passenger count (2) matches what was received: no flight-level mismatch.
    assert found.problems == 3 + sum(1 for w in found.windows if w.status in ("late", "missing"))


def test_pnr_is_expected_from_scheduled_flights_and_flights_pushed_for() -> None:
    api_only = assess_flight(
        FlightFacts(flight_row(), deliveries=(delivery(before(1), "api"),)), Rules(), DEPARTS
    )
    assert not api_only.pnr_expected and api_only.pnr == ()
    scheduled = assess_flight(FlightFacts(flight_row(), scheduled=True), Rules(), before(-2))
    assert [w.status for w in scheduled.windows] == ["missing"] * 4
    no_pnr = FlightFacts(flight_row(), scheduled=True, schedule_pnr=False)
    assert assess_flight(no_pnr, Rules(), before(-2)).pnr == ()


def test_what_comes_after_the_report_time_is_not_seen() -> None:
    facts = FlightFacts(flight_row(), deliveries=(delivery(before(-5), "api"),))
    found = assess_flight(facts, Rules(), before(-2))
    assert (found.manifests, found.api.status) == (0, "missing")


@pytest.mark.parametrize(
    ("text", "hours"),
    [("48,24,0", [48, 24, 0]), (" 0, 72 ,24,24", [72, 24, 0]), ("1.5", [1.5])],
)
def test_offsets_are_read_largest_first(text: str, hours: list[float]) -> None:
    assert parse_offsets(text) == tuple(timedelta(hours=h) for h in hours)


@pytest.mark.parametrize(
    ("offsets", "tolerance", "message"),
    [
        ("48,soon", None, "'soon' is not a number of hours"),
        ("-1", None, "-1 is not 0 to 336 hours"),
        ("48,,0", None, "'' is not a number of hours"),
        (None, 2000, "tolerance 2000 is not 0 to 1440 minutes"),
    ],
)
def test_bad_rules_are_refused_with_the_value(
    offsets: str | None, tolerance: int | None, message: str
) -> None:
    with pytest.raises(ModelError, match=message):
        Rules.parse(offsets, tolerance)


def test_rules_default_to_48_24_and_departure_within_an_hour() -> None:
    rules = Rules.parse(None, None)
    assert rules.to_dict() == {"pnr_offsets_hours": [48.0, 24.0, 0.0], "tolerance_minutes": 60}
    assert Rules.parse("24", 30).to_dict() == {"pnr_offsets_hours": [24.0], "tolerance_minutes": 30}
