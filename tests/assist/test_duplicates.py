"""The duplication check: a planted pair flagged with its overlap, near-misses not flagged, and
the index agreeing with a plain comparison of every pair."""

import random
from dataclasses import replace
from datetime import date, timedelta
from string import Formatter
from typing import Any

import pytest

from rasid.assist.duplicates import MIN_OVERLAP_DAYS, REASONS, find_duplicates, reason
from rasid.assist.errors import AssistError
from rasid.assist.matching import same_institution
from rasid.assist.model import (
    ActivityStatus,
    Budget,
    Duplicate,
    OrgRole,
    Participant,
    Project,
    ProjectKind,
)
from rasid.assist.wording import explain

A = Project(
    id=11,
    identifier="XM-EX-RASID-0011",
    kind=ProjectKind.PROJECT,
    title="Financial investigation training",
    description="",
    status=ActivityStatus.IMPLEMENTATION,
    countries=("ZZ", "YY"),
    start=date(2026, 1, 1),
    end=date(2027, 12, 31),
    currency="USD",
    budgets=(Budget(date(2026, 1, 1), date(2027, 12, 31), 1_000_000.0, "USD"),),
    participants=(
        Participant(OrgRole.FUNDING, "Government of Norway"),
        Participant(OrgRole.IMPLEMENTING, "UNODC"),
    ),
    themes=("gp-21",),
    dac=("24010",),
    beneficiaries=("Financial Intelligence Unit",),
)
B = replace(
    A,
    id=12,
    identifier="XM-EX-RASID-0012",
    status=ActivityStatus.PIPELINE,
    countries=("YY", "ZZ"),
    start=date(2027, 6, 1),
    end=date(2028, 12, 31),
    currency="EUR",
    budgets=(Budget(date(2027, 6, 1), date(2028, 12, 31), 800_000.0, "EUR"),),
    participants=(Participant(OrgRole.FUNDING, "European Union"),),
    themes=("gp-20", "gp-21"),
    beneficiaries=("Central Bank", "the financial intelligence unit"),
)


def _like_a(ident: int, **changes: Any) -> Project:
    return replace(A, id=ident, identifier=f"XM-EX-RASID-{ident:04d}", **changes)


NEAR_MISSES = [
    _like_a(13, start=date(2025, 1, 1), end=date(2026, 1, 31)),  # overlaps A by 30 days
    _like_a(14, beneficiaries=("Border Police",)),  # another institution
    _like_a(15, beneficiaries=("National Financial Intelligence Unit",)),  # close is not same
    _like_a(16, status=ActivityStatus.CLOSED),
    _like_a(17, status=ActivityStatus.CANCELLED),
    _like_a(18, status=ActivityStatus.FINALISATION),
    _like_a(19, status=ActivityStatus.SUSPENDED),
    _like_a(20, end=None),  # no end: cannot be checked
    _like_a(21, start=None),
    _like_a(22, countries=("XX",)),
    _like_a(23, themes=("gp-05",)),
    _like_a(24, themes=(), dac=("15210",)),  # no themes, and no DAC code shared
    _like_a(25, beneficiaries=()),
]
# Without themes on one side, shared DAC purpose codes count.
J = _like_a(31, themes=(), dac=("15210",), beneficiaries=("Police",), end=date(2028, 6, 30))
K = _like_a(32, themes=("gp-08",), dac=("15210", "22040"), beneficiaries=("police",))


def test_the_planted_pair_is_flagged_with_its_overlap_and_the_near_misses_are_not() -> None:
    flags = find_duplicates([A, B, *NEAR_MISSES])
    assert flags == [
        Duplicate(
            left=11,
            right=12,
            country="YY",
            themes=("gp-21",),
            institutions=("Financial Intelligence Unit",),
            start=date(2027, 6, 1),
            end=date(2027, 12, 31),
            days=213,
            funders=(("Government of Norway",), ("European Union",)),
            budgets=((1_000_000.0, "USD"), (800_000.0, "EUR")),
        )
    ]
    assert find_duplicates([B, A]) == flags  # the lower id is on the left whatever the order


def test_shared_dac_codes_count_when_a_project_has_no_themes_and_longest_comes_first() -> None:
    flags = find_duplicates([A, B, J, K])
    assert [(f.left, f.right, f.days) for f in flags] == [(31, 32, 729), (11, 12, 213)]
    dac = flags[0]
    assert (dac.themes, dac.institutions, dac.country) == (("15210",), ("Police",), "YY")


