"""The coordination pictures: each SVG parses as XML, is an accessible image titled in the
reader's language, escapes what users wrote, letters every coverage state (never colour
alone), mirrors for Arabic, and survives empty or odd input; the coverage matrix and the
duplication timeline here, the progress charts' own checks in ``test_progress_charts``."""

from dataclasses import replace

from rasid.assist import charts, progress_charts
from rasid.assist.model import CoverageMatrix, Roadmap
from rasid.model.markings import Marking
from tests.assist.pictures import (
    AS_OF,
    EVIL,
    NAMES,
    SVG,
    at,
    attr,
    child,
    duplicate,
    indicator,
    matrix,
    parent,
    parse,
    projects,
    roadmap,
    rollups,
    said,
    taxonomy,
    texts,
    words,
)


def every_svg(lang: str) -> list[str]:
    """One of each picture."""
    return [
        charts.coverage_svg(matrix(), taxonomy(), lang, country_names=NAMES),
        progress_charts.roadmap_svg(roadmap(EVIL), rollups(), lang, as_of=AS_OF),
        progress_charts.indicator_svg(indicator(), lang, as_of=AS_OF),
        charts.duplicates_svg([duplicate()], projects(), lang),
    ]


def test_every_picture_is_an_accessible_image_in_the_language() -> None:
    for lang, title_word in (("en", "Needs coverage"), ("ar", "تغطية الاحتياجات")):
        for svg in every_svg(lang):
            root = parse(svg)
            assert root.get("role") == "img"
            assert root.get("lang") == lang
            ident = root.get("aria-labelledby", "").split()
            assert child(root, "title").get("id") == ident[0]
            assert said(root, "desc")
            assert (root.get("direction") == "rtl") == (lang == "ar")
        first = parse(every_svg(lang)[0])
        assert title_word in said(first, "title")


def test_user_text_is_escaped() -> None:
    shown = [
        progress_charts.roadmap_svg(roadmap(EVIL), rollups(), lang, as_of=AS_OF)
        for lang in ("en", "ar")
    ]
    shown.append(progress_charts.indicator_svg(replace(indicator(), title=EVIL), "ar", as_of=AS_OF))
    shown.append(charts.duplicates_svg([duplicate()], projects(), "en"))
    for svg in shown:
        root = parse(svg)
        assert "<script>" not in svg
        assert list(root.iter(f"{SVG}script")) == []
        assert EVIL in texts(root)


def test_coverage_letters_counts_and_patterns() -> None:
    root = parse(charts.coverage_svg(matrix(), taxonomy(), "en", country_names=NAMES))
    cells = {
        (g.get("data-country"), parent(g).get("data-theme")): g
        for g in root.iter(f"{SVG}g")
        if g.get("data-coverage")
    }
    assert len(cells) == 9  # every state x theme, the empty ones included
    covered = cells[("JO", "gp-01")]
    assert covered.get("data-coverage") == "covered"
    assert words(child(covered, "text")) == "C 2/2"
    assert words(child(cells[("TN", "gp-01")], "text")) == "P 1/2"
    assert words(child(cells[("JO", "gp-19")], "text")) == "U 0/1"
    assert words(child(cells[("IQ", "gp-01")], "text")) == "–"
    # partly and uncovered carry a pattern as well as a colour
    fills = [r.get("fill") for r in cells[("TN", "gp-01")].iter(f"{SVG}rect")]
    assert "url(#coverage-hatch)" in fills
    fills = [r.get("fill") for r in cells[("JO", "gp-19")].iter(f"{SVG}rect")]
    assert "url(#coverage-dots)" in fills
    drawn = texts(root)
    assert "Jordan" in drawn and "Tunisia" in drawn and "IQ" in drawn  # no name: the code
    assert "1 · Harmonise national" in drawn and "res-2396-op12 · Border control" in drawn
    for state in ("covered", "partly covered", "uncovered", "no need"):
        assert state in drawn


def test_coverage_in_arabic_reads_from_the_right() -> None:
    root = parse(charts.coverage_svg(matrix(), taxonomy(), "ar", country_names=NAMES))
    xs = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("data-coverage") and parent(g).get("data-theme") == "gp-01":
            xs[attr(g, "data-country")] = at(child(g, "rect"), "x")
    assert xs["JO"] > xs["TN"] > xs["IQ"]
    letters = [
        words(child(g, "text")) for g in root.iter(f"{SVG}g") if g.get("data-coverage") == "covered"
    ]
    assert letters == ["م 2/2"]
    assert "الأردن" in texts(root) and "المجال المواضيعي" in texts(root)
    english = parse(charts.coverage_svg(matrix(), taxonomy(), "en"))
    xs_en = {
        attr(g, "data-country"): at(child(g, "rect"), "x")
        for g in english.iter(f"{SVG}g")
        if g.get("data-coverage") and parent(g).get("data-theme") == "gp-01"
    }
    assert xs_en["JO"] < xs_en["TN"] < xs_en["IQ"]


def test_duplicates_show_both_periods_and_the_overlap() -> None:
    root = parse(charts.duplicates_svg([duplicate()], projects(), "en"))
    pair = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "pair")
    assert pair.get("data-days") == "548"
    drawn = texts(pair)
    assert "overlap 2025-07-01 – 2026-12-31 (548 days)" in drawn
    assert "Government of Norway" in drawn and "European Union" in drawn
    assert "Border data exchange" in drawn
    bars = {
        attr(g, "data-project"): child(g, "rect")
        for g in pair.iter(f"{SVG}g")
        if g.get("data-project")
    }
    overlap = next(r for r in pair.iter(f"{SVG}rect") if r.get("class") == "overlap")
    left, right = bars["1"], bars["2"]
    assert at(left, "x") < at(overlap, "x") == at(right, "x")
    end = at(overlap, "x") + at(overlap, "width")
    assert abs(end - (at(left, "x") + at(left, "width"))) < 0.2
    assert "not a decision" in texts(root)
    arabic = texts(parse(charts.duplicates_svg([duplicate()], projects(), "ar")))
    assert "إدارة الحدود" in arabic and "لا قرار" in arabic


def test_empty_and_unknown_input_never_crash() -> None:
    empty = parse(charts.coverage_svg(CoverageMatrix((), ()), taxonomy(), "en"))
    assert "No need recorded" in texts(empty)
    bare = Roadmap(None, "coordination", "JO", "gp-19", "Empty", Marking.GREEN)
    assert "No step yet" in texts(parse(progress_charts.roadmap_svg(bare, {}, "en", as_of=AS_OF)))
    assert "لا خطوات بعد" in texts(parse(progress_charts.roadmap_svg(bare, {}, "ar", as_of=AS_OF)))
    assert "No duplication flagged" in texts(parse(charts.duplicates_svg([], {}, "en")))
    unknown = CoverageMatrix(("ZZ",), ("no-such-theme",))
    assert "no-such-theme" in texts(parse(charts.coverage_svg(unknown, taxonomy(), "en")))
    missing = texts(parse(charts.duplicates_svg([duplicate()], {}, "en")))
    assert "project #1" in missing and "project #2" in missing


def test_numbers_and_ids_are_safe() -> None:
    assert charts.num(1250000.0) == "1,250,000"
    assert charts.num(2.50) == "2.5" and charts.num(-3.0) == "-3"
    assert charts.num(float("inf")) == "—" and charts.percent(None) == "—"
    svg = charts.coverage_svg(matrix(), taxonomy(), "en", ident='x" onload="bad')
    root = parse(svg)
    assert root.get("onload") is None
