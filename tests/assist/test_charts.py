"""The coordination pictures: each SVG parses as XML, is an accessible image titled in the
reader's language, escapes what users wrote, letters every coverage state (never colour
alone), mirrors for Arabic, clips bars beyond 100 % while writing the true percentage, and
survives empty or odd input."""

from dataclasses import replace
from datetime import date

from lxml import etree

from rasid.assist import charts
from rasid.assist.model import (
    ActivityStatus,
    Actual,
    Budget,
    Coverage,
    CoverageCell,
    CoverageMatrix,
    Duplicate,
    Indicator,
    OrgRole,
    Participant,
    Progress,
    Project,
    ProjectKind,
    Rating,
    Reason,
    Roadmap,
    Rollup,
    Step,
    StepStatus,
    Taxonomy,
    Text,
)
from rasid.assist.taxonomy import requirement, with_requirements
from rasid.model.markings import Marking

SVG = "{http://www.w3.org/2000/svg}"
AS_OF = date(2026, 1, 15)
EVIL = "<script>alert(1)</script> & Sons"
NAMES = {"JO": Text("الأردن", "Jordan"), "TN": Text("تونس", "Tunisia")}


def taxonomy() -> Taxonomy:
    """The 25 good practices and one state requirement."""
    label = Text("ضبط الحدود وفق القرار 2396", "Border control under resolution 2396")
    return with_requirements([requirement("res-2396-op12", "D", label, ["15210"])])


def matrix() -> CoverageMatrix:
    """Three states by three themes: one cell in each coverage state, the rest empty."""
    cells = {
        ("JO", "gp-01"): CoverageCell("JO", "gp-01", Coverage.COVERED, (1, 2), (1, 2)),
        ("TN", "gp-01"): CoverageCell("TN", "gp-01", Coverage.PARTLY, (3, 4), (3,)),
        ("JO", "gp-19"): CoverageCell("JO", "gp-19", Coverage.UNCOVERED, (5,), ()),
    }
    return CoverageMatrix(("JO", "TN", "IQ"), ("gp-01", "gp-19", "res-2396-op12"), cells)


def progress(achieved: float | None, elapsed: float, rating: Rating, iid: int = 1) -> Progress:
    """One indicator's progress, built by hand."""
    actual = None if achieved is None else 10.0
    return Progress(
        iid,
        f"indicator {iid}",
        AS_OF,
        actual,
        None,
        achieved,
        elapsed,
        rating,
        Reason("test-reason"),
    )


def rollup(achieved: float | None, elapsed: float, rating: Rating) -> Rollup:
    """A roll-up of one indicator."""
    part = progress(achieved, elapsed, rating)
    return Rollup(achieved, elapsed, rating, (part,), Reason("test-rollup"))


def roadmap(title: str = "Border management roadmap") -> Roadmap:
    """Four steps, given out of order: ahead of plan (130 %), behind plan, without
    indicators, and with indicators but no actual yet."""
    steps = (
        Step(
            12,
            2,
            "Train analysts",
            "Two courses a year",
            "Police Academy",
            date(2025, 12, 1),
            StepStatus.IN_PROGRESS,
            indicators=(2,),
        ),
        Step(
            11,
            1,
            "Adopt the PNR law",
            "Draft with the ministry",
            "Ministry of Interior",
            date(2026, 6, 30),
            StepStatus.IN_PROGRESS,
            indicators=(1,),
        ),
        Step(
            13, 3, "Set up a passenger unit", "Staff it", "Border Police", None, StepStatus.PLANNED
        ),
        Step(
            14,
            4,
            "Connect the airports",
            "Two airports first",
            "Civil Aviation",
            date(2027, 3, 1),
            StepStatus.BLOCKED,
            indicators=(4,),
        ),
    )
    return Roadmap(7, "coordination", "JO", "gp-19", title, Marking.AMBER, steps=steps)


