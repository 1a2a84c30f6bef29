"""What masking hides and keeps, as pure functions (the reads are tested in test_reads)."""

import json
from datetime import date, datetime

from rasid.model.retention import Period
from rasid.model.statement import RasidStatement
from rasid.retention.mask import MASKED, Grants, Masking, mask_json, masked_props

TODAY = date(2027, 6, 1)


def stmt(prop: str, value: str, mask_after: date | None = date(2027, 5, 24)) -> RasidStatement:
    return RasidStatement(
        "p1", prop, "Person", value, "piu_pnr", mask_after=mask_after, original_value=value
    )


def test_identifying_properties_are_masked() -> None:
    props = masked_props()
    for name in ("name", "firstName", "lastName", "email", "phone", "address", "birthDate"):
        assert name in props
    for name in ("passportNumber", "idNumber", "number", "surname", "givenName", "notes"):
        assert name in props
    for name in ("nationality", "gender", "country", "holder", "endDate", "id"):
        assert name not in props


def test_a_statement_is_masked_from_its_mask_date() -> None:
    name = stmt("name", "CHARLES ACKARY")
    before = Masking(date(2027, 5, 23)).statement(name)
    assert before is name
    shown = Masking(date(2027, 5, 24)).statement(name)
    assert (shown.value, shown.original_value, shown.lang) == (MASKED, None, None)
    assert shown.id != name.id  # the stored id is a hash of the name
    assert shown.id == Masking(TODAY).statement(stmt("name", "OTHER NAME")).id
    kept = stmt("nationality", "gb")
    assert Masking(TODAY).statement(kept) is kept
    never = stmt("name", "ON A LIST", mask_after=None)
    assert Masking(TODAY).statement(never) is never


def test_a_grant_lifts_the_mask_and_is_noted() -> None:
    masking = Masking(TODAY, grants=Grants(entities={("p1", "piu_pnr"): 7}))
    name = stmt("name", "CHARLES ACKARY")
    assert masking.statement(name).value == "CHARLES ACKARY"
    assert masking.lifted == {7}
    other = RasidStatement("p1", "name", "Person", "X", "other", mask_after=TODAY)
    assert masking.statement(other).value == MASKED  # granted in one dataset only


def test_json_masks_identifying_keys_and_keeps_the_rest() -> None:
    booking = {
        "record_locator": "06A9FD",
        "travellers": [
            {
                "surname": "ACKARY",
                "given_names": "CHARLES",
                "sex": "M",
                "nationality": "GBR",
                "documents": [{"number": "602120901", "type": "P", "issuing_country": "GBR"}],
                "frequent_flyers": [{"airline": "UA", "number": "UA123", "tier": "G"}],
                "remarks": [{"qualifier": "4:28", "text": "CALL HIM AT HOME"}],
            }
        ],
        "contacts": [{"kind": "email", "value": "c@example.org"}],
        "addresses": [{"street": "1 MAIN ST", "city": "HERE", "country": "US"}],
        "payments": [{"type": "CC", "card_number": "XXXX1111", "amount": "120.00"}],
        "itinerary": [{"carrier": "UA", "flight_number": "988", "seats": [{"number": "24A"}]}],
        "agency": {"city": "FRA", "office": "X1"},
        "dates": [],
        "title": "",
    }
    masked = mask_json(booking)
    text = json.dumps(masked)
    for secret in ("ACKARY", "CHARLES", "602120901", "UA123", "CALL HIM", "c@example.org"):
        assert secret not in text
    for secret in ("1 MAIN ST", "HERE", "XXXX1111"):
        assert secret not in text
    person = masked["travellers"][0]
    assert (person["sex"], person["nationality"]) == ("M", "GBR")
    assert person["documents"][0]["type"] == "P"
    assert masked["payments"][0]["amount"] == "120.00"
    assert masked["itinerary"][0]["seats"][0]["number"] == "24A"  # a seat identifies no one
    assert masked["agency"] == {"city": "FRA", "office": "X1"}  # the booking office's city
    assert masked["record_locator"] == "06A9FD"


def test_travel_rows_are_masked_after_their_datasets_period() -> None:
    row = {
        "id": "t1",
        "dataset": "piu_pnr",
        "booking_id": "b1",
        "entity_id": "p1",
        "surname": "ACKARY",
        "given_names": "",
        "birth_date": date(1948, 12, 26),
        "nationality": "GBR",
        "seat": "24A",
        "documents": '[{"number": "602120901", "type": "P"}]',
        "first_seen": datetime(2026, 11, 24, 3, 0),
    }
    masking = Masking(TODAY, {"piu_pnr": Period(months=6)})
    shown = masking.row("traveller", row)
    assert shown["masked"] is True
    assert (shown["surname"], shown["given_names"], shown["birth_date"]) == (MASKED, "", None)
    assert (shown["nationality"], shown["seat"]) == ("GBR", "24A")
    assert json.loads(shown["documents"]) == [{"number": MASKED, "type": "P"}]
    assert row["surname"] == "ACKARY"  # the row given is not changed
    assert (
        Masking(date(2027, 5, 23), {"piu_pnr": Period(months=6)}).row("traveller", row)["surname"]
        == "ACKARY"
    )
    assert Masking(TODAY).row("traveller", row)["masked"] is False  # a class that never masks
    granted = Masking(TODAY, {"piu_pnr": Period(months=6)}, Grants(bookings={"b1": 3}))
    assert granted.row("traveller", row)["surname"] == "ACKARY"
    assert granted.lifted == {3}
