"""Matching a need with projects: a hand-built set with a known best match, each component's
score and reason, and the wording of every reason in Arabic and English."""

from dataclasses import replace
from datetime import date, timedelta
from string import Formatter
from typing import Any

import pytest

from rasid.assist.errors import AssistError
from rasid.assist.matching import REASONS, WEIGHTS, rank, same_institution, score
from rasid.assist.model import (
    ActivityStatus,
    Budget,
    Component,
    Need,
    OrgRole,
    Participant,
    Priority,
    Project,
    ProjectKind,
    Rate,
    Reason,
)
from rasid.assist.rates import RateBook
from rasid.assist.taxonomy import builtin
from rasid.assist.wording import explain
from rasid.model.markings import Marking

TODAY = date(2027, 3, 1)
WANTED_BY = date(2028, 3, 1)
TAXONOMY = builtin()

NEED = Need(
    id=1,
    agency="coordination_office",
    country="ZZ",
    institution="Financial Intelligence Unit",
    theme="gp-21",
    gap="No analyst trained in financial investigation of terrorist financing",
    baseline="Two suspicious-transaction reports analysed a year",
    priority=Priority.HIGH,
    marking=Marking.AMBER,
    region="Capital District",
    cost=200_000.0,
    currency="USD",
    wanted_by=WANTED_BY,
)

BEST = Project(
    id=7,
    identifier="XM-EX-RASID-0007",
    kind=ProjectKind.PROJECT,
    title="Financial investigation capacity",
    description="Training and mentoring of financial analysts",
    status=ActivityStatus.IMPLEMENTATION,
    countries=("ZZ",),
    start=date(2026, 10, 1),
    end=date(2028, 6, 30),
    currency="USD",
    budgets=(Budget(date(2026, 10, 1), date(2028, 6, 30), 500_000.0, "USD"),),
    spent=100_000.0,
    participants=(Participant(OrgRole.FUNDING, "Government of Norway"),),
    themes=("gp-21",),
    dac=("24010",),
    beneficiaries=("Financial Intelligence Unit",),
)


def _variant(ident: int, **changes: Any) -> Project:
    return replace(BEST, id=ident, identifier=f"XM-EX-RASID-{ident:04d}", **changes)


LATE = WANTED_BY + timedelta(days=91)
PROJECTS = [
    BEST,
    _variant(1, currency="EUR", budgets=(replace(BEST.budgets[0], currency="EUR"),)),
    _variant(2, region="Coastal Province"),
    _variant(3, themes=("gp-22",)),
    _variant(4, start=LATE, end=date(2029, 12, 31)),
    _variant(5, beneficiaries=("National Financial Intelligence Unit",)),
    _variant(6, spent=450_000.0),
    _variant(8, themes=("gp-05",), dac=("24010",)),
    _variant(9, countries=("YY",)),  # another state's project
    _variant(10, status=ActivityStatus.CLOSED),
]
LATE_MONTHS = 91 / (365.25 / 12)
LATE_TIMING = round(1 - LATE_MONTHS / 12, 4)

# project id -> (expected total, the component that loses, its score, its reason code)
EXPECTED = {
    7: (1.0, None, 1.0, ""),
    4: (round(0.9 + 0.1 * LATE_TIMING, 4), "timing", LATE_TIMING, "match.timing.late"),
    2: (0.94, "geography", 0.7, "match.geography.other_region"),
    1: (0.925, "funding", 0.5, "match.funding.currency"),
    5: (0.92, "institution", 0.6, "match.institution.close"),
    6: (0.8875, "funding", 0.25, "match.funding.partial"),
    3: (0.825, "theme", 0.5, "match.theme.area"),
    8: (0.755, "theme", 0.3, "match.theme.dac"),
}
PERFECT = {
    "theme": "match.theme.exact",
    "institution": "match.institution.same",
    "geography": "match.geography.country",
    "timing": "match.timing.ready",
    "funding": "match.funding.enough",
}


EUR_USD = Rate(None, "EUR", "USD", 1.08, date(2027, 2, 1), "central bank fixing")
IN_EUR = replace(BEST, currency="EUR", budgets=(replace(BEST.budgets[0], currency="EUR"),))


def _components(
    project: Project, need: Need = NEED, committed: float = 0.0, rates: RateBook | None = None
) -> dict[str, Component]:
    match = score(need, project, TAXONOMY, today=TODAY, committed=committed, rates=rates)
    return {c.name: c for c in match.components}


