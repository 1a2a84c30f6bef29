"""The demo's nexus monitoring: the police assess their country, two of its regions and the
Al-Murjan smuggling network (an Organization of the police records) for two consecutive
half-years, each assessment approved by the police supervisor, so that the second period
shows significant and critical changes, an instrument-checked history and a suggested
manifestation; a draft for the next period waits for the analyst; and the synthetic example
series shipped with the package are imported as advice.

Everything goes through ``rasid.monitor`` (``subjects``, ``workflow``, ``seriesdb``: what
the web UI and the API use). The police's analyst writes in Arabic: each rationale is in
Arabic with the English after it (``monitor.yml``), and each evidence item cites an
Arabic field report. The demo accounts must exist; loading twice adds nothing (the subjects
are looked up by name first).
"""

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection

from rasid.access.accounts import get_user
from rasid.access.policy import Principal
from rasid.demo.build import demo_dir
from rasid.model.gradings import get_scale
from rasid.model.markings import Marking
from rasid.monitor import instrument, seriesdb, subjects, workflow
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
NOT_COVERED = "لا يغطيه أي مصدر في هذه الفترة (No source covers it this period)."
REVIEWED = "رُوجع بالمقارنة مع المصادر (Reviewed against the sources)."

# One reading: level, confidence, trend, the rationale as the police's Arabic-speaking analyst
# wrote it and its English (evidence is added for moderate and high confidence).
Reading = tuple[int | None, Confidence | None, Trend, str, str]


def readings() -> dict[str, list[dict[str, Reading]]]:
    """The analyst's readings (``monitor.yml``) by subject ("country", "coast",
    "interior", "group"): one table per half-year, by indicator."""
    data = yaml.safe_load((demo_dir() / "monitor.yml").read_text("utf-8"))
    return {
        subject: [{key: _reading(row) for key, row in period.items()} for period in periods]
        for subject, periods in data.items()
    }


def _reading(row: list[Any]) -> Reading:
    level, confidence, trend, arabic, english = row
    trust = Confidence(confidence) if confidence else None
    return (level, trust, Trend(trend), str(arabic), str(english))


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
    level, confidence, trend, arabic, english = reading
    if level is None:
        return Rating(indicator, None, reason=NOT_COVERED)
    evidence: tuple[Evidence, ...] = ()
    if confidence is not None and confidence is not Confidence.LOW:
        label = instrument.load().indicators[indicator].label.ar
        cited = f"تقرير ميداني للشرطة: {label} (بيانات مصطنعة)"
        note = f"Police field report on {indicator} (synthetic)"
        source, info = _grades()
        evidence = (
            Evidence(EvidenceKind.CITATION, cited, when, source, info, Marking.AMBER, note),
        )
    return Rating(indicator, level, "", confidence, trend, f"{arabic} ({english})", evidence)


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
    draft = workflow.create_assessment(
        conn, assessor, subject.id, period[0], period[1], revises=revises
    )
    for indicator, reading in readings.items():
        workflow.rate(conn, assessor, draft.id, _rating(indicator, reading, period[1]))
    if not approve:
        return draft
    workflow.submit(conn, assessor, draft.id)
    return workflow.approve(conn, reviewer, draft.id, REVIEWED)


def _group_entity() -> str:
    plan = yaml.safe_load((demo_dir() / "data" / "scenario.yml").read_text("utf-8"))
    return str(plan["groups"]["smuggling_network"]["entity_id"])


def _subjects(
    conn: Connection, analyst: Principal
) -> list[tuple[Subject, list[dict[str, Reading]]]]:
    """The demo's subjects, each with its readings for the two periods."""
    name, name_ar, code = COUNTRY
    country = subjects.add_subject(conn, analyst, SubjectKind.COUNTRY, name, name_ar, country=code)
    coast, interior = (
        subjects.add_subject(conn, analyst, SubjectKind.REGION, en, ar, parent=country.id)
        for en, ar in REGIONS
    )
    group = subjects.add_subject(
        conn,
        analyst,
        SubjectKind.GROUP,
        "Al-Murjan network",
        "شبكة المرجان",
        entity_id=_group_entity(),
    )
    read = readings()
    return [
        (country, read["country"]),
        (coast, read["coast"]),
        (interior, read["interior"]),
        (group, read["group"]),
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
        known = {s.name for s in subjects.list_subjects(conn, analyst)}
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
            stored, _ = seriesdb.import_series(conn, analyst, path)
            points += stored
    return MonitorDemo(len(planned), approved, drafts, points)
