"""Exchange rates: the conversion arithmetic (either way round, the latest rate on or before
the date, none before it, the same currency unchanged), rates recorded by a coordinator and
audited, refusals worded in both languages, and matching in the store converting a budget
with the need's office's rate (SQLite and PostgreSQL)."""

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select

from rasid.access.policy import Denied
from rasid.assist import coordination, projects, rates
from rasid.assist.errors import AssistError
from rasid.assist.model import (
    ActivityStatus,
    Budget,
    MatchStatus,
    Project,
    ProjectImport,
    ProjectKind,
    Rate,
)
from rasid.assist.rates import RateBook
from rasid.store import Store
from rasid.store.tables import audit_event as audit_log
from tests.assist.helpers import World, make_world

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def rate(base: str, quote: str, value: float, on: date, source: str = "fixing") -> Rate:
    """A rate as the store would give it."""
    return Rate(None, base, quote, value, on, source)


BOOK = RateBook(
    [
        rate("EUR", "USD", 1.10, JAN),
        rate("EUR", "USD", 1.20, MAR, "later fixing"),
        rate("USD", "JOD", 0.71, FEB),
        rate("GBP", "USD", 1.25, FEB, "first"),
        rate("GBP", "USD", 1.30, FEB, "recorded again"),
    ]
)


@pytest.mark.parametrize(
    ("amount", "source", "target", "on", "expected"),
    [
        (100.0, "EUR", "USD", JAN, 110.0),  # on the rate's own date
        (100.0, "EUR", "USD", FEB, 110.0),  # the latest on or before
        (100.0, "EUR", "USD", MAR, 120.0),
        (110.0, "USD", "EUR", FEB, 100.0),  # the inverse
        (71.0, "JOD", "USD", MAR, 100.0),
        (100.0, "USD", "JOD", FEB, 71.0),
        (10.0, "GBP", "USD", FEB, 13.0),  # the last recorded of a date
        (100.0, "EUR", "USD", date(2025, 12, 31), None),  # none before
        (100.0, "EUR", "JOD", MAR, None),  # no chain through a third currency
        (100.0, "CHF", "CHF", JAN, 100.0),  # the same currency: unchanged, rate or not
    ],
)
def test_conversion_arithmetic(
    amount: float, source: str, target: str, on: date, expected: float | None
) -> None:
    got = BOOK.convert(amount, source, target, on)
    assert got == (None if expected is None else pytest.approx(expected))


def test_a_conversion_names_the_rate_it_used() -> None:
    used = BOOK.conversion(50.0, "USD", "EUR", MAR)
    assert used is not None
    assert used.rate.source == "later fixing" and used.rate.on == MAR
    assert used.factor == pytest.approx(1 / 1.2) and used.amount == pytest.approx(50 / 1.2)
    assert BOOK.conversion(1.0, "USD", "USD", MAR) is None  # not a conversion


def test_the_later_of_a_rate_and_an_inverse_one_wins() -> None:
    book = RateBook([rate("EUR", "USD", 1.1, JAN), rate("USD", "EUR", 0.8, FEB)])
    assert book.convert(100.0, "EUR", "USD", MAR) == pytest.approx(125.0)
    assert book.convert(100.0, "EUR", "USD", JAN) == pytest.approx(110.0)


# --- in the store ----------------------------------------------------------------------------


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    """The demo's visit, loaded."""
    yield make_world(store)


def test_a_coordinator_records_rates_and_every_one_is_audited(world: World) -> None:
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        added = rates.add_rate(uow.conn, coord, "eur", "usd", 1.08, FEB, " ECB  reference rate ")
        rates.add_rate(uow.conn, coord, "USD", "JOD", 0.709, JAN, "Central Bank of Jordan")
    assert (added.base, added.quote, added.source) == ("EUR", "USD", "ECB reference rate")
    assert added.id is not None and added.agency == "coordination"
    with world.store.uow() as uow:
        listed = rates.list_rates(uow.conn, world.who(uow.conn, "donor"))
        assert [(r.base, r.quote, r.rate, r.on) for r in listed] == [
            ("EUR", "USD", 1.08, FEB),
            ("USD", "JOD", 0.709, JAN),
        ]
        assert listed[0].recorded_by == "coord" and listed[0].recorded_at is not None
        assert rates.list_rates(uow.conn, world.who(uow.conn, "coord"), agency="partner_un") == []
        book = rates.book(uow.conn, "coordination")
        assert book.convert(1000.0, "JOD", "USD", MAR) == pytest.approx(1000 / 0.709)
        assert rates.book(uow.conn, "partner_un").convert(1.0, "EUR", "USD", MAR) is None
        audited = uow.conn.execute(
            select(audit_log.c.action, audit_log.c.target).where(
                audit_log.c.action == "assist.rate.add"
            )
        ).all()
    assert [tuple(a) for a in audited] == [
        ("assist.rate.add", "EUR/USD"),
        ("assist.rate.add", "USD/JOD"),
    ]