def rollups() -> dict[int, Rollup]:
    """The roll-ups of the roadmap's steps 11, 12 and 14 (13 has no indicator)."""
    return {
        11: rollup(1.3, 0.5, Rating.GREEN),
        12: rollup(0.25, 0.8, Rating.RED),
        14: rollup(None, 0.1, Rating.NONE),
    }


def indicator(ascending: bool = False) -> Indicator:
    """Days to answer a request: a descending indicator from 120 to 30."""
    actuals = (Actual(date(2025, 7, 1), 100.0), Actual(date(2025, 12, 1), 80.0))
    return Indicator(
        3,
        "Days to answer a request",
        ascending,
        120.0,
        date(2025, 1, 1),
        30.0,
        date(2026, 12, 31),
        actuals=actuals,
    )


def project(
    pid: int, title: str, funder: str, start: date, end: date, title_ar: str = ""
) -> Project:
    """A live project in Jordan."""
    return Project(
        pid,
        f"XM-EX-RASID-{pid:04d}",
        ProjectKind.PROJECT,
        title,
        "",
        ActivityStatus.IMPLEMENTATION,
        ("JO",),
        start,
        end,
        "USD",
        budgets=(Budget(start, end, 250000.0, "USD"),),
        participants=(Participant(OrgRole.FUNDING, funder),),
        themes=("gp-19",),
        beneficiaries=("Border Police",),
        title_ar=title_ar,
    )


def projects() -> dict[int, Project]:
    """Two overlapping projects, one titled with markup."""
    return {
        1: project(
            1, EVIL, "Government of Norway", date(2025, 1, 1), date(2026, 12, 31), "إدارة الحدود"
        ),
        2: project(
            2, "Border data exchange", "European Union", date(2025, 7, 1), date(2027, 6, 30)
        ),
    }


def duplicate() -> Duplicate:
    """The flag for projects 1 and 2."""
    return Duplicate(
        1,
        2,
        "JO",
        ("gp-19",),
        ("Border Police",),
        date(2025, 7, 1),
        date(2026, 12, 31),
        548,
        (("Government of Norway",), ("European Union",)),
        ((250000.0, "USD"), (250000.0, "USD")),
    )


def parse(svg: str) -> etree._Element:
    """The SVG as an XML tree (fails on anything not well-formed)."""
    return etree.fromstring(svg.encode("utf-8"))


def texts(root: etree._Element) -> str:
    """All the text drawn or said, joined."""
    return " ".join(t for t in root.itertext())


def every_svg(lang: str) -> list[str]:
    """One of each picture."""
    return [
        charts.coverage_svg(matrix(), taxonomy(), lang, country_names=NAMES),
        charts.roadmap_svg(roadmap(EVIL), rollups(), lang, as_of=AS_OF),
        charts.indicator_svg(indicator(), lang, as_of=AS_OF),
        charts.duplicates_svg([duplicate()], projects(), lang),
    ]


def test_every_picture_is_an_accessible_image_in_the_language() -> None:
    for lang, title_word in (("en", "Needs coverage"), ("ar", "تغطية الاحتياجات")):
        for svg in every_svg(lang):
            root = parse(svg)
            assert root.get("role") == "img"
            assert root.get("lang") == lang
            ident = root.get("aria-labelledby", "").split()
            assert root.find(f"{SVG}title").get("id") == ident[0]
            assert root.find(f"{SVG}desc").text
            assert (root.get("direction") == "rtl") == (lang == "ar")
        first = parse(every_svg(lang)[0])
        assert title_word in first.find(f"{SVG}title").text


def test_user_text_is_escaped() -> None:
    shown = [
        charts.roadmap_svg(roadmap(EVIL), rollups(), lang, as_of=AS_OF) for lang in ("en", "ar")
    ]
    shown.append(charts.indicator_svg(replace(indicator(), title=EVIL), "ar", as_of=AS_OF))
    shown.append(charts.duplicates_svg([duplicate()], projects(), "en"))
    for svg in shown:
        root = parse(svg)
        assert "<script>" not in svg
        assert list(root.iter(f"{SVG}script")) == []
        assert EVIL in texts(root)


