"""The PDF report of an assessment: it parses, carries the marking on every page (top and
bottom), the subject's name, each indicator's reading with its evidence, the changes, the
suggestions and the judgements, in English and in Arabic (shaped, right to left)."""

import io
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from rasid.model.markings import Marking
from rasid.monitor import report
from rasid.monitor import timeline as drawn
from rasid.monitor.errors import MonitorError
from rasid.monitor.model import (
    Assessment,
    ChangeKind,
    Confidence,
    Evidence,
    EvidenceKind,
    Judgement,
    Likelihood,
    Manifestation,
    Rating,
    Signal,
    Status,
    Suggestion,
    Suggestions,
    Text,
    Trend,
)
from tests.monitor.test_charts import changeset, instrument, scores, subject


def assessment(many: int = 1) -> Assessment:
    """An approved assessment with a rated, an evidenced and a not-assessed indicator (and
    ``many`` copies of long rationales, to fill pages)."""
    evidence = Evidence(
        EvidenceKind.CITATION,
        "Ministry report 2025/4",
        date(2025, 4, 2),
        "B",
        "2",
        Marking.GREEN,
        "crossing points",
    )
    ratings = {
        "geography.a": Rating(
            "geography.a",
            4,
            confidence=Confidence.HIGH,
            trend=Trend.WORSENING,
            rationale="Porous border. " * many,
            evidence=(evidence,),
        ),
        "economy.a": Rating("economy.a", 2, confidence=Confidence.LOW, rationale="الفقر منتشر"),
        "economy.b": Rating("economy.b", None, reason="no survey this period"),
    }
    return Assessment(
        7,
        subject(),
        date(2025, 1, 1),
        date(2025, 6, 30),
        "1.0",
        Status.APPROVED,
        "police",
        Marking.AMBER_STRICT,
        "analyst.one",
        "supervisor.two",
        ratings,
        content_hash="ab" * 32,
    )


def suggestions() -> Suggestions:
    """Alliance first, with one matched and one missing signal."""
    met = Signal("bridge", Text("جسر", "a nexus bridge"), 2.0, True, "2 bridges found")
    unmet = Signal("shared", Text("موارد", "shared resources"), 1.0, False, "economy.b missing")
    return Suggestions((Suggestion(Manifestation.ALLIANCE, 0.67, (met,), (unmet,)),))


def judgement() -> Judgement:
    """An analyst's judgement."""
    at = datetime(2025, 7, 3, 9, 30, tzinfo=UTC)
    return Judgement(
        7,
        Manifestation.ALLIANCE,
        Likelihood.LIKELY,
        Confidence.MODERATE,
        "Two bridges and shared couriers",
        "analyst.one",
        at,
    )


def pages(data: bytes) -> list[str]:
    """The text of each page."""
    assert data.startswith(b"%PDF-")
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def build(lang: str, many: int = 1) -> bytes:
    """The report of the sample assessment."""
    changes = changeset(6, 7, [ChangeKind.CRITICAL, ChangeKind.INSTRUMENT])
    return report.pdf(
        assessment(many), instrument(), scores(), changes, suggestions(), [judgement()], lang
    )


def test_english_report_has_everything() -> None:
    text = "\n".join(pages(build("en")))
    for expected in [
        "TLP:AMBER+STRICT",
        "Northern Province",
        "2025-01-01",
        "approved",
        "analyst.one",
        "supervisor.two",
        "ab" * 8,
        "Geography",
        "coverage 100% (2/2)",
        "Level 4",
        "Ministry report 2025/4",
        "B2",
        "no survey this period",
        "critical",
        "instrument version only",
        "alliance: 67%",
        "2 bridges found",
        "economy.b missing",
        "likely",
        "Two bridges and shared couriers",
    ]:
        assert expected in text, expected


def timeline(lang: str) -> drawn.Plan:
    """The subject's timeline: the assessment and the one before it, with two changes."""
    earlier = replace(
        assessment(),
        id=6,
        period_start=date(2024, 7, 1),
        period_end=date(2024, 12, 31),
        status=Status.SUPERSEDED,
    )
    changes = [changeset(6, 7, [ChangeKind.CRITICAL, ChangeKind.INSTRUMENT])]
    return drawn.plan([assessment(), earlier], changes, lang, {6: scores(), 7: scores()})


def test_the_timeline_is_drawn_in_the_report() -> None:
    def build_with(lang: str) -> str:
        data = report.pdf(
            assessment(), instrument(), scores(), None, None, [], lang, timeline=timeline(lang)
        )
        return "\n".join(pages(data))

    english = build_with("en")
    for expected in [
        "Timeline of approved assessments",
        "2024-07-01 – 2024-12-31",
        "2025-01-01 – 2025-06-30",
        "overall: 3.0",
        "1 critical",
        "1 instrument version only",
    ]:
        assert expected in english, expected
    assert "2024-07-01" not in "\n".join(pages(build("en")))  # drawn only when given
    arabic = build_with("ar").replace(" ", "")
    assert "2024-07-01–2024-12-31" in arabic and "حرجة" in arabic
    assert any(w in arabic for w in ("الخطالزمني", "الزمنيالخط")), arabic[:600]


def test_an_empty_timeline_says_so() -> None:
    empty = drawn.plan([], [], "en")
    data = report.pdf(assessment(), instrument(), scores(), None, None, [], "en", timeline=empty)
    assert "no approved assessment yet" in "\n".join(pages(data))


def test_marking_on_every_page_top_and_bottom() -> None:
    found = pages(build("en", many=400))
    assert len(found) > 2
    for number, text in enumerate(found, start=1):
        assert text.count("TLP:AMBER+STRICT") == 2, number
        assert f"page {number}" in text


def test_arabic_report_is_shaped_and_right_to_left() -> None:
    data = build("ar")
    text = "\n".join(pages(data))
    assert "TLP:AMBER+STRICT" in text and "Northern Province" in text
    # Shaped Arabic: the glyphs drawn are the contextual forms HarfBuzz picked, which map
    # back to the letters typed; the words are in the text in reading order or mirrored.
    compact = text.replace(" ", "")
    assert any(w in compact for w in ("المحافظةالشمالية", "الشماليةالمحافظة")), text[:400]
    assert "تقرير" in text or "ريرقت" in text


def test_unmarked_values_never_crash() -> None:
    bare = replace(assessment(), reviewer=None, content_hash=None, status=Status.DRAFT)
    data = report.pdf(bare, instrument(), scores(), None, None, [], "en")
    text = "\n".join(pages(data))
    assert "draft" in text and "No previous assessment or no change" in text


def test_missing_font_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(report, "FONT_DIRS", (str(tmp_path),))
    monkeypatch.setenv("RASID_PDF_FONT_DIR", str(tmp_path / "none"))
    with pytest.raises(MonitorError, match="fonts-dejavu-core"):
        build("en")