def test_the_best_match_comes_first_and_each_other_loses_on_its_component() -> None:
    ranked = rank(NEED, PROJECTS, TAXONOMY, today=TODAY)
    assert [m.project for m in ranked] == [7, 4, 2, 1, 5, 6, 3, 8]
    for match in ranked:
        total, loser, value, code = EXPECTED[match.project]
        assert match.need == 1
        assert match.score == pytest.approx(total, abs=1e-4)
        for component in match.components:
            assert component.weight == WEIGHTS[component.name]
            if component.name == loser:
                assert (component.score, component.reason.code) == (value, code)
            else:
                assert component.score == 1.0, (match.project, component)
                assert component.reason.code == PERFECT[component.name]


def test_the_reasons_carry_the_facts() -> None:
    best = _components(BEST)
    assert best["theme"].reason.arg("label_en") == "Increase financial-investigation capacity"
    assert best["institution"].reason.arg("beneficiary") == "Financial Intelligence Unit"
    assert dict(best["funding"].reason.args) == {
        "remaining": "400,000",
        "currency": "USD",
        "cost": "200,000",
    }
    partial = _components(PROJECTS[6])["funding"].reason
    assert (partial.arg("remaining"), partial.arg("share")) == ("50,000", "25")
    late = _components(PROJECTS[4])["timing"].reason
    assert (late.arg("start"), late.arg("window_end"), late.arg("months")) == (
        "2028-05-31",
        "2028-03-01",
        "3.0",
    )
    assert _components(PROJECTS[3])["theme"].reason.arg("related") == "gp-22"
    assert _components(PROJECTS[7])["theme"].reason.arg("codes") == "24010"


def test_rank_leaves_out_other_states_closed_projects_and_weak_scores() -> None:
    ranked = rank(NEED, PROJECTS, TAXONOMY, today=TODAY)
    assert {9, 10}.isdisjoint(m.project for m in ranked)
    assert _components(PROJECTS[8])["geography"].score == 0.0  # scored alone, it shows why
    assert [m.project for m in rank(NEED, PROJECTS, TAXONOMY, today=TODAY, limit=3)] == [7, 4, 2]
    strong = rank(NEED, PROJECTS, TAXONOMY, today=TODAY, minimum=0.9)
    assert [m.project for m in strong] == [7, 4, 2, 1, 5]
    assert rank(NEED, PROJECTS, TAXONOMY, today=TODAY, limit=0) == []


def test_committed_costs_reduce_what_is_left_and_ties_go_by_project_id() -> None:
    ranked = rank(NEED, [BEST, PROJECTS[6]], TAXONOMY, today=TODAY, committed={7: 350_000.0})
    assert [(m.project, m.score) for m in ranked] == [(6, 0.8875), (7, 0.8875)]


@pytest.mark.parametrize(
    ("changes", "value", "code"),
    [
        ({"themes": ("gp-21", "gp-01")}, 1.0, "match.theme.exact"),
        ({"themes": ("gp-01",), "dac": ("15130",)}, 0.0, "match.theme.none"),
        ({"themes": (), "dac": ("15132", "99999")}, 0.3, "match.theme.dac"),
        ({"themes": ("gp-20", "gp-25")}, 0.5, "match.theme.area"),
    ],
)
def test_theme(changes: dict[str, Any], value: float, code: str) -> None:
    theme = _components(replace(BEST, **changes))["theme"]
    assert (theme.score, theme.reason.code) == (value, code)


def test_a_theme_unknown_to_the_taxonomy_matches_only_itself() -> None:
    need = replace(NEED, theme="res-2396-op12")
    assert _components(BEST, need)["theme"].score == 0.0
    exact = _components(replace(BEST, themes=("res-2396-op12",)), need)["theme"]
    assert (exact.score, exact.reason.arg("label_en")) == (1.0, "res-2396-op12")


@pytest.mark.parametrize(
    ("beneficiaries", "value", "code"),
    [
        ((), 0.3, "match.institution.unstated"),
        (("Border Police", "Customs"), 0.0, "match.institution.different"),
        (("Customs", "the financial intelligence unit"), 1.0, "match.institution.same"),
        (("Financial Intelligence",), 0.6, "match.institution.close"),
    ],
)
def test_institution(beneficiaries: tuple[str, ...], value: float, code: str) -> None:
    institution = _components(replace(BEST, beneficiaries=beneficiaries))["institution"]
    assert (institution.score, institution.reason.code) == (value, code)


