"""PAXLST messages: the four samples read in full, and the slips and errors around them."""

from datetime import date, datetime

import pytest

from rasid.travel.dates import Rule, year_first
from rasid.travel.edifact import read_interchange
from rasid.travel.manifest import Manifest
from rasid.travel.paxlst import check_totals, read_manifest, split_flight
from tests.travel.helpers import sample

REFERENCE = date(2014, 2, 11)


def manifest_of(data: bytes | str, reference: date = REFERENCE) -> Manifest:
    [message] = read_interchange(data).messages
    return check_totals(read_manifest(message, reference))


def legs_of(manifest: Manifest) -> list[tuple[str, str, str]]:
    return [(leg.flight, leg.departure_airport, leg.arrival_airport) for leg in manifest.legs]


def test_d05b_two_legs_two_passengers_and_references() -> None:
    manifest = manifest_of(sample("paxlst_gtas_apisMessage_d05b.edi"), date(2007, 2, 18))
    assert (manifest.reference, manifest.version) == ("PAX001", "D:05B")
    assert (manifest.function, manifest.function_name) == ("745", "passengers")
    assert manifest.transaction_reference == "AJYTR1070219"
    assert manifest.reporting_party is not None
    assert manifest.reporting_party.name == "JOHN SMITH"
    assert (manifest.reporting_party.phone, manifest.reporting_party.fax) == (
        "703-555-1212",
        "703-555-4545",
    )
    assert legs_of(manifest) == [("AA123", "ATL", "ORD"), ("AA124", "ORD", "JFK")]
    first_leg = manifest.legs[0]
    assert first_leg.departure == datetime(2007, 2, 19, 15, 40)
    assert first_leg.arrival == datetime(2007, 2, 19, 17, 40)
    assert manifest.legs[1].arrival == datetime(2007, 2, 19, 19, 55)
    michael, cheryl = manifest.travellers
    assert (michael.surname, michael.given_names, michael.sex) == ("CLARK", "MICHAEL", "M")
    assert michael.date_of_birth == date(1972, 9, 7)
    assert (michael.embarkation, michael.debarkation) == ("ATL", "JFK")
    assert michael.booking_reference == "TYR123"
    assert michael.references == (
        ("AVF", "TYR123"),
        ("ABO", "ABC123"),
        ("AEA", "1234567890ABC"),
        ("CR", "20060907NY123"),
    )
    assert (cheryl.given_names, cheryl.sex, cheryl.date_of_birth) == (
        "CHERYL",
        "F",
        date(1973, 4, 7),
    )
    assert cheryl.embarkation == "ORD"
    assert manifest.passenger_count == 2
    assert len(manifest.passengers) == 2 and manifest.crew == ()
    assert manifest.problems == ()


def test_custom_separators_ten_passengers_with_documents() -> None:
    manifest = manifest_of(sample("paxlst_gtas_airline2_custom_separators.edi"))
    assert manifest.version == "D:02B"
    assert legs_of(manifest) == [("TN506", "BRE", "YEU")]
    assert manifest.legs[0].departure == datetime(2014, 5, 11, 13, 40)
    assert manifest.legs[0].arrival == datetime(2014, 5, 11, 17, 0)
    assert len(manifest.travellers) == 10
    names = [(t.surname, t.given_names) for t in manifest.travellers]
    assert names[0] == ("BETTON", "DAVID")
    assert names[-1] == ("LOWE", "DANIEL")
    assert ("COOLEY", "RAQUEL") in names
    betton = manifest.travellers[0]
    assert betton.nationality == "USA"
    assert betton.date_of_birth == date(1954, 10, 16)
    [passport] = betton.documents
    assert (passport.type, passport.number, passport.issuing_state) == ("P", "178556534", "USA")
    assert passport.expiry == date(2018, 2, 21)
    assert manifest.travellers[-1].documents[0].number == "153284238"
    assert manifest.reporting_party is not None
    assert manifest.reporting_party.name == "SABRE CENTRAL"
    # The control total says 136 passengers; ten are in the file: a warning, not a loss.
    assert manifest.passenger_count == 136
    [problem] = manifest.problems
    assert problem.severity == "warning"
    assert problem.reason == "CNT+42 declares 136 passengers, 10 read"


