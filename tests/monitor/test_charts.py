"""The pictures: each SVG parses as XML, names every factor in the reader's language, draws
what was not assessed as a gap, and marks changes caused by the instrument alone apart from
changes on the ground; the regions table ranks by pillar score."""

from datetime import date

import pytest
from lxml import etree

from rasid.model.markings import Marking
from rasid.monitor import charts
from rasid.monitor.model import (
    Assessment,
    Change,
    ChangeKind,
    ChangeSet,
    Confidence,
    Direction,
    Factor,
    Indicator,
    Instrument,
    Pillar,
    Score,
    Scores,
    Status,
    Subject,
    SubjectKind,
    Text,
)

SVG = "{http://www.w3.org/2000/svg}"
FACTORS = [
    ("geography", Pillar.ENVIRONMENTAL, "الجغرافيا", "Geography"),
    ("economy", Pillar.ENVIRONMENTAL, "الاقتصاد", "Economy"),
    ("governance", Pillar.ENVIRONMENTAL, "الحوكمة", "Governance"),
    ("leadership", Pillar.ORGANISATIONAL, "القيادة", "Leadership"),
    ("recruitment", Pillar.ORGANISATIONAL, "التجنيد", "Recruitment <&> intake"),
]


def instrument(version: str = "1.0") -> Instrument:
    """A small instrument: five factors of two indicators each (one label needs escaping)."""
    factors, indicators = [], {}
    for fid, pillar, ar, en in FACTORS:
        ids = (f"{fid}.a", f"{fid}.b")
        factors.append(Factor(fid, pillar, Text(ar, en), 1.0, ids))
        for iid in ids:
            indicators[iid] = Indicator(
                iid,
                fid,
                Text(f"مؤشر {iid}", f"Indicator {iid}"),
                tuple(Text(f"المستوى {n}", f"Level {n}") for n in range(1, 6)),
                Direction.PRESENT,
                1.0,
                Text("مصدر", "a source"),
                tuple(SubjectKind),
            )
    pillars = {
        Pillar.ENVIRONMENTAL: Text("البيئية", "Environmental"),
        Pillar.ORGANISATIONAL: Text("التنظيمية", "Organisational"),
    }
    title = Text("نقاط الرصد", "Watch points")
    return Instrument("test", version, title, "test", pillars, tuple(factors), indicators)


def score(key: str, value: float | None, assessed: int = 2, applicable: int = 2) -> Score:
    """A score with its coverage."""
    return Score(key, value, assessed / applicable if applicable else 0.0, assessed, applicable)


def scores(economy: float | None = 3.5, overall: float = 3.0) -> Scores:
    """Scores with the economy factor as given (None: not assessed)."""
    factors = {fid: score(fid, 2.0 + i * 0.5) for i, (fid, *_) in enumerate(FACTORS)}
    factors["economy"] = score("economy", economy, 0 if economy is None else 2)
    pillars = {p.value: score(p.value, overall, 3, 4) for p in Pillar}
    return Scores(factors, pillars, score("overall", overall, 8, 10))


def subject(
    sid: int = 1, name: str = "Northern Province", kind: SubjectKind = SubjectKind.REGION
) -> Subject:
    """A subject."""
    return Subject(sid, kind, name, "المحافظة الشمالية", country="jo", parent=9)


def assessment(aid: int, start: date, version: str = "1.0") -> Assessment:
    """An approved assessment of subject 1."""
    end = date(start.year, start.month + 5, 28)
    return Assessment(
        aid,
        subject(),
        start,
        end,
        version,
        Status.APPROVED,
        "police",
        Marking.AMBER,
        "analyst",
        "supervisor",
    )


def parse(svg: str) -> etree._Element:
    """The SVG parsed as XML (raises when it is not well formed)."""
    return etree.fromstring(svg.encode("utf-8"))


def texts(root: etree._Element) -> str:
    """All the text of a picture."""
    return " ".join(str(t).strip() for t in root.itertext())


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_radar_names_every_factor_with_its_coverage(lang: str) -> None:
    root = parse(charts.radar(scores(), instrument(), lang))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    words = texts(root)
    for _, _, ar, en in FACTORS:
        assert (ar if lang == "ar" else en) in words
    assert ("التغطية 100% (2/2)" if lang == "ar" else "coverage 100% (2/2)") in words
    assert (root.get("direction") == "rtl") == (lang == "ar")


def test_radar_draws_a_factor_not_assessed_as_a_gap() -> None:
    full = parse(charts.radar(scores(), instrument(), "en"))
    gapped = parse(charts.radar(scores(economy=None), instrument(), "en"))
    gaps = gapped.findall(f".//{SVG}g[@class='axis gap']")
    assert [g.get("data-factor") for g in gaps] == ["economy"]
    assert "not assessed · coverage 0% (0/2)" in texts(gaps[0])
    assert full.findall(f".//{SVG}g[@class='axis gap']") == []
    # The wedges on either side of the gap are left out: two fewer of them.
    wedges = f".//{SVG}g[@class='area']/{SVG}path"
    assert len(full.findall(wedges)) == 5 and len(gapped.findall(wedges)) == 3