@pytest.mark.parametrize(
    ("a", "b", "value"),
    [
        ("Financial Intelligence Unit", "financial intelligence unit", 1.0),
        ("The Financial Intelligence Unit", "Financial Intelligence Unit", 1.0),
        ("Financial Intelligence Unit", "National Financial Intelligence Unit", 0.6),
        ("Financial Intelligence Unit", "Financial Police", 0.0),
        ("Ministry of Interior", "Ministry of Justice", 0.0),
        ("Ministère de l'Intérieur", "MINISTERE DE L INTERIEUR", 1.0),
        ("Al-Quds Police", "Quds Police", 1.0),
        ("وحدة التحريات المالية", "وحده التحريات الماليه", 1.0),
        ("وحدة التحريات المالية", "وحدة تحريات مالية", 1.0),
        ("وحدة التحريات المالية", "الوحدة الوطنية للتحريات المالية", 0.6),
        ("وزارة الداخلية", "وزارة العدل", 0.0),
        ("وحدة التحريات المالية", "Financial Intelligence Unit", 0.0),
        ("", "Financial Intelligence Unit", 0.0),
        ("The", "the", 0.0),
    ],
)
def test_same_institution(a: str, b: str, value: float) -> None:
    assert same_institution(a, b) == value
    assert same_institution(b, a) == value


@pytest.mark.parametrize(
    ("need_region", "project_region", "countries", "value", "code"),
    [
        ("Capital District", "", ("ZZ",), 1.0, "match.geography.country"),
        ("", "Coastal Province", ("YY", "ZZ"), 1.0, "match.geography.country"),
        ("Capital District", "capital  district", ("ZZ",), 1.0, "match.geography.region"),
        ("Capital District", "Coastal Province", ("ZZ",), 0.7, "match.geography.other_region"),
        ("", "", ("YY", "XX"), 0.0, "match.geography.none"),
    ],
)
def test_geography(
    need_region: str, project_region: str, countries: tuple[str, ...], value: float, code: str
) -> None:
    project = replace(BEST, region=project_region, countries=countries)
    geography = _components(project, replace(NEED, region=need_region))["geography"]
    assert (geography.score, geography.reason.code) == (value, code)


@pytest.mark.parametrize(
    ("changes", "wanted_by", "value", "code"),
    [
        ({"status": ActivityStatus.CANCELLED}, WANTED_BY, 0.0, "match.timing.closed"),
        ({"end": TODAY}, WANTED_BY, 0.0, "match.timing.ended"),
        ({"start": None, "end": None}, WANTED_BY, 1.0, "match.timing.ready"),
        ({"start": WANTED_BY, "end": None}, WANTED_BY, 1.0, "match.timing.ready"),
        ({"status": ActivityStatus.SUSPENDED}, WANTED_BY, 0.5, "match.timing.suspended"),
        ({"start": WANTED_BY + timedelta(days=400)}, WANTED_BY, 0.0, "match.timing.late"),
        (
            {"start": LATE, "status": ActivityStatus.SUSPENDED},
            WANTED_BY,
            round((1 - LATE_MONTHS / 12) / 2, 4),
            "match.timing.late_suspended",
        ),
        # not said by when: two years from today
        ({"start": TODAY + timedelta(days=730), "end": None}, None, 1.0, "match.timing.ready"),
        ({"start": TODAY + timedelta(days=731), "end": None}, None, 0.9973, "match.timing.late"),
    ],
)
def test_timing(changes: dict[str, Any], wanted_by: date | None, value: float, code: str) -> None:
    timing = _components(replace(BEST, **changes), replace(NEED, wanted_by=wanted_by))["timing"]
    assert (timing.score, timing.reason.code) == (value, code)


@pytest.mark.parametrize(
    ("changes", "cost", "committed", "value", "code"),
    [
        ({"budgets": ()}, 200_000.0, 0.0, 0.5, "match.funding.unknown"),
        ({"currency": "EUR"}, 200_000.0, 0.0, 0.5, "match.funding.currency"),
        ({}, 200_000.0, 400_000.0, 0.0, "match.funding.exhausted"),
        ({"spent": 600_000.0}, None, 0.0, 0.0, "match.funding.exhausted"),
        ({}, 200_000.0, 100_000.0, 1.0, "match.funding.enough"),
        ({}, 200_000.0, 250_000.0, 0.75, "match.funding.partial"),
        ({}, None, 0.0, 0.8, "match.funding.share"),
        ({"currency": "EUR"}, None, 150_000.0, 0.5, "match.funding.share"),
    ],
)
def test_funding(
    changes: dict[str, Any], cost: float | None, committed: float, value: float, code: str
) -> None:
    project = replace(BEST, **changes)
    funding = _components(project, replace(NEED, cost=cost), committed)["funding"]
    assert (funding.score, funding.reason.code) == (value, code)