REFUSED = [
    (("EUR", "USD", 0.0), "a rate is a number greater than 0, not 0.0",
     "سعر الصرف عدد أكبر من الصفر، لا 0.0"),
    (("EUR", "USD", -1.5), "a rate is a number greater than 0, not -1.5",
     "سعر الصرف عدد أكبر من الصفر، لا -1.5"),
    (("EUR", "USD", float("nan")), "a rate is a number greater than 0, not nan",
     "سعر الصرف عدد أكبر من الصفر، لا nan"),
    (("EUR", "QQQ", 1.0), "unknown currency 'QQQ' (not an ISO 4217 code)",
     "عملة غير معروفة 'QQQ' (ليست من رموز ISO 4217)"),
    (("EURO", "USD", 1.0), "a currency is an ISO 4217 code, not 'EURO'",
     "رمز العملة 'EURO' غير صالح: العملة تُكتب برمز من ثلاثة أحرف (ISO 4217)"),
    (("usd", "USD", 1.0), "a rate converts between two currencies, not USD to itself",
     "سعر الصرف يكون بين عملتين، لا من USD إلى نفسها"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "english", "arabic"), REFUSED)
def test_bad_rates_are_refused_in_both_languages(
    world: World, args: tuple[str, str, float], english: str, arabic: str
) -> None:
    with world.store.uow() as uow, pytest.raises(AssistError) as refused:
        rates.add_rate(uow.conn, world.who(uow.conn, "coord"), *args, FEB, "fixing")
    assert (str(refused.value), refused.value.worded("ar")) == (english, arabic)


def test_a_rate_needs_a_source(world: World) -> None:
    with world.store.uow() as uow, pytest.raises(AssistError) as refused:
        rates.add_rate(uow.conn, world.who(uow.conn, "coord"), "EUR", "USD", 1.1, FEB, " ")
    assert refused.value.worded("ar") == "الحقل «مصدر سعر الصرف» مطلوب"


@pytest.mark.parametrize("user", ["analyst", "focal", "donor"])
def test_only_a_coordinator_records_a_rate(world: World, user: str) -> None:
    with world.store.uow() as uow, pytest.raises(Denied):
        rates.add_rate(uow.conn, world.who(uow.conn, user), "EUR", "USD", 1.1, FEB, "x")
    with world.store.uow() as uow:
        assert rates.list_rates(uow.conn, world.who(uow.conn, "coord")) == []


def _euro_project() -> Project:
    return Project(
        id=None,
        identifier="XM-EX-RASID-0200",
        kind=ProjectKind.PROJECT,
        title="Financial investigation in euros",
        description="",
        status=ActivityStatus.IMPLEMENTATION,
        countries=("ZZ",),
        start=date(2026, 1, 1),
        end=date(2028, 12, 31),
        currency="EUR",
        budgets=(Budget(date(2026, 1, 1), date(2028, 12, 31), 500_000.0, "EUR"),),
        themes=("gp-21",),
        beneficiaries=("Financial Intelligence Unit",),
    )


def test_suggestions_convert_a_budget_with_the_need_office_rate(world: World) -> None:
    today = date(2026, 11, 1)
    need = world.loaded.needs["fiu-analysis"]
    need_id = need.id
    assert need_id is not None and need.cost is not None and need.currency == "USD"
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        projects.save_projects(uow.conn, coord, ProjectImport((_euro_project(),)))
        project = world.project(uow.conn, "XM-EX-RASID-0200")

    def funding() -> str:
        with world.store.uow() as uow:
            found = coordination.suggest(uow.conn, world.who(uow.conn, "un"), need_id, today=today)
        match = next(m for m in found if m.project == project.id)
        reason = next(c for c in match.components if c.name == "funding").reason
        return reason.code if reason.code != "match.funding.converted" else reason.arg("rate")

    assert funding() == "match.funding.currency"
    with world.store.uow() as uow:
        rates.add_rate(uow.conn, world.who(uow.conn, "coord"), "USD", "EUR", 0.8, today, "demo")
    assert funding() == "1.25"  # the inverse of 0.8, seen by a partner too


def test_costs_accepted_onto_a_project_count_in_its_currency(world: World) -> None:
    today = date(2026, 11, 1)
    need = world.loaded.needs["fiu-analysis"]  # USD 250,000
    assert need.id is not None and need.cost == 250_000 and need.currency == "USD"
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        projects.save_projects(uow.conn, coord, ProjectImport((_euro_project(),)))
        euro = world.project(uow.conn, "XM-EX-RASID-0200")
        assert euro.id is not None
        coordination.decide(uow.conn, coord, need.id, euro.id, MatchStatus.ACCEPTED, today=today)
        # Without a rate the dollars cannot be taken from a budget in euros.
        assert euro.id not in coordination.committed(uow.conn, RateBook([]), today)
        book = RateBook([rate("USD", "EUR", 0.8, today)])
        assert coordination.committed(uow.conn, book, today)[euro.id] == pytest.approx(200_000)
        assert coordination.committed(uow.conn, book, today, exclude_need=need.id) == {}