def test_the_threshold_is_more_than_min_days() -> None:
    at = _like_a(41, start=date(2027, 12, 31) - timedelta(days=MIN_OVERLAP_DAYS))
    over = _like_a(42, start=date(2027, 12, 31) - timedelta(days=MIN_OVERLAP_DAYS + 1))
    assert find_duplicates([A, at]) == []
    assert [(f.left, f.right, f.days) for f in find_duplicates([A, over])] == [(11, 42, 91)]
    near = find_duplicates([A, NEAR_MISSES[0]], min_days=29)
    assert [(f.left, f.right, f.days) for f in near] == [(11, 13, 30)]


def test_bad_input_is_refused_with_the_project_named() -> None:
    with pytest.raises(AssistError, match="XM-EX-RASID-0011"):
        find_duplicates([replace(A, id=None), B])
    with pytest.raises(AssistError, match="min_days") as refused:
        find_duplicates([A, B], min_days=-1)
    assert refused.value.worded("ar") == (
        "فحص الازدواج: الحد الأدنى لأيام التداخل صفر أو أكثر، لا -1"
    )
    assert find_duplicates([A, replace(A)]) == []  # the same project twice is no pair


def _brute_force(projects: list[Project], min_days: int) -> list[tuple[int, int, int]]:
    found = []
    for i, a in enumerate(projects):
        for b in projects[i + 1 :]:
            if not (a.status.live and b.status.live and a.start and a.end and b.start and b.end):
                continue
            if not set(a.countries) & set(b.countries):
                continue
            shared = set(a.themes) & set(b.themes)
            if not (a.themes and b.themes):
                shared = set(a.dac) & set(b.dac)
            same = any(
                same_institution(x, y) == 1.0 for x in a.beneficiaries for y in b.beneficiaries
            )
            days = (min(a.end, b.end) - max(a.start, b.start)).days
            if shared and same and days > min_days:
                assert a.id is not None and b.id is not None
                found.append((min(a.id, b.id), max(a.id, b.id), days))
    return sorted(found, key=lambda f: (-f[2], f[0], f[1]))


def test_the_index_finds_what_comparing_every_pair_finds() -> None:
    rng = random.Random(8)
    institutions = ["Police", "the police", "Customs", "Financial Intelligence Unit", "Prisons"]
    projects = []
    for ident in range(1, 401):
        start = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 900))
        projects.append(
            replace(
                A,
                id=ident,
                identifier=f"XM-EX-RASID-{ident:04d}",
                status=rng.choice(list(ActivityStatus)),
                countries=tuple(rng.sample(["XX", "YY", "ZZ"], rng.randint(1, 2))),
                start=start,
                end=start + timedelta(days=rng.randrange(30, 700)),
                themes=tuple(rng.sample(["gp-01", "gp-08", "gp-21"], rng.randint(0, 2))),
                dac=tuple(rng.sample(["15210", "24010", "15130"], rng.randint(0, 2))),
                beneficiaries=tuple(rng.sample(institutions, rng.randint(0, 2))),
            )
        )
    flags = find_duplicates(projects)
    expected = _brute_force(projects, MIN_OVERLAP_DAYS)
    assert len(expected) > 50  # the set is dense enough to mean something
    assert [(f.left, f.right, f.days) for f in flags] == expected


def test_every_flag_is_explained_in_both_languages() -> None:
    flags = find_duplicates([A, B, J, K])
    reasons = [reason(f) for f in flags]
    assert {r.code for r in reasons} == set(REASONS)
    for item in reasons:
        args = dict(item.args)
        for lang in ("ar", "en"):
            template = REASONS[item.code].get(lang)
            names = {name for _, name, _, _ in Formatter().parse(template) if name}
            assert names <= set(args), (item.code, lang, names - set(args))
            assert explain(item, lang) == template.format(**args)
    [(_, planted)] = [(f, reason(f)) for f in find_duplicates([A, B])]
    assert explain(planted, "en") == (
        "Projects 11 and 12 in YY both address gp-21 for Financial Intelligence Unit and overlap "
        "for 213 days (2027-06-01 to 2027-12-31). Funders: Government of Norway (1,000,000 USD) "
        "and European Union (800,000 EUR)"
    )
    assert "213 يومًا" in explain(planted, "ar")
