"""Targeting rules evaluated on the stored sample travel files, on both databases: matches
with their reasons, "any" groups, companions in a booking or a booking reference, and the
context read in a few queries per chunk of travellers."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from rasid.screen.model import Match
from rasid.screen.wording import word
from rasid.store import Store
from rasid.travel import targeting
from rasid.travel.criteria import check_criteria
from rasid.travel.targeting import TargetRule, evaluate
from tests.travel.rulehelpers import load_samples, traveller_ids

TODAY = date(2026, 6, 1)


def rule(criteria: dict[str, Any], rule_id: int = 7, name: str = "test rule") -> TargetRule:
    return TargetRule(rule_id, name, check_criteria(criteria))


def crit(field: str, op: str, value: Any) -> dict[str, Any]:
    return {"field": field, "op": op, "value": value}


@pytest.fixture
def loaded(store: Store) -> tuple[Store, list[str]]:
    """Every sample file in the PIU's dataset, and its traveller ids."""
    return store, load_samples(store)


def hits(
    store: Store, ids: list[str], *rules: TargetRule, listed: set[str] | None = None
) -> dict[str, list[Match]]:
    with store.uow() as uow:
        return evaluate(uow.conn, list(rules), ids, listed or set(), TODAY)


def test_a_late_cash_booking_is_matched_with_a_reason_per_criterion(
    loaded: tuple[Store, list[str]],
) -> None:
    store, ids = loaded
    late_cash = rule(
        {
            "all": [
                crit("payment_type", "in", "cash"),
                crit("booked_hours_before_departure", "lt", 150),
            ]
        }
    )
    found = hits(store, ids, late_cash)
    # Vandenberg booked for cash 124 hours before TZ6; his TZ5 back left 183 hours after.
    assert set(found) == set(traveller_ids(store, "VANDENBERG", "TZ6"))
    [match] = next(iter(found.values()))
    assert (match.entity_id, match.kind, match.score, match.alert) == ("rule:7", "rule", 1.0, True)
    assert match.name == "test rule"
    assert [r.detail for r in match.explanation] == [
        "paid by cash (rule: one of cash)",
        "booked 124.2 h before departure (rule: under 150 h)",
    ]
    # The same steps in Arabic, as the review page words them; English gives the detail.
    assert [word(r.code, r.args, r.detail, "ar") for r in match.explanation] == [
        "دفع نقداً (القاعدة: أحد القيم نقداً)",
        "حجز قبل المغادرة بـ124.2 ساعة (القاعدة: أقل من 150 ساعة)",
    ]
    assert [word(r.code, r.args, "", "en") for r in match.explanation] == [
        r.detail for r in match.explanation
    ]
    assert [r.feature for r in match.explanation] == ["rule", "rule"]
    assert sum(r.effect for r in match.explanation) == pytest.approx(1.0)


def test_route_connection_and_a_payer_who_is_not_travelling(
    loaded: tuple[Store, list[str]],
) -> None:
    store, ids = loaded
    paid_for = rule(
        {
            "all": [
                crit("route", "in", "LHR-YVR"),
                crit("via_airport", "in", "JFK, IST"),
                crit("third_party_payment", "is", "yes"),
            ]
        }
    )
    found = hits(store, ids, paid_for)
    assert set(found) == set(traveller_ids(store, "SMITHJR") + traveller_ids(store, "JONES"))
    details = [r.detail for r in next(iter(found.values()))[0].explanation]
    assert details == [
        "travels LHR-YVR (rule: one of LHR-YVR)",
        "connects at JFK (rule: one of JFK, IST)",
        "paid by someone not in the booking: yes (rule: yes)",
    ]
    steps = next(iter(found.values()))[0].explanation
    assert [word(r.code, r.args, r.detail, "ar") for r in steps] == [
        "يسافر على المسار LHR-YVR (القاعدة: أحد القيم LHR-YVR)",
        "يعبر في JFK (القاعدة: أحد القيم JFK، IST)",
        "دفع عنه شخص ليس في الحجز: نعم (القاعدة: نعم)",
    ]


