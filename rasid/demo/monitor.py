"""The demo's nexus monitoring: the police assess their country, two of its regions and the
Al-Murjan smuggling network (an Organization of the police records) for two consecutive
half-years, each assessment approved by the police supervisor, so that the second period
shows significant and critical changes, an instrument-checked history and a suggested
manifestation; a draft for the next period waits for the analyst; and the synthetic example
series shipped with the package are imported as advice.

Everything goes through ``rasid.monitor.assessments`` (the workflow the web UI and the API
use). The demo accounts must exist; loading twice adds nothing (the subjects are looked up
by name first).
"""

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import yaml
from sqlalchemy import Connection

from rasid.access.accounts import get_user
from rasid.access.policy import Principal
from rasid.demo.build import demo_dir
from rasid.model.gradings import get_scale
from rasid.model.markings import Marking
from rasid.monitor import assessments
from rasid.monitor.errors import MonitorError
from rasid.monitor.model import (
    Assessment,
    Confidence,
    Evidence,
    EvidenceKind,
    Rating,
    Subject,
    SubjectKind,
    Trend,
)
from rasid.settings import get_settings
from rasid.store import Store

ASSESSOR = "analyst.police"
REVIEWER = "supervisor.police"
COUNTRY = ("Republic of Al-Sahel", "جمهورية الساحل", "zz")  # a fictional state (user code)
REGIONS = (("Al-Marfa coast", "ساحل المرفأ"), ("Al-Waha interior", "داخل الواحة"))

# One reading: level, confidence, trend, rationale (evidence is added for moderate and high).
Reading = tuple[int | None, Confidence | None, Trend, str]
L, M, H = Confidence.LOW, Confidence.MODERATE, Confidence.HIGH
UP, FLAT, DOWN = Trend.WORSENING, Trend.STABLE, Trend.IMPROVING

COAST_1: dict[str, Reading] = {
    "geography.border_proximity": (4, H, FLAT, "The coast faces two maritime borders."),
    "geography.ungoverned_area": (2, M, FLAT, "Coves without coastguard posts."),
    "economy.poverty": (3, M, FLAT, "Fishing incomes fell after the port closure."),
    "economy.illicit_trade": (3, M, UP, "Fuel and cigarette smuggling through the port."),
    "security.smuggling_routes": (3, M, UP, "A sea route used by the Al-Murjan network."),
    "security.route_dependence": (2, L, FLAT, "Some villages live off the route."),
    "corruption.infiltration": (2, M, FLAT, "Isolated cases at the port authority."),
    "governance.law_enforcement_capacity": (3, M, FLAT, "One police station per district."),
    "political.state_erosion": (None, None, Trend.UNKNOWN, ""),
}
COAST_2: dict[str, Reading] = {  # the next half-year: what changed on the ground
    "security.smuggling_routes": (4, H, UP, "Weekly crossings seen by the coastguard."),
    "corruption.infiltration": (4, H, UP, "Two port officers charged with taking bribes."),
    "economy.illicit_trade": (4, M, UP, "Weapons found in a fuel shipment."),
    "security.route_dependence": (2, M, FLAT, "Confirmed by a field survey."),
}
INTERIOR_1: dict[str, Reading] = {
    "geography.border_proximity": (2, M, FLAT, "Far from the borders."),
    "economy.poverty": (4, M, UP, "Drought and unemployment."),
    "social.minority_treatment": (3, M, FLAT, "Complaints of exclusion from public jobs."),
    "governance.law_enforcement_capacity": (4, M, FLAT, "Large districts, few patrols."),
    "political.hardline_rise": (2, L, FLAT, "Sermons monitored, no rise observed."),
}
INTERIOR_2: dict[str, Reading] = {
    "political.hardline_rise": (3, M, UP, "A new preacher draws young men from the camps."),
}
COUNTRY_1: dict[str, Reading] = {
    "geography.border_proximity": (3, M, FLAT, "Long land and sea borders."),
    "economy.poverty": (3, M, FLAT, "National poverty rate around a quarter."),
    "governance.legislation": (2, H, FLAT, "Counter-terrorism and AML laws in force."),
    "corruption.systemic": (3, M, FLAT, "Perception surveys unchanged."),
}
COUNTRY_2: dict[str, Reading] = {
    "corruption.systemic": (3, H, FLAT, "Confirmed by the audit bureau's report."),
}
GROUP_1: dict[str, Reading] = {
    "leadership.senior_disputes": (2, M, FLAT, "A rivalry between two brothers."),
    "recruitment.economic_incentives": (4, H, FLAT, "Pays fishermen per crossing."),
    "recruitment.ideological_shift": (1, M, FLAT, "No ideological message seen."),
    "recruitment.motive_change": (1, M, FLAT, "Profit only."),
    "capabilities.crime_funding": (4, H, FLAT, "Smuggling proceeds fund the network."),
    "capabilities.diversification": (2, M, FLAT, "Fuel and cigarettes only."),
    "external_support.outside_network": (2, M, FLAT, "Buyers abroad, no other support."),
    "security.smuggling_routes": (4, H, FLAT, "Runs the coastal sea route."),
    "capabilities.evolution": (2, M, FLAT, "Boats and drivers, no weapons seen."),
    "capabilities.violence_crime_balance": (1, M, FLAT, "No violence beyond threats."),
    "economy.illicit_trade": (4, H, FLAT, "Fuel and cigarettes in bulk."),
    "leadership.factions": (2, M, FLAT, "Two family branches."),
    "recruitment.new_demographic": (1, M, FLAT, "Fishermen of the coast, as before."),
    "recruitment.venue_change": (1, L, FLAT, "Recruits at the harbour cafés."),
}
GROUP_2: dict[str, Reading] = {  # the network now carries the Al-Wadi cell's weapons
    "recruitment.ideological_shift": (3, M, UP, "Members repeat the cell's slogans."),
    "recruitment.motive_change": (3, H, UP, "Crossings done for the cell without payment."),
    "capabilities.diversification": (4, H, UP, "Weapons and people besides fuel."),
    "external_support.outside_network": (4, H, UP, "Couriers shared with the Al-Wadi cell."),
    "capabilities.evolution": (4, H, UP, "Now moves rifles and explosives precursors."),
    "recruitment.new_demographic": (3, M, UP, "Young men from the interior's camps."),
}