def test_a_rate_converts_the_remaining_budget_and_the_reason_names_it() -> None:
    funding = _components(IN_EUR, rates=RateBook([EUR_USD]))["funding"]
    assert (funding.score, funding.reason.code) == (1.0, "match.funding.converted")
    assert dict(funding.reason.args) == {
        "original": "400,000",
        "project_currency": "EUR",
        "remaining": "432,000",
        "currency": "USD",
        "rate": "1.08",
        "rate_date": "2027-02-01",
        "source": "central bank fixing",
        "share": "100",
        "cost": "200,000",
    }
    assert explain(funding.reason, "en") == (
        "The 400,000 EUR left is 432,000 USD at 1 EUR = 1.08 USD (rate of 2027-02-01, "
        "source: central bank fixing), covering 100% of the estimated cost of 200,000 USD"
    )
    assert explain(funding.reason, "ar") == (
        "المتبقي من الميزانية 400,000 EUR يعادل 432,000 USD بسعر 1 EUR = 1.08 USD "
        "(سعر 2027-02-01، المصدر: central bank fixing)، ويغطي 100% من الكلفة المقدّرة "
        "200,000 USD"
    )


@pytest.mark.parametrize(
    ("rates", "cost", "value", "code"),
    [
        ([EUR_USD], 864_000.0, 0.5, "match.funding.converted"),  # 432,000 of 864,000
        # recorded the other way round: 1 USD = 0.8 EUR, so 400,000 EUR = 500,000 USD
        ([Rate(None, "USD", "EUR", 0.8, date(2026, 1, 1), "UN")], 1_000_000.0, 0.5,
         "match.funding.converted"),
        ([replace(EUR_USD, on=TODAY + timedelta(days=1))], 200_000.0, 0.5,
         "match.funding.currency"),  # a rate after the matching day is not used
        ([Rate(None, "EUR", "GBP", 0.85, date(2026, 1, 1), "x")], 200_000.0, 0.5,
         "match.funding.currency"),  # no rate of this pair
    ],
)  # fmt: skip
def test_funding_across_currencies(rates: list[Rate], cost: float, value: float, code: str) -> None:
    funding = _components(IN_EUR, replace(NEED, cost=cost), rates=RateBook(rates))["funding"]
    assert (funding.score, funding.reason.code) == (value, code)


def test_the_latest_rate_on_or_before_the_matching_day_is_used() -> None:
    older = replace(EUR_USD, rate=1.0, on=date(2026, 6, 1))
    newer = Rate(None, "USD", "EUR", 0.5, date(2027, 1, 1), "newer, inverse")
    for book in (RateBook([older, EUR_USD, newer]), RateBook([newer, EUR_USD, older])):
        reason = _components(IN_EUR, rates=book)["funding"].reason
        assert (reason.arg("rate"), reason.arg("source")) == ("1.08", "central bank fixing")
    reason = _components(IN_EUR, rates=RateBook([older, newer]))["funding"].reason
    assert (reason.arg("rate"), reason.arg("remaining")) == ("2", "800,000")


def test_records_without_an_id_are_refused_with_their_name() -> None:
    with pytest.raises(AssistError, match="XM-EX-RASID-0007"):
        rank(NEED, [replace(BEST, id=None)], TAXONOMY, today=TODAY)
    with pytest.raises(AssistError, match="Financial Intelligence Unit"):
        score(replace(NEED, id=None), BEST, TAXONOMY, today=TODAY)


def _every_reason() -> list[Reason]:
    projects = [
        *PROJECTS,
        replace(BEST, beneficiaries=()),
        replace(BEST, themes=("gp-01",), dac=()),
    ]
    projects += [replace(BEST, beneficiaries=("Customs",)), replace(BEST, budgets=())]
    projects += [replace(BEST, end=TODAY), replace(BEST, status=ActivityStatus.SUSPENDED)]
    projects += [replace(BEST, start=LATE, status=ActivityStatus.SUSPENDED)]
    projects += [replace(BEST, spent=500_000.0), replace(BEST, region="Capital District")]
    reasons = []
    for need in (NEED, replace(NEED, cost=None)):
        for project in projects:
            reasons += [c.reason for c in _components(project, need).values()]
    reasons += [c.reason for c in _components(IN_EUR, rates=RateBook([EUR_USD])).values()]
    return reasons


def test_every_reason_is_declared_and_worded_in_both_languages() -> None:
    reasons = _every_reason()
    assert {r.code for r in reasons} == set(REASONS)  # every declared code is produced too
    for reason in reasons:
        args = dict(reason.args)
        for lang in ("ar", "en"):
            template = REASONS[reason.code].get(lang)
            names = {name for _, name, _, _ in Formatter().parse(template) if name}
            assert names <= set(args), (reason.code, lang, names - set(args))
            assert explain(reason, lang) == template.format(**args)
    reason = _components(PROJECTS[6])["funding"].reason
    assert explain(reason, "en") == (
        "The 50,000 USD left covers 25% of the estimated cost of 200,000 USD"
    )
    assert explain(reason, "ar") == (
        "المتبقي من الميزانية 50,000 USD يغطي 25% من الكلفة المقدّرة 200,000 USD"
    )
