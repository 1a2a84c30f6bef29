"""Progress on indicators: how much of the way from baseline to target the latest actual has
come, against how much of the time from baseline date to target date has passed, rated red,
amber or green; and the roll-up of the indicators linked explicitly to a need or a roadmap
step.

achieved = (actual - baseline) / (target - baseline) works for descending indicators too
(baseline 30, target 10, actual 20 gives 0.5); it is not clipped: over-achievement is above
1, going backwards below 0. A part is green when it has met its target or is no more than
``GREEN_SLACK`` behind the time elapsed, amber up to ``AMBER_SLACK`` behind, red beyond.
"""

import math
from collections.abc import Sequence
from datetime import date

from rasid.assist.errors import AssistError
from rasid.assist.model import Actual, Indicator, Progress, Rating, Reason, Rollup, Text

__all__ = ["AMBER_SLACK", "GREEN_SLACK", "REASONS", "progress", "rollup"]

GREEN_SLACK = 0.10
AMBER_SLACK = 0.25

_BEHIND = (
    "بلغ {title} {achieved}% من المسافة إلى الهدف {target} (القيمة {actual} في {date})، "
    "والمتوقع {expected}% بحسب الوقت المنقضي",
    "{title} has come {achieved}% of the way to its target of {target} ({actual} on {date}); "
    "{expected}% was expected by the time elapsed",
)
_ROLLUP = (
    "أبلغ {reported} من {total} مؤشرات؛ متوسط الإنجاز {achieved}% والمتوقع {expected}%؛ "
    "الأضعف: {worst}",
    "{reported} of {total} indicators reported; on average {achieved}% achieved, {expected}% "
    "expected; the weakest: {worst}",
)

REASONS: dict[str, Text] = {
    "progress.not_started": Text(
        "لم تبدأ مدة المؤشر {title} بعد: تبدأ في {start}",
        "The period of {title} has not begun: it starts on {start}",
    ),
    "progress.no_actual": Text(
        "لم تُبلَّغ أي قيمة للمؤشر {title} حتى {as_of}",
        "No value of {title} has been reported by {as_of}",
    ),
    "progress.met": Text(
        "بلغ {title} هدفه {target} (القيمة {actual} في {date}، أي {achieved}%)",
        "{title} has met its target of {target} ({actual} on {date}, {achieved}%)",
    ),
    "progress.green": Text("في الموعد: " + _BEHIND[0], "On track: " + _BEHIND[1]),
    "progress.amber": Text("متأخر قليلًا: " + _BEHIND[0], "Somewhat behind: " + _BEHIND[1]),
    "progress.red": Text("متأخر كثيرًا: " + _BEHIND[0], "Well behind: " + _BEHIND[1]),
    "progress.rollup.empty": Text(
        "لا مؤشر مرتبطًا صراحةً",
        "No indicator is linked explicitly",
    ),
    "progress.rollup.no_actual": Text(
        "لم يُبلَّغ عن أي من المؤشرات المرتبطة ({total})",
        "None of the {total} linked indicators has been reported",
    ),
    "progress.rollup.met": Text(
        "بلغت المؤشرات أهدافها في المتوسط ({achieved}%)؛ أبلغ {reported} من {total}",
        "The indicators have met their targets on average ({achieved}%); {reported} of "
        "{total} reported",
    ),
    "progress.rollup.green": Text("في الموعد: " + _ROLLUP[0], "On track: " + _ROLLUP[1]),
    "progress.rollup.amber": Text("متأخر قليلًا: " + _ROLLUP[0], "Somewhat behind: " + _ROLLUP[1]),
    "progress.rollup.red": Text("متأخر كثيرًا: " + _ROLLUP[0], "Well behind: " + _ROLLUP[1]),
}


def _figure(value: float) -> str:
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _percent(share: float) -> str:
    return f"{share * 100:.0f}"


def _latest(indicator: Indicator, as_of: date) -> Actual | None:
    latest: Actual | None = None
    for actual in indicator.actuals:
        if actual.date <= as_of and (latest is None or actual.date >= latest.date):
            latest = actual
    return latest


def _elapsed(indicator: Indicator, as_of: date) -> float:
    if as_of < indicator.baseline_date:
        return 0.0
    span = (indicator.target_date - indicator.baseline_date).days
    if span <= 0:
        return 1.0
    return round(min(1.0, (as_of - indicator.baseline_date).days / span), 4)


