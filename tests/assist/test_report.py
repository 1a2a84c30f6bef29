"""The coordination exports: CSV files parse back with Arabic or English headers, codes, ISO
dates and plain numbers beside the labels, and never start a text cell with a formula; the
PDF report carries the marking at the top and the bottom of every page and every section
given (coverage, roadmaps, duplication flags, traces) in English and in shaped Arabic."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from rasid.assist import report
from rasid.assist.model import (
    Coverage,
    CoverageCell,
    CoverageMatrix,
    Document,
    DocumentKind,
    Need,
    Priority,
    Rating,
    Release,
    Roadmap,
    Step,
    StepStatus,
    Trace,
    TraceLink,
)
from rasid.model.markings import Marking
from rasid.monitor import report as monitor_report
from rasid.monitor.errors import MonitorError
from tests.assist.pictures import (
    AS_OF,
    EVIL,
    NAMES,
    duplicate,
    matrix,
    progress,
    projects,
    roadmap,
    rollup,
    rollups,
    taxonomy,
)


def rows(text: str) -> list[list[str]]:
    """A CSV export read back with the csv module."""
    return list(csv.reader(io.StringIO(text)))


def test_coverage_csv_has_a_row_per_cell_with_codes_and_labels() -> None:
    found = rows(report.coverage_csv(matrix(), taxonomy(), "en", NAMES))
    head, body = found[0], found[1:]
    assert head[:4] == ["theme", "theme_label", "area", "country"]
    assert len(body) == 9
    first = dict(zip(head, body[0], strict=True))
    assert first["theme"] == "gp-01" and first["area"] == "A" and first["country"] == "JO"
    assert first["country_name"] == "Jordan" and first["coverage"] == "covered"
    assert (first["needs"], first["covered"], first["need_ids"]) == ("2", "2", "1;2")
    partly = dict(zip(head, body[1], strict=True))
    assert partly["coverage_label"] == "partly covered" and partly["covered_ids"] == "3"
    empty = dict(zip(head, body[2], strict=True))
    assert (empty["country_name"], empty["coverage"], empty["needs"]) == ("IQ", "none", "0")


def test_arabic_csv_headers_and_labels() -> None:
    found = rows(report.coverage_csv(matrix(), taxonomy(), "ar", NAMES))
    assert found[0][:2] == ["رمز_المجال", "المجال"]
    assert found[1][4] == "الأردن" and found[1][5] == "covered" and found[1][6] == "مغطى"
    steps = rows(report.roadmap_csv(roadmap(), rollups(), "ar"))
    assert steps[0][5] == "الخطوة" and steps[1][9] == "قيد التنفيذ"
    pairs = rows(report.duplicates_csv([duplicate()], projects(), "ar"))
    assert pairs[0][1] == "الرقم_الأول" and pairs[1][3] == "إدارة الحدود"


def test_roadmap_csv_numbers_dates_and_missing_indicators() -> None:
    found = rows(report.roadmap_csv(roadmap(), rollups(), "en"))
    head = found[0]
    body = [dict(zip(head, r, strict=True)) for r in found[1:]]
    assert [r["position"] for r in body] == ["1", "2", "3", "4"]
    assert body[0]["achieved_pct"] == "130" and body[0]["expected_pct"] == "50"
    assert body[0]["rating"] == "green" and body[0]["due"] == "2026-06-30"
    assert body[1]["rating_label"] == "red" and body[1]["status"] == "in_progress"
    assert body[2]["rating"] == "" and body[2]["rating_label"] == "no linked indicator"
    assert body[2]["due"] == "" and body[2]["indicators"] == "0"
    assert body[3]["achieved_pct"] == "" and body[3]["expected_pct"] == "10"
    negative = rows(report.roadmap_csv(roadmap(), {11: rollup(-0.4, 0.5, Rating.RED)}, "en"))
    assert negative[1][12] == "-40"  # a number stays a number, not a guarded text


def test_duplicates_csv_sides_and_overlap() -> None:
    found = rows(report.duplicates_csv([duplicate()], projects(), "en"))
    row = dict(zip(found[0], found[1], strict=True))
    assert row["left_id"] == "1" and row["right_identifier"] == "XM-EX-RASID-0002"
    assert row["left_title"] == EVIL and row["left_funders"] == "Government of Norway"
    assert row["left_budget"] == "250000" and row["right_currency"] == "USD"
    assert (row["overlap_start"], row["overlap_end"], row["days"]) == (
        "2025-07-01",
        "2026-12-31",
        "548",
    )
    assert row["themes"] == "gp-19" and row["institutions"] == "Border Police"
    unknown = rows(report.duplicates_csv([duplicate()], {}, "en"))
    assert unknown[1][3] == "project #1" and unknown[1][2] == ""


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_formula_injection_is_guarded(start: str) -> None:
    text = f'{start}HYPERLINK("http://x.example")'
    steps = (Step(1, 1, text, "", text, None, StepStatus.PLANNED),)
    bad = Roadmap(9, "coordination", "JO", "gp-19", "@SUM(A1)", Marking.GREEN, steps=steps)
    found = rows(report.roadmap_csv(bad, {}, "en"))
    assert found[1][1] == "'@SUM(A1)"
    assert found[1][5] == "'" + text and found[1][6] == "'" + text
    assert report.safe("plain") == "plain" and report.safe("a=b") == "a=b"


def trace() -> Trace:
    """A need from a visit, on one roadmap step, met by one project, with progress."""
    document = Document(
        4,
        "coordination",
        "JO",
        DocumentKind.VISIT,
        "Visit report 2025",
        date(2025, 3, 2),
        Marking.AMBER,
        Release.PARTIAL,
        ("*",),
        "summary",
        "body",
    )
    need = Need(
        21,
        "coordination",
        "JO",
        "Border Police",
        "gp-19",
        "No passenger information unit exists",
        "Paper lists at two airports",
        Priority.HIGH,
        Marking.AMBER,
    )
    road = roadmap()
    link = TraceLink(projects()[2], (progress(0.6, 0.5, Rating.GREEN, 5),))
    return Trace(
        taxonomy().theme("gp-19"),
        document,
        need,
        ((road, road.steps[1]),),
        (link,),
        (progress(0.2, 0.5, Rating.AMBER, 6),),
        rollup(0.4, 0.5, Rating.AMBER),
    )


def build(lang: str, steps: int = 0) -> bytes:
    """The report with every section (``steps`` more roadmap steps to fill pages)."""
    road = roadmap()
    if steps:
        more = tuple(
            Step(
                100 + i,
                10 + i,
                f"Extra step {i}",
                "A longer recommendation. " * 6,
                "Ministry of Justice",
                date(2027, 1, 1),
                StepStatus.PLANNED,
            )
            for i in range(steps)
        )
        road = Roadmap(
            road.id,
            road.agency,
            road.country,
            road.requirement,
            road.title,
            road.marking,
            steps=road.steps + more,
        )
    return report.pdf(
        lang=lang,
        marking=Marking.AMBER_STRICT,
        title="Coordination report: Jordan",
        generated_by="coordinator.one",
        as_of=AS_OF,
        taxonomy=taxonomy(),
        coverage=matrix(),
        roadmaps=[(road, rollups())],
        duplicates=[duplicate()],
        projects=projects(),
        traces=[trace()],
        country_names=NAMES,
    )


def pages(data: bytes) -> list[str]:
    """The text of each page."""
    assert data.startswith(b"%PDF-")
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def test_english_report_has_every_section() -> None:
    text = "\n".join(pages(build("en")))
    for expected in [
        "Coordination report: Jordan",
        "coordinator.one",
        "2026-01-15",
        # coverage
        "Needs coverage",
        "Jordan",
        "Tunisia",
        "covered 2/2",
        "partly covered 1/2",
        "uncovered 0/1",
        "no need",
        # the roadmap
        "Border management roadmap",
        "Adopt the PNR law",
        "Ministry of Interior",
        "130%",
        "50%",
        "overdue",
        "no linked indicator",
        "blocked",
        "Two courses a year",
        # duplication
        "Duplication flags",
        "not a decision",
        "Government of Norway",
        "European Union",
        "250,000 USD",
        "548 days",
        "XM-EX-RASID-0002",
        "Border Police",
        # the trace
        "Good practice",
        "Visit report 2025",
        "No passenger information unit exists",
        "Border data exchange",
        "indicator 5",
        "60%",
        "indicator 6",
        "Roll-up",
    ]:
        assert expected in text, expected
    assert "<script>alert(1)</script>" in text  # user text is shown as text


def test_marking_on_every_page_top_and_bottom() -> None:
    found = pages(build("en", steps=60))
    assert len(found) > 2
    for number, text in enumerate(found, start=1):
        assert text.count("TLP:AMBER+STRICT") == 2, number
        assert f"page {number}" in text


def test_arabic_report_is_shaped_and_has_the_numbers() -> None:
    found = pages(build("ar"))
    text = "\n".join(found)
    compact = text.replace(" ", "")
    for number, page in enumerate(found, start=1):
        assert page.count("TLP:AMBER+STRICT") == 2, number
    # shaped Arabic maps back to the letters typed, in reading order or mirrored
    for phrase in ("تنبيهات الازدواج", "خارطة الطريق", "مغطى جزئيًا"):
        words = phrase.split()
        assert any(w in compact for w in ("".join(words), "".join(reversed(words)))), phrase
    assert "الأردن" in text and "إدارة الحدود" in text
    for expected in ("2026-01-15", "2/2", "130", "548", "Government of Norway", "XM-EX-RASID"):
        assert expected in text, expected


def test_sections_not_given_are_left_out_and_odd_input_does_not_crash() -> None:
    bare = report.pdf(
        lang="en",
        marking=Marking.GREEN,
        title="Empty",
        generated_by="coordinator.one",
        as_of=AS_OF,
        taxonomy=taxonomy(),
        roadmaps=[(Roadmap(None, "c", "ZZ", "no-such", "No steps", Marking.GREEN), {})],
        duplicates=[duplicate()],
        coverage=CoverageMatrix(
            ("ZZ",),
            ("no-such-theme",),
            {
                ("ZZ", "no-such-theme"): CoverageCell(
                    "ZZ", "no-such-theme", Coverage.UNCOVERED, (1,)
                )
            },
        ),
    )
    text = "\n".join(pages(bare))
    assert "Good practice" not in text
    assert "No step yet" in text and "no-such-theme" in text and "uncovered 0/1" in text
    assert "project #1" in text  # projects not given: named by id
    long = Roadmap(
        1,
        "c",
        "JO",
        "gp-19",
        "Long",
        Marking.GREEN,
        steps=(Step(1, 1, "x" * 5000, "y " * 3000, "z" * 900, None, StepStatus.PLANNED),),
    )
    data = report.pdf(
        lang="ar",
        marking=Marking.RED,
        title="طويل",
        generated_by="a",
        as_of=AS_OF,
        taxonomy=taxonomy(),
        roadmaps=[(long, {})],
    )
    assert all(p.count("TLP:RED") == 2 for p in pages(data))


def test_missing_font_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(monitor_report, "FONT_DIRS", (str(tmp_path),))
    monkeypatch.setenv("RASID_PDF_FONT_DIR", str(tmp_path / "none"))
    with pytest.raises(MonitorError, match="fonts-dejavu-core"):
        build("en")
