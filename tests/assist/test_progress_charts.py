"""The progress pictures: a roadmap's bars clipped beyond 100 % with the true percentage
written, growing from the right in Arabic, empty for negative progress; an indicator's plan
and actuals, mirrored in Arabic, surviving odd values."""

from dataclasses import replace
from datetime import date

from lxml import etree

from rasid.assist import progress_charts
from rasid.assist.model import Actual, Indicator, Rating
from tests.assist.pictures import (
    AS_OF,
    SVG,
    at,
    attr,
    child,
    indicator,
    parse,
    roadmap,
    rollup,
    rollups,
    said,
    texts,
)


def _steps(root: etree._Element) -> dict[str, etree._Element]:
    return {attr(g, "data-step"): g for g in root.iter(f"{SVG}g") if g.get("data-step")}


def test_roadmap_clips_bars_and_writes_the_true_percentage() -> None:
    root = parse(progress_charts.roadmap_svg(roadmap(), rollups(), "en", as_of=AS_OF))
    steps = _steps(root)
    assert list(steps) == ["1", "2", "3", "4"]  # in position order
    ahead = steps["1"]
    bar = next(r for r in ahead.iter(f"{SVG}rect") if r.get("class") == "achieved")
    assert at(bar, "width") == 280.0  # clipped to the full bar
    assert "achieved 130% · expected 50%" in texts(ahead)
    assert "green" in texts(ahead) and ahead.get("data-rating") == "green"
    behind = steps["2"]
    bar = next(r for r in behind.iter(f"{SVG}rect") if r.get("class") == "achieved")
    assert at(bar, "width") == 70.0
    assert "red" in texts(behind)
    assert "due 2025-12-01 (overdue)" in texts(behind)
    assert "No linked indicator" in texts(steps["3"])
    assert "No actual reported yet · expected 10%" in texts(steps["4"])
    assert "blocked" in texts(steps["4"])


def test_roadmap_bars_grow_from_the_right_in_arabic() -> None:
    en = _steps(parse(progress_charts.roadmap_svg(roadmap(), rollups(), "en", as_of=AS_OF)))["2"]
    ar = _steps(parse(progress_charts.roadmap_svg(roadmap(), rollups(), "ar", as_of=AS_OF)))["2"]

    def bar(g: etree._Element) -> float:
        return at(next(r for r in g.iter(f"{SVG}rect") if r.get("class") == "achieved"), "x")

    assert bar(en) == 286.0  # 16 + 270 from the left
    assert bar(ar) == 900.0 - 286.0 - 70.0  # the same from the right
    assert "أحمر" in texts(ar) and "متأخرة" in texts(ar)


def test_negative_progress_draws_an_empty_bar() -> None:
    found = {11: rollup(-0.4, 0.5, Rating.RED)}
    step = _steps(parse(progress_charts.roadmap_svg(roadmap(), found, "en", as_of=AS_OF)))["1"]
    bar = next(r for r in step.iter(f"{SVG}rect") if r.get("class") == "achieved")
    assert at(bar, "width") == 0.0
    assert "achieved -40%" in texts(step)


def test_indicator_descending_plan_and_actuals() -> None:
    root = parse(progress_charts.indicator_svg(indicator(), "en", as_of=AS_OF))
    base = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "baseline")
    target = next(p for p in root.iter(f"{SVG}polygon") if p.get("class") == "target")
    target_y = float(attr(target, "points").split()[0].split(",")[1]) + 7
    assert at(base, "y") + 5 < target_y  # 120 drawn above 30
    actuals = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "actual"]
    assert [said(c, "title") for c in actuals] == ["2025-07-01: 100", "2025-12-01: 80"]
    assert len(list(root.iter(f"{SVG}polyline"))) == 1
    drawn = texts(root)
    assert "baseline 120" in drawn and "target 30" in drawn and "as of 2026-01-15" in drawn
    assert "2025-01-01" in drawn and "2026-12-31" in drawn  # the date axis ends
    assert "Lower is better." in said(root, "desc")
    as_of = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "as-of")
    x = at(child(as_of, "line"), "x1")
    assert at(base, "x") + 5 < x < float(attr(target, "points").split()[0].split(",")[0])


def test_indicator_mirrors_in_arabic_and_survives_odd_values() -> None:
    root = parse(progress_charts.indicator_svg(indicator(ascending=True), "ar", as_of=AS_OF))
    base = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "baseline")
    assert at(base, "x") > 380  # the baseline date is at the right
    assert "الارتفاع تحسّن." in said(root, "desc")
    odd = Indicator(
        None,
        "flat",
        True,
        5.0,
        date(2026, 1, 1),
        5.0,
        date(2026, 1, 1),
        actuals=(Actual(date(2026, 1, 1), float("nan")),),
    )
    root = parse(progress_charts.indicator_svg(odd, "en", as_of=date(2026, 1, 1)))
    assert [c for c in root.iter(f"{SVG}circle") if c.get("class") == "actual"] == []
    huge = replace(indicator(), baseline=-1.7e308, target=1.7e308)
    assert parse(progress_charts.indicator_svg(huge, "en", as_of=AS_OF)).get("role") == "img"
