"""Checking targeting criteria: what is allowed comes back canonical; what is not is refused,
naming the criterion and the reason in English and Arabic, and a sensitive trait with it
(EU PNR Directive 2016/681 art. 6(4))."""

from typing import Any

import pytest

from rasid.travel.criteria import (
    Criteria,
    Criterion,
    RuleRefused,
    check_criteria,
    rule_text,
    value_text,
)


def _refusal(criteria: object) -> RuleRefused:
    with pytest.raises(RuleRefused) as caught:
        check_criteria(criteria)
    return caught.value


def one(field: str, op: str, value: Any) -> dict[str, Any]:
    """Criteria of one criterion."""
    return {"all": [{"field": field, "op": op, "value": value}]}


# A criterion on a sensitive trait, and the trait it is refused for.
SENSITIVE = [
    # Fields that would be about a trait (none exists; the trait is named all the same).
    ({"field": "religion", "op": "in", "value": "x"}, "religion"),
    ({"field": "ethnicity", "op": "in", "value": "x"}, "ethnicity"),
    ({"field": "passenger_race", "op": "in", "value": "x"}, "ethnicity"),
    ({"field": "health_condition", "op": "is", "value": "yes"}, "health"),
    ({"field": "political_party", "op": "in", "value": "x"}, "political_opinion"),
    ({"field": "trade_union", "op": "is", "value": "yes"}, "trade_union"),
    ({"field": "sexual_orientation", "op": "in", "value": "x"}, "sex_life"),
    ({"field": "meal_code", "op": "in", "value": "x"}, "meal"),
    ({"field": "ssr", "op": "in", "value": "x"}, "meal"),
    ({"field": "wheelchair", "op": "is", "value": "yes"}, "disability"),
    # Special service request codes, wherever they are put.
    ({"field": "remark_contains", "op": "contains_any", "value": "VGML"}, "meal"),
    ({"field": "remark_contains", "op": "contains_any", "value": "MOML"}, "religion"),
    ({"field": "remark_contains", "op": "contains_any", "value": "KSML"}, "religion"),
    ({"field": "remark_contains", "op": "contains_any", "value": "HNML"}, "religion"),
    ({"field": "remark_contains", "op": "contains_any", "value": "DBML"}, "health"),
    ({"field": "remark_contains", "op": "contains_any", "value": "xxml"}, "meal"),
    ({"field": "remark_contains", "op": "contains_any", "value": "WCHR"}, "disability"),
    ({"field": "remark_contains", "op": "contains_any", "value": "MEDA"}, "health"),
    ({"field": "remark_contains", "op": "contains_any", "value": "BLND"}, "disability"),
    ({"field": "remark_contains", "op": "contains_any", "value": "DEAF"}, "disability"),
    ({"field": "remark_contains", "op": "contains_any", "value": "PRGN"}, "health"),
    ({"field": "travel_agency", "op": "in", "value": ["CAIMS08AA", "MOML"]}, "religion"),
    # Words in free text, English and Arabic.
    ({"field": "remark_contains", "op": "contains_any", "value": "halal food"}, "religion"),
    ({"field": "remark_contains", "op": "contains_any", "value": "Christian group"}, "religion"),
    ({"field": "remark_contains", "op": "contains_any", "value": "مسلمون"}, "religion"),
    ({"field": "remark_contains", "op": "contains_any", "value": "رحلة الحج"}, "religion"),
    ({"field": "remark_contains", "op": "contains_any", "value": "Kurdish"}, "ethnicity"),
    ({"field": "remark_contains", "op": "contains_any", "value": "قبيلة"}, "ethnicity"),
    ({"field": "remark_contains", "op": "contains_any", "value": "pregnant"}, "health"),
    ({"field": "remark_contains", "op": "contains_any", "value": "hospital"}, "health"),
    ({"field": "remark_contains", "op": "contains_any", "value": "مستشفى"}, "health"),
    ({"field": "remark_contains", "op": "contains_any", "value": "wheelchair"}, "disability"),
    (
        {"field": "remark_contains", "op": "contains_any", "value": "political asylum"},
        "political_opinion",
    ),
    ({"field": "remark_contains", "op": "contains_any", "value": "الحزب"}, "political_opinion"),
    ({"field": "remark_contains", "op": "contains_any", "value": "trade union"}, "trade_union"),
    ({"field": "remark_contains", "op": "contains_any", "value": "النقابة"}, "trade_union"),
    ({"field": "remark_contains", "op": "contains_any", "value": "gay"}, "sex_life"),
    ({"field": "remark_contains", "op": "contains_any", "value": "مثليون"}, "sex_life"),
]


@pytest.mark.parametrize(("criterion", "trait"), SENSITIVE)
def test_a_criterion_on_a_sensitive_trait_is_refused(criterion: dict[str, Any], trait: str) -> None:
    allowed = {"field": "route", "op": "in", "value": "CAI-IST"}
    refused = _refusal({"all": [allowed, criterion]})
    [problem] = refused.problems
    assert (problem.criterion, problem.field, problem.trait) == (2, criterion["field"], trait)
    assert refused.sensitive
    assert problem.text("en").startswith(f"criterion 2 ({criterion['field']}): refused")
    assert "art. 6(4)" in problem.text("en")
    assert problem.text("ar").startswith(f"المعيار 2 ({criterion['field']}): مرفوض")


