"""PNRGOV messages: the six samples read in full, card masking, and records left out."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from rasid.travel.edifact import read_interchange
from rasid.travel.freetext import decode_email, read_contact, read_doco, read_docs, split_title
from rasid.travel.pnr import Pnr, PnrBatch
from rasid.travel.pnrgov import read_batch
from rasid.travel.redact import luhn_valid, mask_card_number, mask_cards_in_text
from tests.travel.helpers import sample

REFERENCE = date(2013, 5, 27)


def batch_of(data: bytes | str, reference: date = REFERENCE) -> PnrBatch:
    interchange = read_interchange(data)
    [message] = interchange.messages
    return read_batch(message, reference, interchange.delimiters)


def flights(pnr: Pnr) -> list[tuple[str, str, str]]:
    return [(leg.flight, leg.departure_airport, leg.arrival_airport) for leg in pnr.itinerary]


def test_iata_guide_page_75_two_pnrs_codeshare_seats_bags_history() -> None:
    batch = batch_of(sample("pnrgov_gtas_iata_guide_pg75.edi"))
    assert batch.version == "11:1"
    assert batch.function == "22"
    assert batch.flight is not None
    assert (batch.flight.flight, batch.flight.departure_airport, batch.flight.arrival_airport) == (
        "SQ609",
        "ICN",
        "SIN",
    )
    assert batch.flight.departure == datetime(2013, 5, 27, 16, 40)
    assert batch.pnr_count == 2
    park_pnr, kim_pnr = batch.pnrs
    assert park_pnr.record_locator == "2LS6KP"
    assert park_pnr.locators == (("1A", "2LS6KP"), ("KE", "EDP2RW"))
    assert park_pnr.created == datetime(2013, 5, 20, 4, 39)
    assert park_pnr.last_transaction == datetime(2013, 5, 27, 7, 18)
    assert park_pnr.agency is not None and park_pnr.agency.office == "HDQKE2400"
    [park] = park_pnr.travellers
    # The title is glued to the given name: it stays there (see PnrTraveller).
    assert (park.surname, park.given_names, park.reference) == ("PARK", "SEJOONMR", "1")
    assert (park.date_of_birth, park.sex, park.nationality) == (date(1972, 9, 10), "M", "KR")
    numbers = {(d.issuing_country, d.number, d.expiry) for d in park.documents}
    assert numbers == {
        ("KR", "JR3364288", date(2016, 7, 5)),
        ("KOR", "JR3364288", date(2016, 7, 5)),
    }
    assert park.frequent_flyers[0].number == "314655277"
    assert park.frequent_flyers[0].tier == "G"
    [leg] = park_pnr.itinerary
    assert (leg.carrier, leg.operating_carrier, leg.booking_class) == ("KE", "SQ", "B")
    assert (leg.status, leg.party_size, leg.aircraft) == ("HK", 1, "333")
    [check_in] = park_pnr.check_ins
    assert (check_in.traveller_ref, check_in.sequence, check_in.seat, check_in.cabin) == (
        "1",
        "ICN-188",
        "039G",
        "Y",
    )
    assert check_in.bags is not None
    assert (check_in.bags.count, check_in.bags.weight, check_in.bags.unit) == (2, "34", "KG")
    assert [t.number for t in check_in.bags.tags] == ["1026000001", "1026000002"]
    assert len(park_pnr.history) == 5
    assert park_pnr.history[0].text == "0/O/NM/PARK/SEJOONMR"
    assert ("CKIN", "10KG EXBG WAIVER AUTH BY MDPRM") in park_pnr.ssr_codes
    # The second PNR's TIF was glued to its ORG by a lost terminator: recovered.
    [kim] = kim_pnr.travellers
    assert (kim.surname, kim.given_names, kim.title, kim.reference) == (
        "KIM",
        "KONG CHUN",
        "MRS",
        "3",
    )
    assert kim.date_of_birth == date(1957, 2, 15)
    assert kim_pnr.agency is not None and kim_pnr.agency.agent == "HJGS"
    assert kim_pnr.seats[-1].number == "014A"
    assert kim_pnr.check_ins[0].cabin == "J"
    assert batch.problems == ()


def test_iata_guide_page_76_wrapped_lines_two_travellers_tickets() -> None:
    batch = batch_of(sample("pnrgov_gtas_iata_guide_pg76.edi"))
    assert batch.common_access_reference == "AUTZ000623052013221001SIN20130528"
    assert batch.sender is not None and batch.sender.agent == "HOLMESS"
    assert batch.flight is not None and batch.flight.flight == "TZ0006"
    assert batch.flight.arrival == datetime(2013, 5, 29, 7, 50)
    [pnr] = batch.pnrs
    assert pnr.record_locator == "35K2IO"
    doron, lendrot = pnr.travellers
    assert (doron.surname, doron.given_names, doron.title, doron.reference) == (
        "DORON",
        "NINA",
        "MS",
        "2",
    )
    assert (doron.date_of_birth, doron.sex) == (date(1953, 2, 5), "F")
    assert lendrot.date_of_birth == date(1952, 2, 14)
    assert [(t.number, t.traveller_ref, t.issued) for t in pnr.tickets] == [
        ("3204694511", "2", date(2013, 2, 14)),
        ("3204694509", "1", date(2013, 2, 17)),
    ]
    assert flights(pnr) == [("LH474", "MUC", "YUL")]
    assert pnr.itinerary[0].party_size == 2
    assert pnr.co_travellers(doron) == (lendrot,)


def test_iata_guide_page_77_address_fare_cash_history_return_trip() -> None:
    batch = batch_of(sample("pnrgov_gtas_iata_guide_pg77.edi"))
    [pnr] = batch.pnrs
    assert pnr.record_locator == "W9TEND"
    assert pnr.created == datetime(2013, 5, 23, 18, 13, 48)
    [address] = pnr.addresses
    assert (address.street, address.city, address.region, address.country, address.postcode) == (
        "123 ANY STREET",
        "LAKE TOWN",
        "MN",
        "US",
        "55123",
    )
    [payment] = pnr.payments
    assert (payment.type, payment.amount, payment.card_number) == ("CA", Decimal("1999.99"), "")
    [ticket] = pnr.tickets
    assert [(a.code, a.amount, a.currency) for a in ticket.amounts] == [
        ("B", Decimal("999.00"), "SGD"),
        ("T", Decimal("1999.99"), "SGD"),
    ]
    assert len(ticket.taxes) == 8 and ticket.taxes[2].amount == Decimal("99.90")
    [kevin] = pnr.travellers
    # The DOCS surname was wrapped over two lines (VANDENBE / RG): joined.
    [passport] = kevin.documents
    assert (passport.surname, passport.given_names, passport.number) == (
        "VANDENBERG",
        "KEVIN MICHAEL",
        "548721687",
    )
    assert flights(pnr) == [("TZ0006", "SIN", "OOL"), ("TZ0005", "OOL", "SIN")]
    assert [h.action for h in pnr.history] == ["X", "X", "X", "A", "A", "A"]
    assert pnr.history[0].at == datetime(2013, 5, 23, 18, 13)
    assert pnr.history[0].author == "TZ"
    assert pnr.history[-1].text.endswith("IFT+4:19+GN FROM NONE TO ACME TEAM PARTY")


def test_full_message_agency_contacts_card_masked_seats_check_in() -> None:
    batch = batch_of(sample("pnrgov_gtas_pnrMessage_full.edi"), date(2010, 12, 9))
    assert batch.version == "10:1"
    [pnr] = batch.pnrs
    assert pnr.record_locator == "MFN4TI"
    assert pnr.agency is not None
    assert (pnr.agency.system, pnr.agency.country, pnr.agency.currency) == ("DL", "GB", "GBP")
    assert [(c.kind, c.value) for c in pnr.contacts] == [
        ("phone", "00115555555555"),
        ("phone", "00441753637285"),
    ]
    assert pnr.addresses[0].postcode == "SL1AA"
    assert [(p.vendor, p.card_number, p.card_last4, p.card_expiry) for p in pnr.payments] == [
        ("VI", "XXXXXXXX1186", "1186", "0211"),
        ("VI", "XXXXXXXX1186", "1186", "0211"),
    ]
    smith, jones = pnr.travellers
    assert (smith.surname, jones.surname) == ("SMITHJR", "JONES")
    assert smith.frequent_flyers[0].tier == "ELITE"
    assert [t.number for t in pnr.tickets] == ["0062120234533", "0062120234534"]
    [excess] = pnr.excess_bags
    assert excess.count == 4 and excess.charge is not None
    assert (excess.charge.amount, excess.charge.currency) == (Decimal("40.00"), "GBP")
    assert flights(pnr) == [
        ("DL324", "LHR", "JFK"),
        ("DL330", "JFK", "YVR"),
        ("VN67576", "YVR", ""),
    ]
    hotel = pnr.itinerary[2]
    assert hotel.non_air and hotel.place_name == "VANCOUVER ARMS"
    assert [(s.number, s.traveller_ref, s.source) for s in pnr.itinerary[1].seats] == [
        ("15E", "1", "SSR"),
        ("15F", "2", "SSR"),
    ]
    [check_in] = pnr.check_ins
    assert (check_in.sequence, check_in.seat, check_in.at) == (
        "108",
        "15A",
        datetime(2010, 12, 11, 9, 15),
    )
    assert ("AVML", "") in pnr.ssr_codes
    assert ("4:43", "TIMOTHY SIMS 2234 MAIN STREET ATLANTA, GA 30067 7705632891") in pnr.free_text
    assert pnr.related_locators == (("DL", "ABCDEF"),)
    assert [h.action for h in pnr.history].count("X") == 6
    assert pnr.history[0].author == "LHRRR LON DL"
    [problem] = batch.problems
    assert problem.reason == "EQN announces 2 PNRs, 1 read"


def test_split_sample_two_pnrs_contacts_and_tickets_in_ssrs() -> None:
    batch = batch_of(sample("pnrgov_gtas_pnr_split_multipart.edi"), date(2013, 5, 22))
    assert batch.flight is not None and batch.flight.flight == "AM498"
    first, second = batch.pnrs
    assert (first.record_locator, second.record_locator) == ("ICOXXX", "BJOXXX")
    assert [(t.given_names, t.title, t.reference) for t in first.travellers] == [
        ("TESTNAMEONE", "MRS", "1.1"),
        ("TESTNAMETWO", "MR", "2.1"),
    ]
    assert first.co_travellers(first.travellers[0]) == (first.travellers[1],)
    assert ("TKNE", "1393207166000C1") in first.ssr_codes
    assert [(s.number, s.source) for s in first.itinerary[0].seats] == [
        ("03B", "SSR"),
        ("03A", "SSR"),
    ]
    phones = [(c.qualifier, c.value) for c in first.contacts]
    assert ("H", "MEX01 81 8336 6900 H") in phones and len(phones) == 5
    [three] = second.travellers
    assert three.documents[0].surname == "TESTSURNA METHREE"
    assert three.documents[0].expiry == date(2023, 5, 8)
    assert second.related_locators == (("AM", "ZLMXXX"),)
    assert flights(second) == [("AM719", "BOG", "CUN"), ("AM718", "CUN", "BOG")]
    assert batch.problems == ()


def test_docs_doco_email_and_three_legs_with_check_in() -> None:
    batch = batch_of(sample("pnrgov_gtas_with_docs_doco.edi"), date(2018, 5, 9))
    assert batch.flight is not None
    assert batch.flight.arrival == datetime(2018, 5, 12, 15, 5)
    [pnr] = batch.pnrs
    assert pnr.record_locator == "06A9FD"
    assert pnr.created == datetime(2018, 4, 11, 12, 20)
    [charles] = pnr.travellers
    passport, visa = charles.documents
    assert (passport.kind, passport.number, passport.date_of_birth, passport.expiry) == (
        "DOCS",
        "602120901",
        date(1948, 12, 26),
        date(2021, 1, 30),
    )
    assert (visa.kind, visa.type, visa.number, visa.place_of_issue, visa.issued) == (
        "DOCO",
        "V",
        "8675309",
        "OTHER PLACE",
        date(2006, 12, 22),
    )
    assert ("email", "CHARLES.ACKARY@YAHOO.COM") in [(c.kind, c.value) for c in pnr.contacts]
    assert flights(pnr) == [
        ("ET834", "WDH", "ADD"),
        ("ET706", "ADD", "FRA"),
        ("UA988", "FRA", "IAD"),
    ]
    assert [c.seat for c in pnr.check_ins] == ["XXX", "XXX", "23K"]
    reasons = [(p.tag, p.severity, p.reason) for p in batch.problems]
    assert reasons == [
        ("TVL", "warning", "TVL arrival time given in the date's place; read as a time"),
        ("RCI", "warning", "RCI date one component early; read as the creation date"),
        ("SSR", "warning", "document for traveller '002' given to the only one"),
    ]


CARD = "4111111111111111"
HEAD = "UNH+1+PNRGOV:11:1:IA+X'MSG+:22'TVL+270513:1640+ICN+SIN+SQ+609'EQN+2'"


def test_card_numbers_never_reach_the_parsed_objects() -> None:
    data = (
        HEAD + "SRC'RCI+SQ:ABC123'TIF+DOE+JANE MS:A:1'TKT+6182120234533:T:1'"
        f"FOP+CC:::VI:{CARD}:0925'IFT+4:43+PAID WITH {' '.join([CARD[:8], CARD[8:]])}'"
        f"SSR+OTHS:HK:1:SQ:::::CARD {CARD}'LTS+0/FOP CCVI{CARD}/0925'"
        f"ABI+1++++SQ'DAT+T:200513:1010'SAC+++X'FOP+CC:::CA:5500000000000004:0925'UNT+16+1'"
    )
    batch = batch_of(data)
    [pnr] = batch.pnrs
    assert pnr.payments[0].card_number == "XXXXXXXXXXXX1111"
    assert pnr.payments[0].card_last4 == "1111"
    assert pnr.travellers[0].remarks[0].text == "PAID WITH XXXXXXXXXXXX1111"
    everything = repr(batch)
    assert CARD not in everything and "5500000000000004" not in everything
    assert "XXXXXXXXXXXX0004" in everything
    # A ticket number is not a card: it is kept.
    assert pnr.tickets[0].number == "6182120234533"


def test_pnr_without_locator_and_traveller_without_surname_are_left_out() -> None:
    data = (
        HEAD + "SRC'DAT+700:270513:0718'TIF+LOST+ONE MR:A:1'"
        "SRC'RCI+SQ:KEPT01'TIF+:I+NONAME::1'TIF+KEPT+TWO MR:A:2'TVL+270513:1640+ICN+SIN+SQ+609'"
        "UNT+14+1'"
    )
    batch = batch_of(data)
    [pnr] = batch.pnrs
    assert pnr.record_locator == "KEPT01"
    assert [t.surname for t in pnr.travellers] == ["KEPT"]
    errors = [(p.segment_position, p.tag, p.reason) for p in batch.problems if p.is_error]
    assert errors == [
        (5, "SRC", "PNR without a record locator (RCI); left out"),
        (10, "TIF", "traveller without a surname; left out"),
    ]
    assert batch.has_errors
    assert "EQN announces 2 PNRs, 1 read" in [p.reason for p in batch.problems]


def test_a_batch_without_flight_has_an_error() -> None:
    batch = batch_of("UNH+1+PNRGOV:11:1:IA'MSG+:22'SRC'RCI+SQ:ABC123'TIF+DOE+JANE:A:1'UNT+6+1'")
    assert [p.reason for p in batch.problems if p.is_error] == [
        "no flight (TVL) before the first PNR: the flight is unknown"
    ]
    assert batch.pnrs[0].record_locator == "ABC123"


def test_a_pnr_without_src_is_read_from_its_rci() -> None:
    batch = batch_of(HEAD + "RCI+SQ:ABC123'TIF+DOE+JANE:A:1'UNT+8+1'")
    assert [p.record_locator for p in batch.pnrs] == ["ABC123"]
    assert batch.problems[0].reason == "PNR without SRC; read from its RCI"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "/P/GBR/123456789/GBR/12JUL64/M/23AUG19/SMITHJR/JONATHON/ROBERT",
            ("P", "GBR", "123456789", "GBR", date(1964, 7, 12), "M", date(2019, 8, 23)),
        ),
        ("/////05FEB53/F//DORON/NINA", ("", "", "", "", date(1953, 2, 5), "F", None)),
        ("/I/FRA/X1//31FEB80/XX/99ZZZ99/A", ("I", "FRA", "X1", "", None, "XX", None)),
    ],
)
def test_read_docs(text: str, expected: tuple[object, ...]) -> None:
    document = read_docs(text, REFERENCE)
    assert document is not None
    got = (
        document.type,
        document.issuing_country,
        document.number,
        document.nationality,
        document.date_of_birth,
        document.sex,
        document.expiry,
    )
    assert got == expected


def test_read_docs_and_doco_refuse_empty_text() -> None:
    assert read_docs("", REFERENCE) is None
    assert read_docs("//", REFERENCE) is None
    assert read_doco("NOTHING", REFERENCE) is None
    visa = read_doco("PARIS/V/123/LONDON/01JAN20/GB", REFERENCE)
    assert visa is not None
    assert (visa.birth_place, visa.applicable_country, visa.issued) == (
        "PARIS",
        "GB",
        date(2020, 1, 1),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CTCE A..B./C//EXAMPLE.ORG", ("email", "A_B-C@EXAMPLE.ORG", "E")),
        ("AM CTCP MEX1800 002 5200 TOLL FREE", ("phone", "MEX1800 002 5200 TOLL FREE", "P")),
        ("CTC 0044 20 7946 0000", ("phone", "0044 20 7946 0000", "")),
        ("CTCH SEE AGENT", ("other", "SEE AGENT", "H")),
    ],
)
def test_read_contact(text: str, expected: tuple[str, str, str]) -> None:
    contact = read_contact(text)
    assert contact is not None
    assert (contact.kind, contact.value, contact.qualifier) == expected


@pytest.mark.parametrize("text", ["NO CONTACT HERE", "CTCBOG 571-600", "CTCP   "])
def test_read_contact_refuses_text_that_is_not_one(text: str) -> None:
    assert read_contact(text) is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("KONG CHUN MRS", ("KONG CHUN", "MRS")),
        ("NINA MS", ("NINA", "MS")),
        ("JOHNMR", ("JOHNMR", "")),
        ("AMR", ("AMR", "")),
        ("MR", ("MR", "")),
        ("  ", ("", "")),
    ],
)
def test_split_title(given: str, expected: tuple[str, str]) -> None:
    assert split_title(given) == expected


def test_masking() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert mask_card_number("4111 1111 1111 1111") == "XXXXXXXXXXXXXXX1111"
    assert mask_card_number("XXXXXXXX1186") == "XXXXXXXX1186"
    assert mask_card_number("12") == "12"
    assert mask_cards_in_text("CARD 4111-1111-1111-1111 EXP") == "CARD XXXXXXXXXXXX1111 EXP"
    # Not Luhn-valid, or a ticket number starting with 1: left alone.
    assert mask_cards_in_text("4111111111111112 1393207166000") == "4111111111111112 1393207166000"
    assert decode_email("A//B.C") == "A@B.C"


def test_dates_that_are_not_dates_are_warnings() -> None:
    batch = batch_of(
        "UNH+1+PNRGOV:11:1:IA'TVL+310213:0900+ICN+SIN+SQ+609'SRC'RCI+SQ:ABC123'"
        "DAT+700:270513:2561'TIF+DOE+JANE:A:1'TVL+270513:1640:270513:9999+ICN+SIN+SQ+609'UNT+9+1'"
    )
    assert [(p.tag, p.reason) for p in batch.problems] == [
        ("TVL", "TVL departure '310213' '0900' is not a date and time"),
        ("DAT", "DAT '270513' '2561' is not a date and time"),
        ("TVL", "TVL arrival '270513' '9999' is not a date and time"),
    ]
    assert batch.flight is not None and batch.flight.departure is None
    [leg] = batch.pnrs[0].itinerary
    assert leg.departure == datetime(2013, 5, 27, 16, 40) and leg.arrival is None