def test_an_any_group_needs_one_of_its_criteria(loaded: tuple[Store, list[str]]) -> None:
    store, ids = loaded
    either = rule(
        {
            "all": [crit("data_source", "in", "pnr")],
            "any": [crit("nationality", "in", "KOR"), crit("email_domain", "in", "yahoo.com")],
        }
    )
    found = hits(store, ids, either)
    expected = {*traveller_ids(store, "PARK"), *traveller_ids(store, "KIM")}
    expected |= set(traveller_ids(store, "ACKARY"))
    assert set(found) == expected
    [ackary] = hits(store, traveller_ids(store, "ACKARY", "UA988"), either).values()
    assert [r.detail for r in ackary[0].explanation] == [
        "known from pnr (rule: one of pnr)",
        "contact e-mail at yahoo.com (rule: one of yahoo.com)",
    ]


def test_unknown_values_never_meet_a_criterion(loaded: tuple[Store, list[str]]) -> None:
    store, ids = loaded
    # API travellers have no booking: neither "cash" nor "not cash" says anything of them.
    not_cash = rule({"all": [crit("payment_type", "not_in", "cash")]})
    found = hits(store, ids, not_cash)
    assert set(found) == set(traveller_ids(store, "SMITHJR") + traveller_ids(store, "JONES"))


def test_travelling_with_a_listed_person(loaded: tuple[Store, list[str]]) -> None:
    store, ids = loaded
    with_listed = rule({"all": [crit("travelling_with_listed", "is", "yes")]})
    smith = traveller_ids(store, "SMITHJR", "DL324")
    jones = traveller_ids(store, "JONES")
    assert hits(store, ids, with_listed) == {}
    found = hits(store, ids, with_listed, listed=set(smith))
    assert set(found) == set(jones)  # on both flights of the booking; not Smith himself
    # API data: the same booking reference on the same flight.
    barrett = traveller_ids(store, "BARRETT", "QQ827")
    lang = traveller_ids(store, "LANG", "QQ827")
    assert set(hits(store, ids, with_listed, listed=set(barrett))) == set(lang)


def test_several_rules_give_one_match_each(loaded: tuple[Store, list[str]]) -> None:
    store, ids = loaded
    crew = rule({"all": [crit("role", "in", "crew")]}, 1, "crew")
    british = rule({"all": [crit("nationality", "in", "GB")]}, 2, "british")
    found = hits(store, ids, crew, british)
    steur = traveller_ids(store, "Steur")
    assert [m.entity_id for m in found[steur[0]]] == ["rule:1", "rule:2"]
    assert [m.entity_id for m in found[traveller_ids(store, "SMITHJR")[0]]] == ["rule:2"]


def test_the_context_is_read_in_a_few_queries_per_chunk(
    loaded: tuple[Store, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, ids = loaded
    monkeypatch.setattr(targeting, "CHUNK", 10)
    everything = rule(
        {
            "all": [
                crit("legs", "gte", 0),
                crit("group_size", "gte", 1),
                crit("remark_contains", "contains_any", "ZZZZ"),
            ]
        }
    )
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    with store.uow() as uow:
        event.listen(uow.conn, "before_cursor_execute", count)
        evaluate(uow.conn, [everything], ids * 2, set(), TODAY)  # repeated ids count once
        event.remove(uow.conn, "before_cursor_execute", count)
    chunks = -(-len(ids) // 10)
    # Per chunk: travellers, bookings, versions, itineraries, companions (by booking and by
    # API booking reference): never one per traveller.
    assert len(statements) <= 6 * chunks
    assert len(ids) > 4 * chunks


def test_no_rule_no_query(loaded: tuple[Store, list[str]]) -> None:
    store, ids = loaded
    assert hits(store, ids) == {}