def test_multiple_flight_legs_progressive_and_last() -> None:
    manifest = manifest_of(sample("paxlst_gtas_multiple_flight_leg.edi"), date(2008, 7, 8))
    assert legs_of(manifest) == [
        ("QQ877", "MIA", "IAD"),
        ("QQ827", "IAD", "JFK"),
        ("QQ827", "JFK", "CDG"),
    ]
    assert manifest.legs[2].departure == datetime(2008, 8, 10, 20, 0)
    assert manifest.legs[2].arrival == datetime(2008, 8, 11, 6, 30)
    barrett, lang = manifest.travellers
    assert (barrett.surname, barrett.residence_country, barrett.nationality) == (
        "BARRETT",
        "FRA",
        "FRA",
    )
    assert barrett.documents[0].number == "YY3478621G"
    assert barrett.documents[0].expiry == date(2008, 12, 30)
    assert (lang.surname, lang.given_names, lang.residence_country) == ("LANG", "KRISTIN", "ESP")
    assert lang.documents[0].expiry == date(2009, 9, 16)
    assert lang.date_of_birth == date(1960, 6, 6)
    assert manifest.problems == ()


def test_crew_list_with_crew_members() -> None:
    manifest = manifest_of(sample("paxlst_gtas_crew_Test1.edi"), date(2014, 2, 2))
    assert (manifest.function, manifest.function_name) == ("250", "crew")
    assert legs_of(manifest) == [("UA0989", "FRA", "IAD")]
    assert manifest.legs[0].departure == datetime(2017, 1, 27, 17, 25)
    assert manifest.legs[0].arrival == datetime(2017, 1, 28, 7, 10)
    assert manifest.passengers == ()
    assert len(manifest.crew) == 8
    assert {t.role for t in manifest.crew} == {"FM"}
    steur = manifest.crew[0]
    assert (steur.surname, steur.given_names, steur.sex) == ("Steur", "Andrea Pat", "F")
    assert steur.date_of_birth == date(1978, 7, 6)
    assert (steur.clearance, steur.residence_country, steur.birth_place) == (
        "IAD",
        "GBR",
        "Hartford USA",
    )
    assert (steur.embarkation, steur.debarkation, steur.nationality) == ("FRA", "IAD", "GBR")
    # A two-digit expiry year goes to the nearer century: 2061, not 1961.
    assert steur.documents[0].expiry == date(2061, 2, 18)
    assert [t.surname for t in manifest.crew][-1] == "Zschieschak"
    # CNT+41+8 puts the count in its own element: recovered with a warning on that segment.
    assert manifest.crew_count == 8
    [problem] = manifest.problems
    assert (problem.tag, problem.severity, problem.line) == ("CNT", "warning", 1)
    assert problem.reason == "CNT+41 count given as its own element; read as 8"


HEADER = "UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
LEG = "TDT+20+AA123+++AA'LOC+125+ATL'DTM+189:0702191540:201'LOC+87+ORD'DTM+232:0702191740:201'"


def test_a_traveller_without_surname_is_left_out_with_an_error() -> None:
    data = (
        HEADER + LEG + "NAD+FL+++CLARK:MICHAEL'ATT+2++M'"
        "NAD+FL+++:NOSURNAME'ATT+2++F'"
        "NAD+FL+++SMITH:ANNA'DTM+329:991231'CNT+42:3'UNT+14+1'"
    )
    manifest = manifest_of(data, date(2007, 2, 18))
    assert [t.surname for t in manifest.travellers] == ["CLARK", "SMITH"]
    errors = [p for p in manifest.problems if p.is_error]
    assert [(p.segment_position, p.tag, p.reason) for p in errors] == [
        (10, "NAD", "traveller without a surname; left out")
    ]
    assert manifest.has_errors
    # A birth date is in the past: 991231 before 2007 is 1999.
    assert manifest.travellers[1].date_of_birth == date(1999, 12, 31)


