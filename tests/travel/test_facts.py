"""What a traveller's context says for the fields of the vocabulary, on hand-made contexts
(the stored samples are in test_targeting.py)."""

import json
from datetime import date, datetime
from typing import Any

from rasid.travel.facts import FACTS, Context

TODAY = date(2026, 6, 1)


def leg(origin: str, destination: str, day: int = 1) -> dict[str, Any]:
    return {
        "departure_airport": origin,
        "arrival_airport": destination,
        "departure_date": date(2026, 5, day),
        "scheduled_departure": datetime(2026, 5, day, 10, 0),
        "carrier": "MS",
        "flight_number": "737",
    }


def context(
    legs: list[dict[str, Any]] | None = None,
    booking: dict[str, Any] | None = None,
    version: dict[str, Any] | None = None,
    **row: Any,
) -> Context:
    base = {
        "id": "t1",
        "entity_id": "p1",
        "booking_id": "b1" if booking else None,
        "flight_id": "f1",
        "booking_reference": "",
        "birth_date": None,
        "nationality": "",
        "residence_country": "",
        "documents": "[]",
        "role": "passenger",
        "source": "pnr",
    }
    first = (legs or [leg("CAI", "IST")])[0]
    return Context({**base, **first, **row}, TODAY, (), booking, legs or [], [], version)


def fact(name: str, ctx: Context) -> Any:
    return FACTS[name](ctx)


def test_route_is_origin_and_destination_or_the_turnaround() -> None:
    one_way = context([leg("CAI", "IST"), leg("IST", "LHR")], booking={"bags": "[]"})
    back = context([leg("CAI", "IST"), leg("IST", "CAI", 5)], booking={"bags": "[]"})
    circuit = context(
        [leg("CAI", "AMM"), leg("AMM", "IST"), leg("IST", "AMM"), leg("AMM", "CAI")],
        booking={"bags": "[]"},
    )
    assert (fact("route", one_way), fact("via_airport", one_way)) == ("CAI-LHR", {"IST"})
    assert (fact("route", back), fact("via_airport", back)) == ("CAI-IST", frozenset())
    assert (fact("route", circuit), fact("via_airport", circuit)) == ("CAI-IST", {"AMM"})
    assert (fact("one_way", one_way), fact("one_way", back)) == (True, False)
    assert fact("legs", circuit) == 4


def test_without_a_booking_the_flight_is_the_route_and_booking_facts_are_unknown() -> None:
    api = context(source="api")
    assert fact("route", api) == "CAI-IST"
    for name in ("one_way", "legs", "bags", "payment_type", "booked_hours_before_departure"):
        assert fact(name, api) is None, name
    assert fact("group_size", api) == 1


def test_hours_between_booking_and_departure() -> None:
    booked = context(booking={"booked_at": datetime(2026, 4, 30, 4, 30)})
    after = context(booking={"booked_at": datetime(2026, 5, 2, 0, 0)})
    assert fact("booked_hours_before_departure", booked) == 29.5
    assert fact("booked_hours_before_departure", after) is None  # booked after departure?


def test_age_and_document_validity_on_the_day_of_departure() -> None:
    documents = json.dumps(
        [
            {"type": "P", "issuing_state": "EGY", "expiry": "2026-05-21"},
            {"type": "V", "issuing_state": "", "expiry": "not a date"},
        ]
    )
    ctx = context(birth_date=date(2000, 5, 2), documents=documents)
    assert fact("age", ctx) == 25  # the day before the birthday
    assert fact("document_valid_days", ctx) == 20
    assert fact("document_issuing_state", ctx) == {"EG"}
    assert fact("document_type", ctx) == {"passport", "visa"}


def test_payments_and_a_payer_who_is_not_travelling() -> None:
    booking = {"payments": json.dumps([{"type": "CA"}, {"type": "CC"}, {"type": "ZZ"}])}
    payer = {"qualifier": "4:43", "text": "SALEM HADDAD 12 NILE STREET CAIRO"}
    own = {"qualifier": "4:43", "text": "MONA ADEL"}
    travellers = [{"surname": "ADEL", "remarks": [own]}]
    third = context(booking=booking, version={"remarks": [payer], "travellers": travellers})
    family = context(booking=booking, version={"remarks": [], "travellers": travellers})
    silent = context(booking=booking, version={"remarks": [], "travellers": []})
    assert fact("payment_type", third) == {"cash", "card"}
    assert fact("third_party_payment", third) is True
    assert fact("third_party_payment", family) is False
    assert fact("third_party_payment", silent) is None


def test_contacts_remarks_and_companions() -> None:
    contacts = [
        {"kind": "email", "value": "SALEM//MAIL.EXAMPLE"},
        {"kind": "phone", "value": "0020123"},
    ]
    version = {"remarks": [{"text": "Paid at the airport"}], "travellers": []}
    ctx = context(booking={"contacts": json.dumps(contacts)}, version=version)
    ctx.companions = [{"id": "t2", "entity_id": "p2"}, {"id": "t3", "entity_id": "p1"}]
    assert fact("email_domain", ctx) == {"mail.example"}
    assert fact("remark_contains", ctx) == "paid at the airport"
    assert fact("group_size", ctx) == 2  # p1 on another leg is the same person
    assert fact("travelling_with_listed", ctx) is False
    ctx.listed = {"t3"}
    assert fact("travelling_with_listed", ctx) is False  # themselves, on another leg
    ctx.listed = {"t2"}
    assert fact("travelling_with_listed", ctx) is True


def test_unreadable_stored_json_says_nothing() -> None:
    ctx = context(booking={"payments": "{not json", "contacts": "[1, 2]"}, documents="oops")
    assert fact("payment_type", ctx) is None
    assert fact("email_domain", ctx) is None
    assert fact("document_type", ctx) is None
