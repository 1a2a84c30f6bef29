"""What the tests of the coordination pictures draw: a coverage matrix, a roadmap with its
roll-ups, an indicator, two overlapping projects and their flag; and how they read an SVG."""

from datetime import date

from lxml import etree

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
    return " ".join(str(t) for t in root.itertext())


def child(element: etree._Element, tag: str) -> etree._Element:
    """The first SVG child element ``tag`` (which must be there)."""
    found = element.find(f"{SVG}{tag}")
    assert found is not None, tag
    return found


def parent(element: etree._Element) -> etree._Element:
    """The element's parent (which must be there)."""
    found = element.getparent()
    assert found is not None
    return found


def attr(element: etree._Element, name: str) -> str:
    """An attribute that must be there."""
    found = element.get(name)
    assert found is not None, name
    return str(found)


def at(element: etree._Element, name: str) -> float:
    """A numeric attribute (a position or a size)."""
    return float(attr(element, name))


def words(element: etree._Element) -> str:
    """An element's text, its pieces joined as drawn."""
    return "".join(str(t) for t in element.itertext())


def said(element: etree._Element, tag: str) -> str:
    """The text of an SVG child element (its title or description)."""
    return child(element, tag).text or ""