def test_coverage_letters_counts_and_patterns() -> None:
    root = parse(charts.coverage_svg(matrix(), taxonomy(), "en", country_names=NAMES))
    cells = {
        (g.get("data-country"), g.getparent().get("data-theme")): g
        for g in root.iter(f"{SVG}g")
        if g.get("data-coverage")
    }
    assert len(cells) == 9  # every state x theme, the empty ones included
    covered = cells[("JO", "gp-01")]
    assert covered.get("data-coverage") == "covered"
    assert "".join(covered.find(f"{SVG}text").itertext()) == "C 2/2"
    assert "".join(cells[("TN", "gp-01")].find(f"{SVG}text").itertext()) == "P 1/2"
    assert "".join(cells[("JO", "gp-19")].find(f"{SVG}text").itertext()) == "U 0/1"
    assert "".join(cells[("IQ", "gp-01")].find(f"{SVG}text").itertext()) == "–"
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
        if g.get("data-coverage") and g.getparent().get("data-theme") == "gp-01":
            xs[g.get("data-country")] = float(g.find(f"{SVG}rect").get("x"))
    assert xs["JO"] > xs["TN"] > xs["IQ"]
    letters = [
        "".join(g.find(f"{SVG}text").itertext())
        for g in root.iter(f"{SVG}g")
        if g.get("data-coverage") == "covered"
    ]
    assert letters == ["م 2/2"]
    assert "الأردن" in texts(root) and "المجال المواضيعي" in texts(root)
    english = parse(charts.coverage_svg(matrix(), taxonomy(), "en"))
    xs_en = {
        g.get("data-country"): float(g.find(f"{SVG}rect").get("x"))
        for g in english.iter(f"{SVG}g")
        if g.get("data-coverage") and g.getparent().get("data-theme") == "gp-01"
    }
    assert xs_en["JO"] < xs_en["TN"] < xs_en["IQ"]


def _steps(root: etree._Element) -> dict[str, etree._Element]:
    return {g.get("data-step"): g for g in root.iter(f"{SVG}g") if g.get("data-step")}


def test_roadmap_clips_bars_and_writes_the_true_percentage() -> None:
    root = parse(charts.roadmap_svg(roadmap(), rollups(), "en", as_of=AS_OF))
    steps = _steps(root)
    assert list(steps) == ["1", "2", "3", "4"]  # in position order
    ahead = steps["1"]
    bar = next(r for r in ahead.iter(f"{SVG}rect") if r.get("class") == "achieved")
    assert float(bar.get("width")) == 280.0  # clipped to the full bar
    assert "achieved 130% · expected 50%" in texts(ahead)
    assert "green" in texts(ahead) and ahead.get("data-rating") == "green"
    behind = steps["2"]
    bar = next(r for r in behind.iter(f"{SVG}rect") if r.get("class") == "achieved")
    assert float(bar.get("width")) == 70.0
    assert "red" in texts(behind)
    assert "due 2025-12-01 (overdue)" in texts(behind)
    assert "No linked indicator" in texts(steps["3"])
    assert "No actual reported yet · expected 10%" in texts(steps["4"])
    assert "blocked" in texts(steps["4"])


def test_roadmap_bars_grow_from_the_right_in_arabic() -> None:
    en = _steps(parse(charts.roadmap_svg(roadmap(), rollups(), "en", as_of=AS_OF)))["2"]
    ar = _steps(parse(charts.roadmap_svg(roadmap(), rollups(), "ar", as_of=AS_OF)))["2"]

    def bar(g: etree._Element) -> float:
        return float(next(r for r in g.iter(f"{SVG}rect") if r.get("class") == "achieved").get("x"))

    assert bar(en) == 286.0  # 16 + 270 from the left
    assert bar(ar) == 900.0 - 286.0 - 70.0  # the same from the right
    assert "أحمر" in texts(ar) and "متأخرة" in texts(ar)


