"""Progress arithmetic: ascending and descending indicators, over-achievement, regression,
a target equal to the baseline, before the start and after the target date, the rating
thresholds and the roll-up."""

from dataclasses import replace
from datetime import date, timedelta
from string import Formatter

import pytest

from rasid.assist.errors import AssistError
from rasid.assist.model import Actual, Indicator, Progress, Rating, Reason
from rasid.assist.progress import REASONS, progress, rollup
from rasid.assist.wording import explain

START = date(2026, 1, 1)
HALF = START + timedelta(days=50)  # half of a 100-day period


def _day(n: int) -> date:
    return START + timedelta(days=n)


def _indicator(
    baseline: float, target: float, *actuals: tuple[int, float], ascending: bool = True
) -> Indicator:
    return Indicator(
        id=1,
        title="Suspicious-transaction reports analysed",
        ascending=ascending,
        baseline=baseline,
        baseline_date=START,
        target=target,
        target_date=_day(100),
        actuals=tuple(Actual(_day(d), v) for d, v in actuals),
    )


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "ascending", "achieved", "rating", "code"),
    [
        (10, 50, 30, True, 0.5, Rating.GREEN, "progress.green"),
        (10, 50, 26, True, 0.4, Rating.GREEN, "progress.green"),  # 10 points behind: green
        (10, 50, 25.6, True, 0.39, Rating.AMBER, "progress.amber"),
        (10, 50, 20, True, 0.25, Rating.AMBER, "progress.amber"),  # 25 behind: still amber
        (10, 50, 19.6, True, 0.24, Rating.RED, "progress.red"),
        (10, 50, 60, True, 1.25, Rating.GREEN, "progress.met"),  # over-achievement
        (10, 50, 50, True, 1.0, Rating.GREEN, "progress.met"),
        (10, 50, 6, True, -0.1, Rating.RED, "progress.red"),  # below the baseline
        # descending: the backlog falls from 30 to 10
        (30, 10, 20, False, 0.5, Rating.GREEN, "progress.green"),
        (30, 10, 24, False, 0.3, Rating.AMBER, "progress.amber"),
        (30, 10, 5, False, 1.25, Rating.GREEN, "progress.met"),
        (30, 10, 34, False, -0.2, Rating.RED, "progress.red"),
        # the target is the baseline: met when at or beyond it in the indicator's direction
        (0, 0, 0, True, 1.0, Rating.GREEN, "progress.met"),
        (0, 0, 2, True, 1.0, Rating.GREEN, "progress.met"),
        (0, 0, -1, True, 0.0, Rating.RED, "progress.red"),
        (5, 5, 4, False, 1.0, Rating.GREEN, "progress.met"),
        (5, 5, 6, False, 0.0, Rating.RED, "progress.red"),
    ],
)
def test_achieved_against_half_the_time_elapsed(
    baseline: float,
    target: float,
    actual: float,
    ascending: bool,
    achieved: float,
    rating: Rating,
    code: str,
) -> None:
    result = progress(_indicator(baseline, target, (40, actual), ascending=ascending), HALF)
    assert result.elapsed == 0.5
    assert (result.actual, result.actual_date) == (actual, _day(40))
    assert (result.achieved, result.rating, result.reason.code) == (achieved, rating, code)


def test_the_reason_gives_percentages_the_actual_and_the_target() -> None:
    result = progress(_indicator(10, 50, (40, 20)), HALF)
    assert dict(result.reason.args) == {
        "title": "Suspicious-transaction reports analysed",
        "achieved": "25",
        "expected": "50",
        "actual": "20",
        "date": "2026-02-10",
        "target": "50",
    }
    assert explain(result.reason, "en") == (
        "Somewhat behind: Suspicious-transaction reports analysed has come 25% of the way to its "
        "target of 50 (20 on 2026-02-10); 50% was expected by the time elapsed"
    )


def test_the_latest_actual_up_to_the_date_counts_and_later_ones_are_ignored() -> None:
    indicator = _indicator(0, 100, (10, 5), (45, 30), (60, 90))
    result = progress(indicator, HALF)
    assert (result.actual, result.actual_date, result.achieved) == (30, _day(45), 0.3)
    assert result.rating is Rating.AMBER
    later = progress(indicator, _day(60))
    assert (later.actual, later.achieved, later.elapsed, later.rating) == (
        90,
        0.9,
        0.6,
        Rating.GREEN,
    )