@dataclass(frozen=True)
class MonitorDemo:
    """What the demo's monitoring load added."""

    subjects: int
    approved: int
    drafts: int
    series_points: int


def halves(today: date) -> tuple[tuple[date, date], tuple[date, date], tuple[date, date]]:
    """The two half-years of last year (assessed and approved), and this year's first half
    (the draft)."""
    year = today.year - 1
    return (
        (date(year, 1, 1), date(year, 6, 30)),
        (date(year, 7, 1), date(year, 12, 31)),
        (date(year + 1, 1, 1), date(year + 1, 6, 30)),
    )


def _principal(conn: Connection, name: str) -> Principal:
    user = get_user(conn, name)
    if user is None:
        raise MonitorError(f"the demo's monitoring needs the demo user {name}")
    return Principal(user)


def _grades() -> tuple[str, str]:
    """A reliable source and a corroborated item, in the configured grading scale."""
    scale = get_scale(get_settings().grading_scale)
    return next(iter(scale.source)), list(scale.info)[1]


def _rating(indicator: str, reading: Reading, when: date) -> Rating:
    level, confidence, trend, rationale = reading
    if level is None:
        return Rating(indicator, None, reason="No source covers it this period.")
    evidence: tuple[Evidence, ...] = ()
    if confidence is not None and confidence is not Confidence.LOW:
        note = f"Police field report on {indicator} (synthetic)"
        source, info = _grades()
        evidence = (Evidence(EvidenceKind.CITATION, note, when, source, info, Marking.AMBER),)
    return Rating(indicator, level, "", confidence, trend, rationale, evidence)


def _assess(
    conn: Connection,
    people: tuple[Principal, Principal],
    subject: Subject,
    period: tuple[date, date],
    readings: dict[str, Reading],
    revises: int | None = None,
    approve: bool = True,
) -> Assessment:
    """A draft rated with ``readings`` (on top of the revised one's ratings), then submitted
    and approved by the reviewer unless ``approve`` is false."""
    assessor, reviewer = people
    draft = assessments.create_assessment(
        conn, assessor, subject.id, period[0], period[1], revises=revises
    )
    for indicator, reading in readings.items():
        assessments.rate(conn, assessor, draft.id, _rating(indicator, reading, period[1]))
    if not approve:
        return draft
    assessments.submit(conn, assessor, draft.id)
    return assessments.approve(conn, reviewer, draft.id, "Reviewed against the sources.")


def _group_entity() -> str:
    plan = yaml.safe_load((demo_dir() / "data" / "scenario.yml").read_text("utf-8"))
    return str(plan["groups"]["smuggling_network"]["entity_id"])


def _subjects(
    conn: Connection, analyst: Principal
) -> list[tuple[Subject, list[dict[str, Reading]]]]:
    """The demo's subjects, each with its readings for the two periods."""
    name, name_ar, code = COUNTRY
    country = assessments.add_subject(
        conn, analyst, SubjectKind.COUNTRY, name, name_ar, country=code
    )
    coast, interior = (
        assessments.add_subject(conn, analyst, SubjectKind.REGION, en, ar, parent=country.id)
        for en, ar in REGIONS
    )
    group = assessments.add_subject(
        conn,
        analyst,
        SubjectKind.GROUP,
        "Al-Murjan network",
        "شبكة المرجان",
        entity_id=_group_entity(),
    )
    return [
        (country, [COUNTRY_1, COUNTRY_2]),
        (coast, [COAST_1, COAST_2]),
        (interior, [INTERIOR_1, INTERIOR_2]),
        (group, [GROUP_1, GROUP_2]),
    ]


def example_series() -> list[Path]:
    """The synthetic example series shipped with ``rasid.monitor`` (CSV files)."""
    folder = Path(str(resources.files("rasid.monitor"))) / "examples"
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def load_monitoring(store: Store, today: date) -> MonitorDemo:
    """Assess the demo's subjects (once: nothing is added when they exist already)."""
    first, second, third = halves(today)
    with store.uow() as uow:
        conn = uow.conn
        analyst = _principal(conn, ASSESSOR)
        people = (analyst, _principal(conn, REVIEWER))
        known = {s.name for s in assessments.list_subjects(conn, analyst)}
        if COUNTRY[0] in known:
            return MonitorDemo(0, 0, 0, 0)
        planned = _subjects(conn, analyst)
        approved = drafts = 0
        for subject, (before, after) in planned:
            old = _assess(conn, people, subject, first, before)
            new = _assess(conn, people, subject, second, after, revises=old.id)
            approved += 2
            if subject.kind is SubjectKind.REGION and subject.name == REGIONS[0][0]:
                _assess(conn, people, subject, third, {}, revises=new.id, approve=False)
                drafts += 1
        points = 0
        for path in example_series():
            stored, _ = assessments.import_series(conn, analyst, path)
            points += stored
    return MonitorDemo(len(planned), approved, drafts, points)