# Allowed criteria, as written, and as the check gives them back.
ALLOWED = [
    (("route", "in", "cai-ist, CAI ADB"), ("CAI-IST", "CAI-ADB")),
    (("via_airport", "not_in", ["ist"]), ("IST",)),
    (("departure_date", "between", "2026-03-01..2026-03-31"), ("2026-03-01", "2026-03-31")),
    (("weekday", "in", "fri, sat, fri"), ("fri", "sat")),
    (("carrier", "in", "ms"), ("MS",)),
    (("flight_number", "in", ["MS0737"]), ("MS737",)),
    (("booked_hours_before_departure", "lt", "24"), 24.0),
    (("one_way", "is", "yes"), True),
    (("legs", "between", [2, 4]), (2, 4)),
    (("point_of_sale_country", "in", "TUR, egypt"), ("TR", "EG")),
    (("payment_type", "in", "cash"), ("cash",)),
    (("third_party_payment", "is", True), True),
    (("bags", "eq", 0), 0),
    (("group_size", "gte", "4"), 4),
    (("nationality", "not_in", "KOR"), ("KR",)),
    (("document_valid_days", "lt", 30), 30),
    (("age", "between", "18..25"), (18, 25)),
    (("travelling_with_listed", "is", "نعم"), True),
    (
        ("remark_contains", "contains_any", "paid at airport, SEND TICKET"),
        ("paid at airport", "SEND TICKET"),
    ),
    (("email_domain", "in", "@mail.example"), ("mail.example",)),
]


@pytest.mark.parametrize(("written", "value"), ALLOWED)
def test_allowed_criteria_come_back_canonical(written: tuple[str, str, Any], value: Any) -> None:
    field, op, raw = written
    checked = check_criteria(one(field, op, raw))
    assert checked == Criteria((Criterion(field, op, value),))
    # Written back as a form shows it, it reads the same.
    again = check_criteria(one(field, op, value_text(checked.every[0])))
    assert again == checked


MALFORMED = [
    ("not criteria", None, "criteria must be"),
    ({"all": []}, None, "at least one criterion"),
    ({"every": [{"field": "route"}]}, None, "criteria must be"),
    ({"all": [{"field": "route", "op": "in", "value": "CAI-IST"}] * 21}, None, "at most 20"),
    ({"all": ["route in CAI-IST"]}, 1, "needs a field, an operator"),
    (one("destination", "in", "IST"), 1, 'there is no field "destination"'),
    (one("route", "lt", "CAI-IST"), 1, 'the operator "lt" does not apply'),
    (one("route", "in", "CAIRO"), 1, '"CAIRO" is not valid here'),
    (one("route", "in", ""), 1, "a value is needed"),
    (one("age", "between", "40..20"), 1, "the lower bound 40 is above the upper bound 20"),
    (one("age", "between", "20"), 1, "give two values"),
    (one("age", "lt", [20, 30]), 1, "give exactly one value"),
    (one("legs", "gte", "two"), 1, '"two" is not valid here'),
    (one("one_way", "is", "perhaps"), 1, '"perhaps" is not valid here'),
]


@pytest.mark.parametrize(("criteria", "number", "message"), MALFORMED)
def test_malformed_criteria_are_refused_with_the_reason(
    criteria: object, number: int | None, message: str
) -> None:
    [problem] = _refusal(criteria).problems
    assert problem.criterion == number
    assert message in problem.text("en")
    assert problem.trait is None
    assert problem.text("ar") != problem.text("en")


def test_every_wrong_criterion_is_named_at_once_all_then_any() -> None:
    criteria = {
        "all": [
            {"field": "route", "op": "in", "value": "CAI-IST"},
            {"field": "religion", "op": "in", "value": "x"},
        ],
        "any": [
            {"field": "age", "op": "lt", "value": "old"},
            {"field": "carrier", "op": "in", "value": "MS"},
        ],
    }
    refused = _refusal(criteria)
    assert [(p.criterion, p.field) for p in refused.problems] == [(2, "religion"), (3, "age")]
    assert [p.to_dict()["trait"] for p in refused.problems] == ["religion", None]


def test_criteria_as_json_text_and_as_a_bare_list() -> None:
    text = '{"all": [{"field": "carrier", "op": "in", "value": "MS"}]}'
    assert check_criteria(text) == check_criteria([{"field": "carrier", "op": "in", "value": "MS"}])
    assert (
        check_criteria(text).to_json() == '{"all":[{"field":"carrier","op":"in","value":["MS"]}]}'
    )


def test_a_criterion_as_explanations_state_it() -> None:
    def text(field: str, op: str, value: Any) -> str:
        return rule_text(check_criteria(one(field, op, value)).every[0])

    assert text("booked_hours_before_departure", "lt", 24) == "under 24 h"
    assert text("age", "between", "18..25") == "between 18 and 25 years"
    assert text("route", "in", "CAI-IST, CAI-ADB") == "one of CAI-IST, CAI-ADB"
    assert text("one_way", "is", "yes") == "yes"