def test_before_the_start_and_without_an_actual_there_is_no_rating() -> None:
    before = progress(_indicator(0, 100, (0, 10)), START - timedelta(days=1))
    assert (before.elapsed, before.achieved, before.rating) == (0.0, None, Rating.NONE)
    assert before.reason == Reason(
        "progress.not_started",
        (("title", "Suspicious-transaction reports analysed"), ("start", "2026-01-01")),
    )
    only_later = progress(_indicator(0, 100, (80, 10)), HALF)
    assert (only_later.actual, only_later.achieved, only_later.rating) == (None, None, Rating.NONE)
    assert only_later.reason.code == "progress.no_actual"
    assert only_later.reason.arg("as_of") == HALF.isoformat()


def test_after_the_target_date_all_the_time_has_elapsed() -> None:
    result = progress(_indicator(0, 100, (120, 75)), _day(200))
    assert (result.elapsed, result.achieved, result.rating) == (1.0, 0.75, Rating.AMBER)
    short = replace(_indicator(0, 100, (0, 40)), target_date=START)  # no period at all
    assert progress(short, START).elapsed == 1.0
    assert progress(short, START).rating is Rating.RED
    assert progress(_indicator(0, 100), _day(33)).elapsed == 0.33


def test_a_value_that_is_not_a_number_is_refused_with_the_indicator_named() -> None:
    with pytest.raises(AssistError, match=r"Suspicious-transaction reports analysed.*actual"):
        progress(_indicator(0, 100, (10, float("nan"))), HALF)
    with pytest.raises(AssistError, match="target") as refused:
        progress(_indicator(0, float("inf")), HALF)
    assert refused.value.worded("ar") == (
        "المؤشر 'Suspicious-transaction reports analysed': الهدف ليس رقمًا"
    )


def _part(title: str, achieved: float | None, elapsed: float = 0.5) -> Progress:
    rating = Rating.NONE if achieved is None else Rating.GREEN
    return Progress(1, title, HALF, None, None, achieved, elapsed, rating, Reason("x"))


def test_rollup_means_over_the_parts_that_reported() -> None:
    parts = [_part("Reports analysed", 0.5), _part("Cases opened", 0.2), _part("Staff", None)]
    result = rollup(parts)
    assert (result.achieved, result.elapsed, result.rating) == (0.35, 0.5, Rating.AMBER)
    assert result.parts == tuple(parts)
    assert dict(result.reason.args) == {
        "reported": "2",
        "total": "3",
        "achieved": "35",
        "expected": "50",
        "worst": "Cases opened",
    }
    assert result.reason.code == "progress.rollup.amber"
    uneven = rollup([_part("Reports analysed", 0.8, 1.0), _part("Cases opened", 0.2, 0.2)])
    assert (uneven.achieved, uneven.elapsed, uneven.rating) == (0.5, 0.6, Rating.GREEN)
    # the weakest is the part furthest behind its time, though it achieved more
    assert uneven.reason.arg("worst") == "Reports analysed"


def test_rollup_met_none_and_empty() -> None:
    met = rollup([_part("Reports analysed", 1.2), _part("Cases opened", 0.9)])
    assert (met.achieved, met.rating, met.reason.code) == (
        1.05,
        Rating.GREEN,
        "progress.rollup.met",
    )
    red = rollup([_part("Reports analysed", 0.1, 0.9)])
    assert (red.rating, red.reason.code) == (Rating.RED, "progress.rollup.red")
    silent = rollup([_part("Reports analysed", None, 0.4), _part("Cases opened", None, 0.6)])
    assert (silent.achieved, silent.elapsed, silent.rating) == (None, 0.5, Rating.NONE)
    assert silent.reason.code == "progress.rollup.no_actual"
    empty = rollup([])
    assert (empty.achieved, empty.elapsed, empty.rating, empty.parts) == (
        None,
        None,
        Rating.NONE,
        (),
    )
    assert empty.reason.code == "progress.rollup.empty"


def test_every_reason_is_declared_and_worded_in_both_languages() -> None:
    reasons = []
    for actual in (60, 30, 22, 12):
        reasons.append(progress(_indicator(10, 50, (40, actual)), HALF).reason)
    reasons.append(progress(_indicator(10, 50), HALF).reason)
    reasons.append(progress(_indicator(10, 50), START - timedelta(days=1)).reason)
    for parts in ([], [_part("a", None)], [_part("a", 1.0)], [_part("a", 0.5)]):
        reasons.append(rollup(parts).reason)
    reasons += [rollup([_part("a", 0.3)]).reason, rollup([_part("a", 0.1)]).reason]
    assert {r.code for r in reasons} == set(REASONS)
    for reason in reasons:
        args = dict(reason.args)
        for lang in ("ar", "en"):
            template = REASONS[reason.code].get(lang)
            names = {name for _, name, _, _ in Formatter().parse(template) if name}
            assert names <= set(args), (reason.code, lang, names - set(args))
            assert explain(reason, lang) == template.format(**args)