def _achieved(indicator: Indicator, value: float) -> float:
    if indicator.target == indicator.baseline:
        beyond = value >= indicator.target if indicator.ascending else value <= indicator.target
        return 1.0 if beyond else 0.0
    return round((value - indicator.baseline) / (indicator.target - indicator.baseline), 4)


def _rating(achieved: float, elapsed: float) -> Rating:
    behind = round(elapsed - achieved, 4)  # rounded: 0.6 - 0.5 must not exceed 0.10
    if achieved >= 1 or behind <= GREEN_SLACK:
        return Rating.GREEN
    return Rating.AMBER if behind <= AMBER_SLACK else Rating.RED


def _check(indicator: Indicator) -> None:
    values = [
        (Text("خط الأساس", "baseline"), indicator.baseline),
        (Text("الهدف", "target"), indicator.target),
    ]
    values += [
        (
            Text(f"القيمة المسجلة في {a.date.isoformat()}", f"actual of {a.date.isoformat()}"),
            a.value,
        )
        for a in indicator.actuals
    ]
    for name, value in values:
        if not math.isfinite(value):
            raise AssistError(
                f"indicator {indicator.title!r}: the {name.en} is not a number",
                arabic=f"المؤشر {indicator.title!r}: {name.ar} ليس رقمًا",
            )


def progress(indicator: Indicator, as_of: date) -> Progress:
    """An indicator's progress at ``as_of``: the latest actual on or before that date (later
    ones are ignored), the share of the way achieved and of the time elapsed, and the rating
    with its reason. Not rated before the baseline date or without an actual."""
    _check(indicator)
    actual = _latest(indicator, as_of)
    elapsed = _elapsed(indicator, as_of)
    value, when = (actual.value, actual.date) if actual else (None, None)
    title = ("title", indicator.title)
    achieved: float | None = None
    if as_of < indicator.baseline_date:
        start = ("start", indicator.baseline_date.isoformat())
        rating, reason = Rating.NONE, Reason("progress.not_started", (title, start))
    elif actual is None:
        rating, reason = Rating.NONE, Reason("progress.no_actual", (title, ("as_of", str(as_of))))
    else:
        achieved = _achieved(indicator, actual.value)
        rating = _rating(achieved, elapsed)
        code = "progress.met" if achieved >= 1 else f"progress.{rating.value}"
        args = (
            title,
            ("achieved", _percent(achieved)),
            ("expected", _percent(elapsed)),
            ("actual", _figure(actual.value)),
            ("date", actual.date.isoformat()),
            ("target", _figure(indicator.target)),
        )
        reason = Reason(code, args)
    return Progress(
        indicator.id, indicator.title, as_of, value, when, achieved, elapsed, rating, reason
    )


def rollup(parts: Sequence[Progress]) -> Rollup:
    """The progress of a need or a roadmap step from its explicitly linked indicators: the
    mean achieved and mean elapsed over the parts that have a value, rated as one indicator
    is (met when the mean reaches 1). The reason names how many reported and the part
    furthest behind its time."""
    parts = tuple(parts)
    if not parts:
        return Rollup(None, None, Rating.NONE, parts, Reason("progress.rollup.empty"))
    valued = [p for p in parts if p.achieved is not None]
    counts = (("reported", str(len(valued))), ("total", str(len(parts))))
    if not valued:
        elapsed = round(sum(p.elapsed for p in parts) / len(parts), 4)
        return Rollup(
            None, elapsed, Rating.NONE, parts, Reason("progress.rollup.no_actual", counts)
        )
    achieved = round(sum(p.achieved or 0.0 for p in valued) / len(valued), 4)
    elapsed = round(sum(p.elapsed for p in valued) / len(valued), 4)
    worst = min(valued, key=lambda p: (p.achieved or 0.0) - p.elapsed)
    rating = _rating(achieved, elapsed)
    code = "progress.rollup.met" if achieved >= 1 else f"progress.rollup.{rating.value}"
    args = (
        *counts,
        ("achieved", _percent(achieved)),
        ("expected", _percent(elapsed)),
        ("worst", worst.title),
    )
    return Rollup(achieved, elapsed, rating, parts, Reason(code, args))