def test_a_manifest_without_flight_has_an_error_on_its_header() -> None:
    manifest = manifest_of(HEADER + "NAD+FL+++CLARK:MICHAEL'UNT+4+1'")
    assert manifest.legs == ()
    assert len(manifest.travellers) == 1
    [problem] = manifest.problems
    assert (problem.tag, problem.severity) == ("UNH", "error")
    assert problem.reason == "no flight leg (TDT): the flight is unknown"


def test_slips_in_traveller_groups_are_warnings() -> None:
    data = (
        HEADER + LEG + "NAD+FL+++CLARK:MICHAEL'DTM+329:721340'DTM+36:200101'LOC+91+USA'"
        "DOC+P:110:111+'NAD+XX+++WHO'TDT+20+????'UNT+12+1'"
    )
    manifest = manifest_of(data)
    reasons = [(p.tag, p.severity, p.reason) for p in manifest.problems]
    assert ("DTM", "warning", "DTM+329 '721340' is not a date") in reasons
    assert ("DTM", "warning", "DTM+36 without a DOC before it") in reasons
    assert ("LOC", "warning", "LOC+91 (issuing state) without a DOC before it") in reasons
    assert ("DOC", "warning", "DOC without a document number") in reasons
    assert ("NAD", "warning", "NAD+'XX' not read (not a traveller)") in reasons
    assert ("TDT", "error", "TDT without a flight number; leg left out") in reasons
    assert legs_of(manifest) == [("AA123", "ATL", "ORD")]
    assert manifest.travellers[0].date_of_birth is None


def test_progressive_locations_without_dates_are_departure_then_arrival() -> None:
    data = HEADER + "TDT+20+BA0117'LOC+92+LHR'LOC+92+JFK'LOC+22+JFK'NAD+FL+++A'UNT+8+1'"
    manifest = manifest_of(data)
    assert legs_of(manifest) == [("BA0117", "LHR", "JFK")]
    assert manifest.legs[0].locations == (("92", "LHR"), ("92", "JFK"), ("22", "JFK"))


def test_a_leg_without_airports_is_kept_with_warnings() -> None:
    manifest = manifest_of(HEADER + "TDT+20+BA0117'LOC+22+JFK'NAD+FL+++A'UNT+6+1'")
    assert legs_of(manifest) == [("BA0117", "", "")]
    assert [p.reason for p in manifest.problems] == [
        "leg BA0117 has no departure airport",
        "leg BA0117 has no arrival airport",
    ]


@pytest.mark.parametrize(
    ("journey", "carrier", "expected"),
    [
        ("AA123", "", ("AA", "123")),
        ("AA123", "AA", ("AA", "123")),
        ("UA0989", "UA", ("UA", "0989")),
        ("TN506", "", ("TN", "506")),
        ("U2123", "", ("U2", "123")),
        ("BAW12", "", ("BAW", "12")),
        ("123", "LH", ("LH", "123")),
        ("KL 1234", "", ("KL", "1234")),
        ("????", "", None),
        ("", "", None),
    ],
)
def test_split_flight(journey: str, carrier: str, expected: tuple[str, str] | None) -> None:
    assert split_flight(journey, carrier) == expected


@pytest.mark.parametrize(
    ("value", "rule", "expected"),
    [
        ("720907", "past", datetime(1972, 9, 7)),
        ("050101", "past", datetime(2005, 1, 1)),
        ("150101", "past", datetime(1915, 1, 1)),
        ("610218", "near", datetime(2061, 2, 18)),
        ("180221", "near", datetime(2018, 2, 21)),
        ("0702191540", "near", datetime(2007, 2, 19, 15, 40)),
        ("19720907", "past", datetime(1972, 9, 7)),
        ("200702191540", "near", datetime(2007, 2, 19, 15, 40)),
        ("720230", "past", None),
        ("0702192540", "near", None),
        ("7209", "past", None),
        ("72O907", "past", None),
        ("７２０９０７", "past", None),
    ],
)
def test_year_first_dates_and_centuries(value: str, rule: Rule, expected: datetime | None) -> None:
    assert year_first(value, REFERENCE, rule) == expected
