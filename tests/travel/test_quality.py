"""The data-quality report on both databases: the real samples, and small messages made
here for a count mismatch, a late push, a missing push and a scheduled flight with no
manifest. Files are replayed with the time they were received (``received_at``)."""

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from rasid.ingest.run import IngestRequest, ingest
from rasid.model.errors import ModelError
from rasid.model.keys import content_key
from rasid.store import Store
from rasid.store.tables import message_flight, travel_message
from rasid.travel.checks import Rules
from rasid.travel.quality import CarrierQuality, QualityReport, default_range, quality_report
from rasid.travel.schedule import read_schedule, save_schedule
from tests.travel.helpers import API_UA988, DATA_DIR, PNR_WITHOUT_LOCATOR, PUSHES, SAMPLES

UA988 = content_key("flight", "UA", "988", "FRA", "2018-05-12")  # 12:20 in Frankfurt: 10:20 UTC
MAY_12 = date(2018, 5, 12)


def receive(
    store: Store, tmp_path: Path, name: str, data: bytes, at: datetime, dataset: str = "piu"
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    ingest(store, IngestRequest(str(path), dataset, agency="piu", received_at=at))


def report(
    store: Store,
    as_of: datetime,
    start: date = MAY_12,
    end: date = MAY_12,
    datasets: list[str] | None = None,
    rules: Rules | None = None,
    carrier: str | None = None,
) -> QualityReport:
    with store.uow() as uow:
        return quality_report(uow.conn, as_of, start, end, rules, datasets, carrier)


def of_carrier(found: QualityReport, code: str) -> CarrierQuality:
    [match] = [c for c in found.carriers if c.carrier == code]
    return match


def test_the_samples(store: Store, tmp_path: Path) -> None:
    for name in SAMPLES:
        data = (DATA_DIR / name).read_bytes()
        receive(store, tmp_path, name, data, datetime(2020, 1, 1))
    found = report(store, datetime(2020, 1, 2), date(2007, 1, 1), date(2019, 1, 1))
    flights = {
        f"{f.flight['carrier']}{f.flight['flight_number']} {f.flight['departure_airport']}": f
        for f in found.flights
    }
    # Flights that messages were sent for; the other legs of the itineraries are not expected.
    assert sorted(flights) == [
        "AA123 ATL", "AA124 ORD", "AM498 MTY", "DL324 LHR", "QQ827 IAD", "QQ827 JFK",
        "QQ877 MIA", "SQ609 ICN", "TN506 BRE", "TZ6 SIN", "UA988 FRA", "UA989 FRA",
    ]  # fmt: skip
    # The manifest with custom separators declares 136 passengers (CNT+42) and holds 10.
    tn506 = flights["TN506 BRE"]
    assert {(m.what, m.declared, m.received, bool(m.message_id)) for m in tn506.mismatches} == {
        ("passengers", 136, 10, True),
        ("passengers", 136, 10, False),
    }
    # The full PNR message announces two PNRs (EQN+2) and holds one.
    assert [(m.what, m.declared, m.received) for m in flights["DL324 LHR"].mismatches] == [
        ("bookings", 2, 1)
    ]
    # Everything came in 2020: every manifest late, and the PNR flights got one push each,
    # late for departure, the 48 h and 24 h pushes missing, and no API manifest at all.
    assert {f.api.status for f in found.flights if f.manifests} == {"late"}
    assert [w.status for w in flights["SQ609 ICN"].windows] == [
        "missing",
        "missing",
        "missing",
        "late",
    ]
    # One manifest over three legs is one message, counted once for its carrier.
    qq = of_carrier(found, "QQ")
    assert (qq.flights, qq.manifests_received, qq.messages, qq.messages_with_warnings) == (
        3,
        3,
        1,
        1,
    )
    tz = of_carrier(
        found, "TZ"
    )  # two PNR files for TZ6: a late 24 h push and a late one at departure
    assert (tz.pnr_expected, tz.pnr_received, tz.pnr_late, tz.pnr_missing) == (3, 2, 2, 1)
    assert of_carrier(found, "TN").count_mismatches == 2
    assert sum(c.messages for c in found.carriers) == len(SAMPLES)
    assert {m.carrier for m in found.messages_with_problems} >= {"TN", "UA", "DL", "QQ"}


def test_the_time_received_is_kept_for_a_replayed_file(store: Store, tmp_path: Path) -> None:
    at = datetime(2018, 5, 12, 9, 0)
    receive(store, tmp_path, "api.edi", API_UA988, at)
    with store.uow() as uow:
        assert uow.conn.execute(select(travel_message.c.received_at)).scalar_one() == at
        sent = uow.conn.execute(select(message_flight)).one()
    assert (sent.flight_id, sent.kind, sent.received_at) == (UA988, "api", at)
    assert (sent.declared_passengers, sent.passengers, sent.declared_crew) == (1, 1, None)


def test_a_manifest_declaring_more_passengers_than_it_holds(store: Store, tmp_path: Path) -> None:
    receive(
        store,
        tmp_path,
        "api.edi",
        API_UA988.replace(b"CNT+42:1", b"CNT+42:2"),
        datetime(2018, 5, 12, 9),
    )
    found = report(store, datetime(2018, 5, 12, 12))
    [ua988] = found.flights
    assert ua988.api.status == "on_time" and ua988.api_passengers == 1
    assert [m.to_dict() for m in ua988.mismatches] == [
        {"what": "passengers", "declared": 2, "received": 1, "scope": "message",
         "message_id": ua988.api.message_id, "reference": "1"},
        {"what": "passengers", "declared": 2, "received": 1, "scope": "flight",
         "message_id": None, "reference": ""},
    ]  # fmt: skip
    # An update declaring one passenger (the second was offloaded) leaves no mismatch.
    update = API_UA988.replace(b"+API1'", b"+API2'")
    receive(store, tmp_path, "update.edi", update, datetime(2018, 5, 12, 9, 30))
    [after] = report(store, datetime(2018, 5, 12, 12)).flights
    [left] = after.mismatches  # the first manifest's own, still shown
    assert (left.declared, left.message_id) == (2, ua988.api.message_id)


def test_a_late_push_and_a_missing_one(store: Store, tmp_path: Path) -> None:
    receive(store, tmp_path, "48h.edi", PUSHES["48h"], datetime(2018, 5, 10, 10, 0))
    receive(store, tmp_path, "24h.edi", PUSHES["24h"], datetime(2018, 5, 11, 14, 0))
    receive(store, tmp_path, "api.edi", API_UA988, datetime(2018, 5, 12, 9, 0))
    # Before the departure window closes (10:20 UTC, plus an hour), that push is pending.
    pending = report(store, datetime(2018, 5, 12, 10, 30))
    [ua988] = pending.flights
    assert [(w.offset_hours, w.status) for w in ua988.pnr] == [
        (48, "on_time"),
        (24, "late"),
        (0, "pending"),
    ]
    assert ua988.pnr[1].delay_minutes == 220  # due 10:20 UTC, received 14:00
    assert ua988.pnr[1].received_at == datetime(2018, 5, 11, 14, 0)
    closed = report(store, datetime(2018, 5, 12, 12, 0))
    [ua988] = closed.flights
    assert [w.status for w in ua988.windows] == ["on_time", "on_time", "late", "missing"]
    ua = of_carrier(closed, "UA")
    assert (ua.pnr_expected, ua.pnr_received, ua.pnr_late, ua.pnr_missing) == (3, 2, 1, 1)
    assert (ua.manifests_expected, ua.manifests_received, ua.manifests_missing) == (1, 1, 0)
    # A wider tolerance forgives the 24 h push, and waits longer for the last one.
    relaxed = Rules.parse("48,24,0", 240)
    later = report(store, datetime(2018, 5, 12, 12), rules=relaxed)
    assert [w.status for w in later.flights[0].pnr] == ["on_time", "on_time", "pending"]
    # As of before the second push arrived, it is not seen: that window is missing then.
    earlier = report(store, datetime(2018, 5, 11, 12, 0))
    assert [w.status for w in earlier.flights[0].pnr] == ["on_time", "missing", "pending"]


def test_a_scheduled_flight_with_no_manifest(store: Store) -> None:
    schedule = read_schedule(
        b"carrier,flight_number,departure_airport,arrival_airport,scheduled_departure,pnr\n"
        b"XY,123,CAI,DXB,2018-05-12T10:00,no\n"
        b"XY,77,ZZZ,DXB,2018-05-12T10:00,yes\n"
    )
    with store.uow() as uow:
        save_schedule(uow.conn, schedule.flights, "may.csv", "cli:piu", datetime(2018, 5, 1))
    before = report(store, datetime(2018, 5, 12, 8, 30))  # Cairo's 10:00 was 08:00 UTC
    xy123, xy77 = before.flights
    assert (xy123.scheduled, xy123.api.status, xy123.pnr) == (True, "pending", ())
    after = report(store, datetime(2018, 5, 12, 9, 30))  # and the window closed at 09:00
    xy123, xy77 = after.flights
    assert xy123.api.status == "missing" and xy123.problems == 1
    # ZZZ's zone is unknown: its local time is taken as UTC, and the flight says so.
    assert (xy77.zone_known, xy77.departure_utc) == (False, datetime(2018, 5, 12, 10))
    assert [w.status for w in xy77.windows] == ["pending", "missing", "missing", "pending"]
    xy = of_carrier(after, "XY")
    assert (xy.flights, xy.manifests_expected, xy.manifests_received) == (2, 2, 0)
    assert (xy.manifests_missing, xy.pnr_expected, xy.pnr_missing, xy.messages) == (1, 3, 2, 0)


def test_messages_with_errors_and_their_quarantined_records(store: Store, tmp_path: Path) -> None:
    receive(store, tmp_path, "pnr.edi", PNR_WITHOUT_LOCATOR, datetime(2024, 3, 4, 9))
    found = report(store, datetime(2024, 3, 6), date(2024, 3, 5), date(2024, 3, 5))
    [message] = found.messages_with_problems
    assert (message.carrier, message.errors, message.quarantined) == ("XY", 1, 1)
    assert any(p["severity"] == "error" for p in message.problems)
    xy = of_carrier(found, "XY")
    assert (xy.messages, xy.messages_with_errors, xy.error_rate, xy.quarantined) == (1, 1, 1.0, 1)
    # EQN+2 announced two PNRs; one was left out.
    assert [(m.what, m.declared, m.received) for m in found.flights[0].mismatches] == [
        ("bookings", 2, 1)
    ]


def test_only_the_datasets_given_count(store: Store, tmp_path: Path) -> None:
    receive(store, tmp_path, "api.edi", API_UA988, datetime(2018, 5, 12, 9), dataset="border")
    receive(store, tmp_path, "48h.edi", PUSHES["48h"], datetime(2018, 5, 10, 10))
    as_of = datetime(2018, 5, 12, 12)
    [seen] = report(store, as_of, datasets=["piu"]).flights
    assert (seen.manifests, seen.api.status, seen.api_passengers) == (0, "missing", 0)
    assert report(store, as_of, datasets=[]).flights == ()
    assert report(store, as_of, datasets=["border"]).flights[0].pnr == ()
    assert report(store, as_of, carrier="xy").carriers == ()


def test_a_backwards_range_is_refused_and_the_default_is_the_week_around(store: Store) -> None:
    with pytest.raises(ModelError, match="ends"):
        report(store, datetime(2018, 5, 12), MAY_12, date(2018, 5, 1))
    assert default_range(MAY_12) == (date(2018, 5, 5), date(2018, 5, 14))