def test_radar_skips_factors_that_do_not_apply() -> None:
    found = scores()
    found.factors["leadership"] = score("leadership", None, 0, 0)
    words = texts(parse(charts.radar(found, instrument(), "en")))
    assert "Leadership" not in words and "Geography" in words


def test_labels_are_escaped() -> None:
    svg = charts.radar(scores(), instrument(), "en")
    assert "Recruitment &lt;&amp;&gt; intake" in svg
    assert "Recruitment <&> intake" in texts(parse(svg))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_bars_show_factors_pillars_and_overall(lang: str) -> None:
    root = parse(charts.bars(scores(economy=None), instrument(), lang))
    keys = [g.get("data-key") for g in root.iter(f"{SVG}g") if g.get("data-key")]
    assert keys == [f[0] for f in FACTORS] + ["environmental", "organisational", "overall"]
    gap = root.find(f".//{SVG}g[@data-key='economy']")
    assert gap is not None and "gap" in (gap.get("class") or "")
    assert charts.word("not_assessed", lang) in texts(gap)
    assert ("البيئية" if lang == "ar" else "Environmental") in texts(root)


def test_bars_grow_from_the_reading_start() -> None:
    en = parse(charts.bars(scores(), instrument(), "en"))
    ar = parse(charts.bars(scores(), instrument(), "ar"))
    rect_en = en.find(f".//{SVG}g[@data-key='geography']/{SVG}rect")
    rect_ar = ar.find(f".//{SVG}g[@data-key='geography']/{SVG}rect")
    assert rect_en is not None and rect_ar is not None
    x_en = float(rect_en.get("x") or "nan")
    right_ar = float(rect_ar.get("x") or "nan") + float(rect_ar.get("width") or "nan")
    assert x_en == 230 and right_ar == pytest.approx(760 - 230)


def changeset(
    before: int, after: int, kinds: list[ChangeKind], versions: tuple[str, str] = ("1.0", "1.0")
) -> ChangeSet:
    """A change set with one change per kind given."""
    changes = tuple(
        Change(f"economy.{i}", k, 2, 4, Confidence.MODERATE, Confidence.HIGH, "moved")
        for i, k in enumerate(kinds)
    )
    return ChangeSet(before, after, versions[0], versions[1], changes)


def test_timeline_marks_ground_and_instrument_changes_apart() -> None:
    shown = [
        assessment(1, date(2025, 1, 1)),
        assessment(2, date(2025, 7, 1)),
        assessment(3, date(2026, 1, 1), "1.1"),
    ]
    changes = [
        changeset(1, 2, [ChangeKind.CRITICAL, ChangeKind.SIGNIFICANT, ChangeKind.SIGNIFICANT]),
        changeset(2, 3, [ChangeKind.INSTRUMENT, ChangeKind.INSTRUMENT], ("1.0", "1.1")),
    ]
    root = parse(charts.timeline(list(reversed(shown)), changes, "en", {1: scores()}))
    points = [g.get("data-assessment") for g in root.iter(f"{SVG}g") if g.get("data-assessment")]
    assert points == ["1", "2", "3"]  # period order
    first = root.find(f".//{SVG}g[@data-after='2']")
    second = root.find(f".//{SVG}g[@data-after='3']")
    assert first is not None and second is not None
    marks = {
        g.get("class"): g.get("data-count") for g in first.iter(f"{SVG}g") if g.get("data-count")
    }
    assert marks == {"change critical": "1", "change significant": "2"}
    only = [g.get("class") for g in second.iter(f"{SVG}g") if g.get("data-count")]
    assert only == ["change instrument-only"]
    assert "2 instrument version only" in texts(second) and "1.0 → 1.1" in texts(second)
    assert "critical" not in texts(second) and "significant" not in texts(second)
    assert "overall: 3.0" in texts(root)


def test_timeline_in_arabic_and_empty() -> None:
    shown = [assessment(1, date(2025, 1, 1)), assessment(2, date(2025, 7, 1))]
    root = parse(charts.timeline(shown, [changeset(1, 2, [ChangeKind.MINOR])], "ar"))
    assert "لا تغيّرات ملموسة" in texts(root) and root.get("direction") == "rtl"
    empty = parse(charts.timeline([], [], "en"))
    assert "no approved assessment yet" in texts(empty)


def test_regions_table_ranks_by_pillar_score() -> None:
    low = scores(overall=2.0)
    high = scores(overall=4.5)
    none = Scores(
        {}, {p.value: score(p.value, None, 0, 4) for p in Pillar}, score("overall", None, 0, 10)
    )
    rows = [(subject(1, "Low"), low), (subject(2, "Blank"), none), (subject(3, "<High>"), high)]
    html = charts.regions_table(rows, instrument(), "en")
    root = etree.fromstring(html.encode("utf-8"))
    order = [tr.get("data-subject") for tr in root.iter("tr") if tr.get("data-subject")]
    assert order == ["3", "1", "2"]
    assert "&lt;High&gt;" in html and "not assessed" in html
    assert "coverage 75% (3/4)" in html
    arabic = charts.regions_table(rows, instrument(), "ar")
    assert "المحافظة الشمالية" in arabic and "مرتّبة حسب درجة الركيزة" in arabic
