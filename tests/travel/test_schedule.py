"""Flight schedules: reading the CSV (bad lines named, the rest kept), storing the flights
as messages about them would (one flight row), and airport time zones."""

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from rasid.ingest.run import IngestRequest, ingest
from rasid.model.keys import content_key
from rasid.store import Store
from rasid.store.tables import flight, flight_schedule
from rasid.travel.schedule import (
    ScheduleError,
    airport_zones,
    departure_utc,
    read_schedule,
    save_schedule,
)
from tests.travel.helpers import API_UA988

UA988 = content_key("flight", "UA", "988", "FRA", "2018-05-12")
NOW = datetime(2018, 5, 1, 8, 0)

SCHEDULE = """Carrier,Flight Number,Departure Airport,Arrival Airport,Scheduled Departure,pnr
UA,0988,fra,IAD,2018-05-12T12:20,yes
XY,123,CAI,DXB,2018-05-12 10:00+02:00,no

XY,12345678,CAI,DXB,2018-05-12T10:00,
XY,124,CAIRO,DXB,2018-05-12T10:00,
XY,125,CAI,DXB,12/05/2018 10:00,
XY,126,CAI,DXB,2018-05-12T10:00,maybe
"""


def test_a_schedule_is_read_line_by_line() -> None:
    found = read_schedule(("\ufeff" + SCHEDULE).encode())  # a byte-order mark is ignored
    ua, xy = found.flights
    assert (ua.carrier, ua.flight_number, ua.departure_airport) == ("UA", "988", "FRA")
    assert (ua.departure, ua.departure_utc, ua.pnr_expected) == (
        datetime(2018, 5, 12, 12, 20),
        None,
        True,
    )
    assert ua.id == UA988  # the id an API or PNR message about it makes
    # With an offset: the local time as written, and the same time in UTC.
    assert (xy.departure, xy.departure_utc) == (
        datetime(2018, 5, 12, 10),
        datetime(2018, 5, 12, 8),
    )
    assert not xy.pnr_expected
    assert [str(p) for p in found.problems] == [
        "line 5: flight number '12345678' is not a number",
        "line 6: departure_airport 'CAIRO' is not a code of 3-3 letters",
        "line 7: scheduled_departure '12/05/2018 10:00' is not an ISO 8601 time (2026-12-01T09:30)",
        "line 8: pnr 'maybe' is neither yes nor no",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"carrier,flight_number\nXY,1\n", "column departure_airport, arrival_airport, "),
        (b"\xff\xfe\x00", "not UTF-8 text"),
    ],
)
def test_an_unreadable_schedule_says_why(data: bytes, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        read_schedule(data)


def test_scheduled_flights_are_the_flights_messages_make(store: Store, tmp_path: Path) -> None:
    schedule = read_schedule(SCHEDULE.encode())
    with store.uow() as uow:
        assert save_schedule(uow.conn, schedule.flights, "week49.csv", "cli:piu", NOW) == 2
    path = tmp_path / "api.edi"
    path.write_bytes(API_UA988)
    ingest(store, IngestRequest(str(path), "piu", agency="piu"))
    # Scheduled again, with a time in UTC this time: the line replaces the first.
    again = SCHEDULE.replace("2018-05-12T12:20,yes", "2018-05-12T12:20+02:00,no")
    with store.uow() as uow:
        save_schedule(uow.conn, read_schedule(again.encode()).flights, "fix.csv", "cli:x", NOW)
        flights = uow.conn.execute(select(flight.c.id, flight.c.arrival_airport)).all()
        row = uow.conn.execute(
            select(flight_schedule).where(flight_schedule.c.flight_id == UA988)
        ).one()
    assert len(flights) == 2 and (UA988, "IAD") in flights
    assert (row.departure_utc, row.pnr_expected, row.source, row.loaded_by) == (
        datetime(2018, 5, 12, 10, 20),
        False,
        "fix.csv",
        "cli:x",
    )


def test_airport_zones_name_real_zones() -> None:
    zones = airport_zones()
    assert len(zones) > 150 and all(len(code) == 3 for code in zones)
    assert departure_utc(datetime(2026, 7, 1, 12), "DXB") == datetime(2026, 7, 1, 8)
    assert departure_utc(datetime(2026, 7, 1, 12), "jfk") == datetime(2026, 7, 1, 16)
    assert departure_utc(datetime(2026, 7, 1, 12), "ZZZ") is None