def test_negative_progress_draws_an_empty_bar() -> None:
    found = {11: rollup(-0.4, 0.5, Rating.RED)}
    step = _steps(parse(charts.roadmap_svg(roadmap(), found, "en", as_of=AS_OF)))["1"]
    bar = next(r for r in step.iter(f"{SVG}rect") if r.get("class") == "achieved")
    assert float(bar.get("width")) == 0.0
    assert "achieved -40%" in texts(step)


def test_indicator_descending_plan_and_actuals() -> None:
    root = parse(charts.indicator_svg(indicator(), "en", as_of=AS_OF))
    base = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "baseline")
    target = next(p for p in root.iter(f"{SVG}polygon") if p.get("class") == "target")
    target_y = float(target.get("points").split()[0].split(",")[1]) + 7
    assert float(base.get("y")) + 5 < target_y  # 120 drawn above 30
    actuals = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "actual"]
    assert [c.find(f"{SVG}title").text for c in actuals] == ["2025-07-01: 100", "2025-12-01: 80"]
    assert len(list(root.iter(f"{SVG}polyline"))) == 1
    drawn = texts(root)
    assert "baseline 120" in drawn and "target 30" in drawn and "as of 2026-01-15" in drawn
    assert "2025-01-01" in drawn and "2026-12-31" in drawn  # the date axis ends
    assert "Lower is better." in root.find(f"{SVG}desc").text
    as_of = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "as-of")
    x = float(as_of.find(f"{SVG}line").get("x1"))
    assert float(base.get("x")) + 5 < x < float(target.get("points").split()[0].split(",")[0])


def test_indicator_mirrors_in_arabic_and_survives_odd_values() -> None:
    root = parse(charts.indicator_svg(indicator(ascending=True), "ar", as_of=AS_OF))
    base = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "baseline")
    assert float(base.get("x")) > 380  # the baseline date is at the right
    assert "الارتفاع تحسّن." in root.find(f"{SVG}desc").text
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
    root = parse(charts.indicator_svg(odd, "en", as_of=date(2026, 1, 1)))
    assert [c for c in root.iter(f"{SVG}circle") if c.get("class") == "actual"] == []
    huge = replace(indicator(), baseline=-1.7e308, target=1.7e308)
    assert parse(charts.indicator_svg(huge, "en", as_of=AS_OF)).get("role") == "img"


def test_duplicates_show_both_periods_and_the_overlap() -> None:
    root = parse(charts.duplicates_svg([duplicate()], projects(), "en"))
    pair = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "pair")
    assert pair.get("data-days") == "548"
    drawn = texts(pair)
    assert "overlap 2025-07-01 – 2026-12-31 (548 days)" in drawn
    assert "Government of Norway" in drawn and "European Union" in drawn
    assert "Border data exchange" in drawn
    bars = {
        g.get("data-project"): g.find(f"{SVG}rect")
        for g in pair.iter(f"{SVG}g")
        if g.get("data-project")
    }
    overlap = next(r for r in pair.iter(f"{SVG}rect") if r.get("class") == "overlap")
    left, right = bars["1"], bars["2"]
    assert float(left.get("x")) < float(overlap.get("x")) == float(right.get("x"))
    end = float(overlap.get("x")) + float(overlap.get("width"))
    assert abs(end - (float(left.get("x")) + float(left.get("width")))) < 0.2
    assert "not a decision" in texts(root)
    arabic = texts(parse(charts.duplicates_svg([duplicate()], projects(), "ar")))
    assert "إدارة الحدود" in arabic and "لا قرار" in arabic


def test_empty_and_unknown_input_never_crash() -> None:
    empty = parse(charts.coverage_svg(CoverageMatrix((), ()), taxonomy(), "en"))
    assert "No need recorded" in texts(empty)
    bare = Roadmap(None, "coordination", "JO", "gp-19", "Empty", Marking.GREEN)
    assert "No step yet" in texts(parse(charts.roadmap_svg(bare, {}, "en", as_of=AS_OF)))
    assert "لا خطوات بعد" in texts(parse(charts.roadmap_svg(bare, {}, "ar", as_of=AS_OF)))
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
